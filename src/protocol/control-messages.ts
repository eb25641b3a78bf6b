// Control messages (wire-protocol.md section 2): frames with isControl = 1. Encoders return whole
// frames; decoders take a Frame's payload and throw ControlMessageError when it is too short.
import { ControlMessageError } from './errors.js';
import { encodeFrame } from './frame-writer.js';

/** Opcodes in the body header of control frames. */
export const ControlOpcode = { SessionOffer: 0, KeepAlive: 3, KeepAliveRsp: 4, SessionAccept: 5 } as const;
export type ControlOpcode = (typeof ControlOpcode)[keyof typeof ControlOpcode];

export interface SessionTime {
  sid: number;
  secs: number;
  millis: number;
}

export interface SessionOffer extends SessionTime {
  /** The offer's crypto blob (a single 0x00 when the server offers no encryption). */
  crypto: Buffer;
}

/** The crypto blob of "no encryption offered": cryptoLen 1 and one zero byte. */
const NO_CRYPTO = Buffer.from([0]);

function checkU16(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`${name} must be a u16, got ${value}`);
}
function checkU32(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`${name} must be a u32, got ${value}`);
}
function need(messageName: string, payload: Buffer, length: number): void {
  if (payload.length < length) throw new ControlMessageError(messageName, `${payload.length} bytes, at least ${length} needed`);
}

export function encodeSessionOffer(offer: { sid: number; secs: number; millis: number; crypto?: Buffer }): Buffer {
  checkU16('sid', offer.sid);
  checkU32('secs', offer.secs);
  checkU32('millis', offer.millis);
  const crypto = offer.crypto ?? NO_CRYPTO;
  const payload = Buffer.alloc(18 + crypto.length);
  payload.writeUInt16LE(offer.sid, 0);
  payload.writeUInt32LE(0, 2);
  payload.writeUInt32LE(offer.secs, 6);
  payload.writeUInt32LE(offer.millis, 10);
  payload.writeUInt32LE(crypto.length, 14);
  crypto.copy(payload, 18);
  return encodeFrame(true, ControlOpcode.SessionOffer, payload);
}

export function decodeSessionOffer(payload: Buffer): SessionOffer {
  need('SessionOffer', payload, 18);
  const cryptoLength = payload.readUInt32LE(14);
  if (cryptoLength > payload.length - 18) {
    throw new ControlMessageError('SessionOffer', `crypto length ${cryptoLength} exceeds the ${payload.length - 18} bytes left`);
  }
  return {
    sid: payload.readUInt16LE(0),
    secs: payload.readUInt32LE(6),
    millis: payload.readUInt32LE(10),
    crypto: payload.subarray(18, 18 + cryptoLength),
  };
}

export function encodeSessionAccept(accept: SessionTime): Buffer {
  checkU16('sid', accept.sid);
  checkU32('secs', accept.secs);
  checkU32('millis', accept.millis);
  const payload = Buffer.alloc(20);
  payload.writeUInt32LE(accept.secs, 6);
  payload.writeUInt32LE(accept.millis, 10);
  payload.writeUInt16LE(accept.sid, 14);
  // u32 length 0 at 16: we send no crypto blob.
  return encodeFrame(true, ControlOpcode.SessionAccept, payload);
}

/**
 * Reads sid, secs and millis. The trailing length-prefixed blob and anything after it are not
 * needed by the server (it checks only the sid), so a missing or odd tail is tolerated.
 */
export function decodeSessionAccept(payload: Buffer): SessionTime {
  need('SessionAccept', payload, 16);
  return { sid: payload.readUInt16LE(14), secs: payload.readUInt32LE(6), millis: payload.readUInt32LE(10) };
}

/** Client -> server KeepAlive. */
export interface ClientKeepAlive {
  sid: number;
  /** Milliseconds into the current second. */
  millis: number;
  /** Minutes since the session started. */
  minutes: number;
}

/** Server -> client KeepAlive. */
export interface ServerKeepAlive {
  sid: number;
  uptimeMs: number;
}

export function encodeClientKeepAlive(keepAlive: ClientKeepAlive): Buffer {
  checkU16('sid', keepAlive.sid);
  checkU16('millis', keepAlive.millis);
  checkU16('minutes', keepAlive.minutes);
  const payload = Buffer.allocUnsafe(6);
  payload.writeUInt16LE(keepAlive.sid, 0);
  payload.writeUInt16LE(keepAlive.millis, 2);
  payload.writeUInt16LE(keepAlive.minutes, 4);
  return encodeFrame(true, ControlOpcode.KeepAlive, payload);
}

/** Server KeepAlive; the sid is 0 on the wire per the spec unless the caller says otherwise. */
export function encodeServerKeepAlive(keepAlive: { uptimeMs: number; sid?: number }): Buffer {
  const sid = keepAlive.sid ?? 0;
  checkU16('sid', sid);
  // The uptime is a u32 of milliseconds: it wraps after ~49.7 days, as the client expects.
  const uptime = Math.max(0, Math.floor(keepAlive.uptimeMs)) % 0x100000000;
  const payload = Buffer.allocUnsafe(6);
  payload.writeUInt16LE(sid, 0);
  payload.writeUInt32LE(uptime, 2);
  return encodeFrame(true, ControlOpcode.KeepAlive, payload);
}

/** KeepAliveRsp: empty (what modern clients send) or an echo of the KeepAlive payload. */
export function encodeKeepAliveRsp(echo?: Buffer): Buffer {
  return encodeFrame(true, ControlOpcode.KeepAliveRsp, echo ?? Buffer.alloc(0));
}

export function decodeClientKeepAlive(payload: Buffer): ClientKeepAlive {
  need('KeepAlive', payload, 6);
  return { sid: payload.readUInt16LE(0), millis: payload.readUInt16LE(2), minutes: payload.readUInt16LE(4) };
}

export function decodeServerKeepAlive(payload: Buffer): ServerKeepAlive {
  need('KeepAlive', payload, 6);
  return { sid: payload.readUInt16LE(0), uptimeMs: payload.readUInt32LE(2) };
}

/**
 * Both KeepAlive layouts are 6 bytes, so the payload alone cannot say which one it is; this reads
 * both views and the caller uses the one matching the direction (a server reads millis/minutes).
 */
export function decodeKeepAlive(payload: Buffer): ClientKeepAlive & ServerKeepAlive {
  need('KeepAlive', payload, 6);
  return {
    sid: payload.readUInt16LE(0),
    millis: payload.readUInt16LE(2),
    minutes: payload.readUInt16LE(4),
    uptimeMs: payload.readUInt32LE(2),
  };
}
