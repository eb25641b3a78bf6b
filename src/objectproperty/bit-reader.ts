// A little-endian bit stream reader: values are read least significant bit
// first, and "aligned" reads skip to the next byte boundary before reading.
import { TruncatedError } from './errors.js';

export class BitReader {
  readonly buffer: Buffer;
  /** Position in bits from the start of `buffer`. */
  pos: number;
  /** End of the readable data in bits. */
  readonly end: number;

  constructor(buffer: Buffer, startByte = 0) {
    this.buffer = buffer;
    this.pos = startByte * 8;
    this.end = buffer.length * 8;
  }

  get remainingBits(): number {
    return this.end - this.pos;
  }

  #need(bits: number): void {
    if (this.pos + bits > this.end) throw new TruncatedError(this.pos, bits, this.end - this.pos);
  }

  align(): void {
    this.pos = (this.pos + 7) & ~7;
    if (this.pos > this.end) throw new TruncatedError(this.end, 0, 0);
  }

  /** Reads n (0..32) bits unaligned, as an unsigned number. */
  bits(n: number): number {
    this.#need(n);
    let pos = this.pos;
    this.pos = pos + n;
    const buf = this.buffer;
    let result = 0;
    let got = 0;
    while (got < n) {
      const shift = pos & 7;
      const take = Math.min(8 - shift, n - got);
      const part = (buf[pos >>> 3]! >>> shift) & ((1 << take) - 1);
      result += part * 2 ** got;
      got += take;
      pos += take;
    }
    return result;
  }

  /** Reads n bits unaligned and sign-extends them. */
  signedBits(n: number): number {
    const v = this.bits(n);
    return v >= 2 ** (n - 1) ? v - 2 ** n : v;
  }

  bool(): boolean {
    this.#need(1);
    const pos = this.pos++;
    return ((this.buffer[pos >>> 3]! >>> (pos & 7)) & 1) === 1;
  }

  u8(): number {
    this.align();
    this.#need(8);
    const v = this.buffer[this.pos >>> 3]!;
    this.pos += 8;
    return v;
  }

  i8(): number {
    const v = this.u8();
    return v >= 0x80 ? v - 0x100 : v;
  }

  u16(): number {
    this.align();
    this.#need(16);
    const v = this.buffer.readUInt16LE(this.pos >>> 3);
    this.pos += 16;
    return v;
  }

  i16(): number {
    this.align();
    this.#need(16);
    const v = this.buffer.readInt16LE(this.pos >>> 3);
    this.pos += 16;
    return v;
  }

  u32(): number {
    this.align();
    this.#need(32);
    const v = this.buffer.readUInt32LE(this.pos >>> 3);
    this.pos += 32;
    return v;
  }

  i32(): number {
    this.align();
    this.#need(32);
    const v = this.buffer.readInt32LE(this.pos >>> 3);
    this.pos += 32;
    return v;
  }

  f32(): number {
    this.align();
    this.#need(32);
    const v = this.buffer.readFloatLE(this.pos >>> 3);
    this.pos += 32;
    return v;
  }

  f64(): number {
    this.align();
    this.#need(64);
    const v = this.buffer.readDoubleLE(this.pos >>> 3);
    this.pos += 64;
    return v;
  }

  u64(): bigint {
    this.align();
    this.#need(64);
    const v = this.buffer.readBigUInt64LE(this.pos >>> 3);
    this.pos += 64;
    return v;
  }

  i64(): bigint {
    this.align();
    this.#need(64);
    const v = this.buffer.readBigInt64LE(this.pos >>> 3);
    this.pos += 64;
    return v;
  }

  /** Aligns, skips the next n bytes and returns the byte offset where they start. */
  skipBytes(n: number): number {
    this.align();
    this.#need(n * 8);
    const start = this.pos >>> 3;
    this.pos += n * 8;
    return start;
  }

  /** Aligns, then returns a view of the next n bytes. */
  bytes(n: number): Buffer {
    this.align();
    this.#need(n * 8);
    const start = this.pos >>> 3;
    this.pos += n * 8;
    return this.buffer.subarray(start, start + n);
  }
}
