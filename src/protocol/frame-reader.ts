// Incremental KiNP frame decoder (wire-protocol.md section 1). It does no I/O: the caller pushes
// whatever chunks the socket produced and gets back the frames they completed. Frames lying wholly
// inside one chunk are returned as views of that chunk (no copy); only a frame split across chunks
// is copied, into a buffer of exactly its size, so at most one frame plus the current chunk is held.
import { BadStartSignalError, FrameTooLargeError, FrameTooShortError } from './errors.js';

export const FRAME_START_SIGNAL = 0xf00d;
/** The u16 length field holds this (or more) when a u32 length follows. */
export const FRAME_LONG_FORM_MARKER = 0x8000;
export const FRAME_BODY_HEADER_LENGTH = 4;
export const DEFAULT_MAX_BODY_LENGTH = 65536;

export interface Frame {
  isControl: boolean;
  opcode: number;
  /**
   * Body without its 4-byte header and without the trailing null when the peer sent one (a peer
   * that omits it is recognised: for DML frames by the message lengths, otherwise by a last byte
   * that is not 0).
   */
  payload: Buffer;
}

export interface FrameReaderOptions {
  /** Largest accepted body length (header and trailing null included). Default 65536. */
  maxBodyLength?: number;
}

/**
 * Receives frames without a Frame object or payload view per frame: the payload is
 * buffer[start, end). The buffer is the pushed chunk or, for a frame split across chunks, a buffer
 * holding that frame alone; the reader never writes into either afterwards.
 */
export interface FrameVisitor {
  frame(isControl: boolean, opcode: number, buffer: Buffer, start: number, end: number): void;
}

/** True when the DML message lengths from `o` add up to exactly `end`. */
function dmlFillsExactly(buffer: Buffer, o: number, end: number): boolean {
  while (o + 4 <= end) {
    const length = buffer[o + 2]! | (buffer[o + 3]! << 8);
    if (length < 4) return false;
    o += length;
  }
  return o === end;
}

function emit(visitor: FrameVisitor, buffer: Buffer, start: number, bodyLength: number): void {
  let end = start + bodyLength;
  const isControl = buffer[start] !== 0;
  const opcode = buffer[start + 1]!;
  const payloadStart = start + FRAME_BODY_HEADER_LENGTH;
  // Older peers omit the trailing null, so a final 0 may be data. For DML frames the message
  // lengths settle it: when they fill the body exactly, that 0 belongs to the last message.
  if (bodyLength > FRAME_BODY_HEADER_LENGTH && buffer[end - 1] === 0 && (isControl || opcode !== 0 || !dmlFillsExactly(buffer, payloadStart, end))) end--;
  visitor.frame(isControl, opcode, buffer, payloadStart, end);
}

class FrameCollector implements FrameVisitor {
  frames: Frame[] = [];
  frame(isControl: boolean, opcode: number, buffer: Buffer, start: number, end: number): void {
    this.frames.push({ isControl, opcode, payload: buffer.subarray(start, end) });
  }
}

export class FrameReader {
  readonly #maxBodyLength: number;
  readonly #header = Buffer.alloc(8);
  #headerLength = 0;
  #body: Buffer | undefined = undefined;
  #bodyFilled = 0;
  #streamOffset = 0;
  #failure: unknown = undefined;
  readonly #collector = new FrameCollector();

  constructor(options: FrameReaderOptions = {}) {
    const max = options.maxBodyLength ?? DEFAULT_MAX_BODY_LENGTH;
    if (!Number.isInteger(max) || max < FRAME_BODY_HEADER_LENGTH || max > 0xffffffff) {
      throw new RangeError(`maxBodyLength must be an integer in ${FRAME_BODY_HEADER_LENGTH}..4294967295, got ${max}`);
    }
    this.#maxBodyLength = max;
  }

  /** Bytes held for the frame in progress (header bytes plus body bytes received so far). */
  get bufferedBytes(): number {
    return this.#headerLength + this.#bodyFilled;
  }

