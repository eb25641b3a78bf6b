// KiNP frame writer (wire-protocol.md section 1): short form up to a 0x7FFF-byte body, long form
// (u16 0x8000 then a u32 length) above, always with the trailing null.
import { FRAME_BODY_HEADER_LENGTH, FRAME_LONG_FORM_MARKER, FRAME_START_SIGNAL } from './frame-reader.js';

const SHORT_FORM_MAX_BODY = 0x7fff;

/** Bytes of a whole frame carrying `payloadLength` payload bytes. */
export function frameLength(payloadLength: number): number {
  const bodyLength = FRAME_BODY_HEADER_LENGTH + payloadLength + 1;
  return (bodyLength > SHORT_FORM_MAX_BODY ? 8 : 4) + bodyLength;
}

/**
 * Writes the frame header and the 4-byte body header for a payload of `payloadLength` bytes at
 * `offset`; returns the offset where the payload goes. The caller writes the payload and the
 * trailing null (at payload end) itself: this is what lets encoders build a frame in one buffer.
 */
export function writeFrameHeader(target: Buffer, offset: number, isControl: boolean, opcode: number, payloadLength: number): number {
  const bodyLength = FRAME_BODY_HEADER_LENGTH + payloadLength + 1;
  let o = offset;
  target[o++] = FRAME_START_SIGNAL & 0xff;
  target[o++] = FRAME_START_SIGNAL >>> 8;
  if (bodyLength > SHORT_FORM_MAX_BODY) {
    target[o++] = FRAME_LONG_FORM_MARKER & 0xff;
    target[o++] = FRAME_LONG_FORM_MARKER >>> 8;
    target.writeUInt32LE(bodyLength, o);
    o += 4;
  } else {
    target[o++] = bodyLength & 0xff;
    target[o++] = bodyLength >>> 8;
  }
  target[o++] = isControl ? 1 : 0;
  target[o++] = opcode & 0xff;
  target[o++] = 0;
  target[o++] = 0;
  return o;
}

/** One whole frame around `payload`. */
export function encodeFrame(isControl: boolean, opcode: number, payload: Buffer): Buffer {
  if (!Number.isInteger(opcode) || opcode < 0 || opcode > 0xff) throw new RangeError(`frame opcode must be a byte, got ${opcode}`);
  const frame = Buffer.allocUnsafe(frameLength(payload.length));
  const o = writeFrameHeader(frame, 0, isControl, opcode, payload.length);
  payload.copy(frame, o);
  frame[o + payload.length] = 0;
  return frame;
}
