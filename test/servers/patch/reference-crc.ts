// An independent CRC for the patch tests: bit at a time, reflected polynomial 0xEDB88320, with the start
// value and final XOR spelled out, so the server's table-driven KIWAD CRC is checked against the definition
// and not against itself. Known vectors over "123456789": KIWAD (start 0, no final XOR) 0x2DFD2D88,
// CRC-32/IEEE (start and final XOR 0xFFFFFFFF) 0xCBF43926.
import assert from 'node:assert/strict';

export function bitwiseCrc(data: Uint8Array, init: number, xorOut: number): number {
  let crc = init >>> 0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ xorOut) >>> 0;
}

/** The CRC of every patch list entry (CRC and HeaderCRC). */
export function referenceKiwadCrc(data: Uint8Array): number {
  return bitwiseCrc(data, 0, 0);
}

/** CRC-32/IEEE: the default ListFileCRC. */
export function referenceStandardCrc(data: Uint8Array): number {
  return bitwiseCrc(data, 0xffffffff, 0xffffffff);
}

/** The check values of both variants; a test calls this so a broken reference cannot pass unnoticed. */
export function assertReferenceVectors(): void {
  const check = Buffer.from('123456789', 'latin1');
  assert.equal(referenceKiwadCrc(check), 0x2dfd2d88, 'KIWAD check value');
  assert.equal(referenceStandardCrc(check), 0xcbf43926, 'CRC-32/IEEE check value');
  assert.equal(referenceKiwadCrc(new Uint8Array(0)), 0);
  // Computed with Python's binascii.crc32(data, 0xFFFFFFFF) ^ 0xFFFFFFFF, a third implementation.
  assert.equal(referenceKiwadCrc(Buffer.from('a', 'latin1')), 0x3ab551ce);
  assert.equal(referenceKiwadCrc(Buffer.from('The quick brown fox jumps over the lazy dog', 'latin1')), 0xb9c60808);
}