  /**
   * Feeds one chunk; returns the frames it completed, in order. Throws a FrameError on a bad start
   * signal or a body length outside the limits; the stream is then unusable and every later push
   * throws the same error (the caller closes the session).
   */
  push(chunk: Buffer): Frame[] {
    const collector = this.#collector;
    collector.frames = [];
    this.pushEach(chunk, collector);
    const frames = collector.frames;
    collector.frames = [];
    return frames;
  }

  /**
   * Like push(), but hands each frame to the visitor as it completes: the allocation-free path for
   * bulk streams. Errors as push(); a visitor that throws also leaves the reader unusable.
   */
  pushEach(chunk: Buffer, visitor: FrameVisitor): void {
    if (this.#failure !== undefined) throw this.#failure;
    const n = chunk.length;
    let pos = 0;
    try {
      while (pos < n) {
        const body = this.#body;
        if (body !== undefined) {
          const take = Math.min(body.length - this.#bodyFilled, n - pos);
          chunk.copy(body, this.#bodyFilled, pos, pos + take);
          this.#bodyFilled += take;
          pos += take;
          if (this.#bodyFilled === body.length) {
            this.#streamOffset += body.length;
            this.#body = undefined;
            this.#bodyFilled = 0;
            emit(visitor, body, 0, body.length);
          }
          continue;
        }
        if (this.#headerLength === 0 && n - pos >= 4) {
          const signal = chunk[pos]! | (chunk[pos + 1]! << 8);
          if (signal !== FRAME_START_SIGNAL) throw new BadStartSignalError(signal, this.#streamOffset);
          let bodyLength = chunk[pos + 2]! | (chunk[pos + 3]! << 8);
          let headerLength = 4;
          if (bodyLength >= FRAME_LONG_FORM_MARKER) {
            if (n - pos < 8) {
              this.#takeHeaderByte(chunk[pos++]!);
              continue;
            }
            bodyLength = chunk.readUInt32LE(pos + 4);
            headerLength = 8;
          }
          this.#checkLength(bodyLength);
          if (n - pos - headerLength >= bodyLength) {
            const start = pos + headerLength;
            pos = start + bodyLength;
            this.#streamOffset += headerLength + bodyLength;
            emit(visitor, chunk, start, bodyLength);
            continue;
          }
          this.#streamOffset += headerLength;
          this.#startBody(bodyLength);
          pos += headerLength;
          continue;
        }
        this.#takeHeaderByte(chunk[pos++]!);
      }
    } catch (error) {
      this.#failure = error;
      this.#body = undefined;
      this.#bodyFilled = 0;
      this.#headerLength = 0;
      throw error;
    }
  }

  #takeHeaderByte(byte: number): void {
    const header = this.#header;
    header[this.#headerLength++] = byte;
    const have = this.#headerLength;
    if (have === 2) {
      const signal = header[0]! | (header[1]! << 8);
      if (signal !== FRAME_START_SIGNAL) throw new BadStartSignalError(signal, this.#streamOffset);
    } else if (have === 4) {
      const bodyLength = header[2]! | (header[3]! << 8);
      if (bodyLength < FRAME_LONG_FORM_MARKER) this.#headerDone(bodyLength);
    } else if (have === 8) {
      this.#headerDone(header.readUInt32LE(4));
    }
  }

  #headerDone(bodyLength: number): void {
    this.#checkLength(bodyLength);
    this.#streamOffset += this.#headerLength;
    this.#headerLength = 0;
    this.#startBody(bodyLength);
  }

  #checkLength(bodyLength: number): void {
    if (bodyLength > this.#maxBodyLength) throw new FrameTooLargeError(bodyLength, this.#maxBodyLength);
    if (bodyLength < FRAME_BODY_HEADER_LENGTH) throw new FrameTooShortError(bodyLength);
  }

  #startBody(bodyLength: number): void {
    this.#body = Buffer.allocUnsafe(bodyLength);
    this.#bodyFilled = 0;
  }
}
