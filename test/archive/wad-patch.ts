// Byte surgery on written archives, to make the malformed inputs the reader must refuse.

/** Position of the index entry `i` in an archive of the given version. */
export function entryPos(wad: Buffer, i: number): number {
  let pos = wad.readUInt32LE(5) >= 2 ? 14 : 13;
  for (let k = 0; k < i; k++) pos += 21 + wad.readUInt32LE(pos + 17);
  return pos;
}

export const Field = { offset: 0, size: 4, compressedSize: 8, compressed: 12, crc: 13, nameLength: 17 } as const;

export function patchU32(wad: Buffer, entry: number, field: number, value: number): Buffer {
  const copy = Buffer.from(wad);
  copy.writeUInt32LE(value >>> 0, entryPos(copy, entry) + field);
  return copy;
}

export function entryField(wad: Buffer, entry: number, field: number): number {
  return wad.readUInt32LE(entryPos(wad, entry) + field);
}
