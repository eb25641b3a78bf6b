// DML messages (wire-protocol.md section 3): service u8, order u8, u16 length (header included),
// then the record's fields. The decoder never throws on peer bytes: each message becomes either
// decoded data or a DmlError, and a bad header stops the frame (the rest cannot be delimited).
import type { RecordDef } from './definition-types.js';
import { DmlEncodeError, DmlHeaderError, DmlTruncatedError, DmlUnknownMessageError, DmlUnusableRecordError, type DmlError } from './errors.js';
import { frameLength, writeFrameHeader } from './frame-writer.js';
import type { EncodableData, MessageKind } from './message-kind.js';
import type { MessageRegistry, RecordEntry } from './message-registry.js';

export const DML_HEADER_LENGTH = 4;
const MAX_MESSAGE_LENGTH = 0xffff;

export type DmlResult =
  | { ok: true; record: RecordDef; data: Record<string, unknown> }
  | { ok: false; error: DmlError };

/** Calls back per message instead of building an array of results: the allocation-light form of decodeDml. */
export interface DmlVisitor {
  message(record: RecordDef, data: Record<string, unknown>): void;
  error(error: DmlError): void;
}

/** The error for a bad header at `o`, or undefined when the header is sound. */
function headerError(payload: Buffer, o: number, end: number): DmlHeaderError | undefined {
  const left = end - o;
  if (left < DML_HEADER_LENGTH) return new DmlHeaderError(o, `${left} trailing bytes cannot hold a 4-byte header`);
  const length = payload[o + 2]! | (payload[o + 3]! << 8);
  if (length < DML_HEADER_LENGTH) return new DmlHeaderError(o, `declared length ${length} is shorter than the header`);
  if (length > left) return new DmlHeaderError(o, `declared length ${length} exceeds the ${left} bytes left`);
  return undefined;
}

function messageError(entry: RecordEntry | undefined, payload: Buffer, o: number, length: number): DmlError {
  if (entry === undefined) return new DmlUnknownMessageError(payload[o]!, payload[o + 1]!);
  if (entry.codec === null) return new DmlUnusableRecordError(entry.protocol, entry.name, entry.unusable ?? 'no codec');
  return new DmlTruncatedError(entry.protocol, entry.name, entry.codec.truncatedField(payload, o + DML_HEADER_LENGTH, o + length), length);
}

// decodeDml and visitDml share their logic through headerError/messageError but keep their own
// loops: the hot path then makes no per-message callback through a freshly allocated closure.

/**
 * Decodes every DML message of a frame payload, in order, into the visitor. `start`/`end` select
 * the payload inside a larger buffer (as FrameReader.pushEach hands it over); error offsets are
 * then relative to the buffer.
 */
export function visitDml(registry: MessageRegistry, payload: Buffer, visitor: DmlVisitor, start = 0, end = payload.length): void {
  const table = registry.wireTable;
  const n = end;
  let o = start;
  while (o < n) {
    const length = payload[o + 2]! | (payload[o + 3]! << 8);
    if (n - o < DML_HEADER_LENGTH || length < DML_HEADER_LENGTH || length > n - o) {
      visitor.error(headerError(payload, o, n)!);
      return;
    }
    const entry = table[(payload[o]! << 8) | payload[o + 1]!];
    const data = entry?.codec?.decode(payload, o + DML_HEADER_LENGTH, o + length);
    if (data !== undefined) visitor.message(entry!, data);
    else visitor.error(messageError(entry, payload, o, length));
    o += length;
  }
}

/**
 * Decodes every DML message of a frame payload. STR fields are views of `payload` (no copy): copy
 * them if they must outlive the frame's buffer.
 */
export function decodeDml(registry: MessageRegistry, payload: Buffer): DmlResult[] {
  const results: DmlResult[] = [];
  const table = registry.wireTable;
  const n = payload.length;
  let o = 0;
  while (o < n) {
    const length = payload[o + 2]! | (payload[o + 3]! << 8);
    if (n - o < DML_HEADER_LENGTH || length < DML_HEADER_LENGTH || length > n - o) {
      results.push({ ok: false, error: headerError(payload, o, n)! });
      break;
    }
    const entry = table[(payload[o]! << 8) | payload[o + 1]!];
    const data = entry?.codec?.decode(payload, o + DML_HEADER_LENGTH, o + length);
    if (data !== undefined) results.push({ ok: true, record: entry!, data });
    else results.push({ ok: false, error: messageError(entry, payload, o, length) });
    o += length;
  }
  return results;
}

