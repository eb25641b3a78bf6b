// The writing twin of BitReader. The buffer starts zeroed and grows by
// doubling, so alignment padding is always zero bits.

export class BitWriter {
  #buf: Buffer;
  /** Position in bits. */
  pos = 0;

  constructor(initialBytes = 256) {
    this.#buf = Buffer.alloc(initialBytes);
  }

  /** Forgets the content; keeps (and re-zeroes) the storage for reuse. */
  reset(): void {
    this.#buf.fill(0, 0, Math.min(this.#buf.length, (this.pos + 7) >>> 3));
    this.pos = 0;
  }

  #ensure(bits: number): void {
    const needBytes = (this.pos + bits + 7) >>> 3;
    if (needBytes <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < needBytes) size *= 2;
    const next = Buffer.alloc(size);
    this.#buf.copy(next, 0, 0, (this.pos + 7) >>> 3);
    this.#buf = next;
  }

  align(): void {
    this.pos = (this.pos + 7) & ~7;
  }

  /** Writes the low n (0..32) bits of v unaligned. */
  bits(v: number, n: number): void {
    this.#ensure(n);
    const buf = this.#buf;
    let pos = this.pos;
    let value = n === 32 ? v >>> 0 : (v >>> 0) % 2 ** n;
    let left = n;
    while (left > 0) {
      const shift = pos & 7;
      const take = Math.min(8 - shift, left);
      const part = value & ((1 << take) - 1);
      buf[pos >>> 3] = buf[pos >>> 3]! | (part << shift);
      value = Math.floor(value / 2 ** take);
      left -= take;
      pos += take;
    }
    this.pos = pos;
  }

  bool(v: boolean): void {
    this.#ensure(1);
    if (v) this.#buf[this.pos >>> 3] = this.#buf[this.pos >>> 3]! | (1 << (this.pos & 7));
    this.pos += 1;
  }

  u8(v: number): void {
    this.align();
    this.#ensure(8);
    this.#buf[this.pos >>> 3] = v & 0xff;
    this.pos += 8;
  }

  u16(v: number): void {
    this.align();
    this.#ensure(16);
    this.#buf.writeUInt16LE(v & 0xffff, this.pos >>> 3);
    this.pos += 16;
  }

  u32(v: number): void {
    this.align();
    this.#ensure(32);
    this.#buf.writeUInt32LE(v >>> 0, this.pos >>> 3);
    this.pos += 32;
  }

  f32(v: number): void {
    this.align();
    this.#ensure(32);
    this.#buf.writeFloatLE(v, this.pos >>> 3);
    this.pos += 32;
  }

  f64(v: number): void {
    this.align();
    this.#ensure(64);
    this.#buf.writeDoubleLE(v, this.pos >>> 3);
    this.pos += 64;
  }

  u64(v: bigint): void {
    this.align();
    this.#ensure(64);
    this.#buf.writeBigUInt64LE(BigInt.asUintN(64, v), this.pos >>> 3);
    this.pos += 64;
  }

  bytes(data: Uint8Array): void {
    this.align();
    this.#ensure(data.length * 8);
    this.#buf.set(data, this.pos >>> 3);
    this.pos += data.length * 8;
  }

  /** Aligns, then writes a string's UTF-8 bytes (`byteLength` of them, as Buffer.byteLength gives). */
  utf8(v: string, byteLength: number): void {
    this.align();
    this.#ensure(byteLength * 8);
    this.#buf.write(v, this.pos >>> 3, byteLength, 'utf8');
    this.pos += byteLength * 8;
  }

  /** Overwrites an aligned u32 written earlier (size fields). */
  patchU32(bitPos: number, v: number): void {
    this.#buf.writeUInt32LE(v >>> 0, bitPos >>> 3);
  }

  /** A copy of the bytes written so far (the last byte padded with zeros). */
  toBuffer(): Buffer {
    return Buffer.from(this.#buf.subarray(0, (this.pos + 7) >>> 3));
  }
}
