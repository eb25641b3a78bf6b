// A tiny independent zlib compressor for tests: one fixed-Huffman deflate
// block with greedy LZ77 matches of 3 bytes and more. Unlike node's zlib
// (Chromium's, which hashes 4 bytes and so never emits 3-byte matches), it
// reproduces the stream sizes behind the 243-byte test archive of archives.md.

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
  4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

class BitWriter {
  readonly bytes: number[] = [];
  #acc = 0;
  #count = 0;

  /** Extra bits and header fields: least significant bit first. */
  bits(value: number, n: number): void {
    for (let i = 0; i < n; i++) this.#bit((value >>> i) & 1);
  }

  /** Huffman codes: most significant bit first. */
  code(value: number, n: number): void {
    for (let i = n - 1; i >= 0; i--) this.#bit((value >>> i) & 1);
  }

  flush(): void {
    if (this.#count > 0) this.bytes.push(this.#acc);
    this.#acc = 0;
    this.#count = 0;
  }

  #bit(b: number): void {
    this.#acc |= b << this.#count;
    if (++this.#count === 8) this.flush();
  }
}

function literalCode(w: BitWriter, symbol: number): void {
  if (symbol < 144) w.code(0x30 + symbol, 8);
  else if (symbol < 256) w.code(0x190 + symbol - 144, 9);
  else if (symbol < 280) w.code(symbol - 256, 7);
  else w.code(0xc0 + symbol - 280, 8);
}

function lastIndexAtMost(table: number[], value: number): number {
  let i = table.length - 1;
  while (table[i]! > value) i--;
  return i;
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

export function fixedHuffmanDeflate(data: Uint8Array): Buffer {
  const w = new BitWriter();
  w.bits(1, 1);
  w.bits(1, 2);
  let i = 0;
  while (i < data.length) {
    let bestLength = 0;
    let bestDistance = 0;
    for (let start = Math.max(0, i - 32768); start < i; start++) {
      let n = 0;
      while (n < 258 && i + n < data.length && data[start + n] === data[i + n]) n++;
      if (n > bestLength) {
        bestLength = n;
        bestDistance = i - start;
      }
    }
    if (bestLength >= 3) {
      const li = lastIndexAtMost(LENGTH_BASE, bestLength);
      literalCode(w, 257 + li);
      w.bits(bestLength - LENGTH_BASE[li]!, LENGTH_EXTRA[li]!);
      const di = lastIndexAtMost(DIST_BASE, bestDistance);
      w.code(di, 5);
      w.bits(bestDistance - DIST_BASE[di]!, DIST_EXTRA[di]!);
      i += bestLength;
    } else {
      literalCode(w, data[i]!);
      i++;
    }
  }
  literalCode(w, 256);
  w.flush();
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(adler32(data));
  return Buffer.concat([Buffer.from([0x78, 0x9c]), Buffer.from(w.bytes), trailer]);
}