function usable(entry: RecordEntry): NonNullable<RecordEntry['codec']> {
  if (entry.codec === null) throw new DmlUnusableRecordError(entry.protocol, entry.name, entry.unusable ?? 'no codec');
  return entry.codec;
}

function messageLength(entry: RecordEntry, codec: NonNullable<RecordEntry['codec']>, data: object): number {
  const length = DML_HEADER_LENGTH + codec.size(data);
  if (length > MAX_MESSAGE_LENGTH) throw new DmlEncodeError(entry.protocol, entry.name, '(message)', `${length} bytes exceed the u16 message length`);
  return length;
}

function writeMessage(entry: RecordEntry, codec: NonNullable<RecordEntry['codec']>, data: object, length: number, target: Buffer, offset: number): number {
  target[offset] = entry.serviceId;
  target[offset + 1] = entry.order;
  target[offset + 2] = length;
  target[offset + 3] = length >>> 8;
  return codec.write(data, target, offset + DML_HEADER_LENGTH);
}

/** Encoded length of one DML message (header included). */
export function dmlLength<T>(registry: MessageRegistry, kind: MessageKind<T>, data: NoInfer<T | EncodableData<T>>): number {
  const entry = registry.record(kind);
  return messageLength(entry, usable(entry), data as object);
}

/** One DML message (header and fields), without a frame. */
export function encodeDml<T>(registry: MessageRegistry, kind: MessageKind<T>, data: NoInfer<T | EncodableData<T>>): Buffer {
  const entry = registry.record(kind);
  const codec = usable(entry);
  const length = messageLength(entry, codec, data as object);
  const out = Buffer.allocUnsafe(length);
  writeMessage(entry, codec, data as object, length, out, 0);
  return out;
}

/**
 * Writes one DML message into `target` at `offset` and returns the offset after it: lets a caller
 * pack several messages into one reused buffer. Throws RangeError when it does not fit.
 */
export function encodeDmlInto<T>(registry: MessageRegistry, kind: MessageKind<T>, data: NoInfer<T | EncodableData<T>>, target: Buffer, offset: number): number {
  const entry = registry.record(kind);
  const codec = usable(entry);
  const length = messageLength(entry, codec, data as object);
  if (offset < 0 || offset + length > target.length) throw new RangeError(`${entry.protocol}.${entry.name} needs ${length} bytes at offset ${offset}, the buffer has ${target.length}`);
  return writeMessage(entry, codec, data as object, length, target, offset);
}

/** A whole frame (isControl 0, opcode 0) carrying one DML message. */
export function encodeDmlFrame<T>(registry: MessageRegistry, kind: MessageKind<T>, data: NoInfer<T | EncodableData<T>>): Buffer {
  const entry = registry.record(kind);
  const codec = usable(entry);
  const length = messageLength(entry, codec, data as object);
  const frame = Buffer.allocUnsafe(frameLength(length));
  const end = writeMessage(entry, codec, data as object, length, frame, writeFrameHeader(frame, 0, false, 0, length));
  frame[end] = 0;
  return frame;
}

/**
 * Several messages as consecutive frames of one DML message each, in one Buffer (one socket write). This is
 * what a server sends a client: client libraries read only the first message of a frame (docs/protocol.md).
 */
export function encodeDmlFrames(registry: MessageRegistry, messages: readonly { kind: MessageKind<any>; data: object }[]): Buffer {
  const parts = messages.map(({ kind, data }) => {
    const entry = registry.record(kind);
    const codec = usable(entry);
    return { entry, codec, data, length: messageLength(entry, codec, data) };
  });
  const frame = Buffer.allocUnsafe(parts.reduce((sum, p) => sum + frameLength(p.length), 0));
  let o = 0;
  for (const p of parts) {
    o = writeMessage(p.entry, p.codec, p.data, p.length, frame, writeFrameHeader(frame, o, false, 0, p.length));
    frame[o++] = 0;
  }
  return frame;
}

/** A whole frame carrying several DML messages, in order (accepted from clients; never sent to them). */
export function encodeDmlFrameOf(registry: MessageRegistry, messages: readonly { kind: MessageKind<any>; data: object }[]): Buffer {
  const parts = messages.map(({ kind, data }) => {
    const entry = registry.record(kind);
    const codec = usable(entry);
    return { entry, codec, data, length: messageLength(entry, codec, data) };
  });
  const payloadLength = parts.reduce((sum, p) => sum + p.length, 0);
  const frame = Buffer.allocUnsafe(frameLength(payloadLength));
  let o = writeFrameHeader(frame, 0, false, 0, payloadLength);
  for (const p of parts) o = writeMessage(p.entry, p.codec, p.data, p.length, frame, o);
  frame[o] = 0;
  return frame;
}
