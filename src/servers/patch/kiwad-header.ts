// Locates the header + index region of a KIWAD archive (archives.md) without reading the data, so the
// file list can give the client HeaderSize and HeaderCRC: the patcher fetches that region by Range to
// decide which entries it needs. src/archive holds the full reader; this only walks the index.
import type { FileHandle } from 'node:fs/promises';
import { kiwadCrc } from '../../archive/index.js';

const MAGIC = Buffer.from('KIWAD', 'ascii');
const ENTRY_FIXED = 21; // offset, size, compressed size, flag, crc, name length
const MAX_NAME = 4096;
/** A real Root.wad index is a few MB; anything far past that is not an index we should hash into memory. */
export const MAX_KIWAD_INDEX_BYTES = 64 * 1024 * 1024;

export interface KiwadHeader { readonly headerSize: number; readonly headerCrc: number; readonly entries: number }

/**
 * Returns the region [0, headerSize) and its KIWAD CRC (the CRC the patch list carries), or undefined when the file is not a well-formed
 * KIWAD (wrong magic or version, index running past the file or past MAX_KIWAD_INDEX_BYTES).
 */
export async function readKiwadHeader(fh: FileHandle, fileSize: number): Promise<KiwadHeader | undefined> {
  const cap = Math.min(fileSize, MAX_KIWAD_INDEX_BYTES);
  let buf = Buffer.alloc(Math.min(cap, 64 * 1024));
  let have = 0;
  const ensure = async (n: number): Promise<boolean> => {
    if (n > cap) return false;
    if (n <= have) return true;
    if (n > buf.length) {
      const bigger = Buffer.alloc(Math.min(cap, Math.max(n, buf.length * 2)));
      buf.copy(bigger, 0, 0, have);
      buf = bigger;
    }
    while (have < n) {
      const { bytesRead } = await fh.read(buf, have, buf.length - have, have);
      if (bytesRead === 0) return false;
      have += bytesRead;
    }
    return true;
  };
  if (!(await ensure(13)) || !buf.subarray(0, 5).equals(MAGIC)) return undefined;
  const version = buf.readUInt32LE(5);
  if (version !== 1 && version !== 2) return undefined;
  const entries = buf.readUInt32LE(9);
  let pos = version >= 2 ? 14 : 13;
  if (entries > Math.floor((cap - pos) / ENTRY_FIXED)) return undefined;
  for (let i = 0; i < entries; i++) {
    if (!(await ensure(pos + ENTRY_FIXED))) return undefined;
    const nameLength = buf.readUInt32LE(pos + 17);
    if (nameLength > MAX_NAME) return undefined;
    pos += ENTRY_FIXED + nameLength;
    if (!(await ensure(pos))) return undefined;
  }
  if (!(await ensure(pos))) return undefined;
  return { headerSize: pos, headerCrc: kiwadCrc(buf.subarray(0, pos)), entries };
}
