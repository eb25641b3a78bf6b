import { crc32 } from 'node:zlib';

/**
 * The CRC of KIWAD entries: reflected CRC-32 (0xEDB88320) started from 0 and
 * without the final XOR. zlib's crc32(data, v) complements v on entry and the
 * result on exit, so a seed of 0xFFFFFFFF starts the register at 0 and one more
 * complement removes the final XOR.
 * Vectors: "123456789" -> 0x2DFD2D88, empty -> 0. All-zero data also gives 0.
 */
export function kiwadCrc(data: Uint8Array): number {
  return (crc32(data, 0xffffffff) ^ 0xffffffff) >>> 0;
}

/**
 * Continues a KIWAD CRC over the next chunk of a stream: `kiwadCrcUpdate(kiwadCrc(a), b)` equals
 * `kiwadCrc(a + b)`, and a stream starts from 0. The register is complemented back into zlib's form
 * for the chunk and out again afterwards.
 */
export function kiwadCrcUpdate(previous: number, chunk: Uint8Array): number {
  return (crc32(chunk, (previous ^ 0xffffffff) >>> 0) ^ 0xffffffff) >>> 0;
}
