// Size and CRC of a file, streamed through one buffer: game archives are large, never read whole. The CRC
// is the one the patch list carries for every file (docs/patch-server.md, "CRCs"): the KIWAD variant
// (reflected CRC-32 started from 0, no final XOR), not CRC-32/IEEE.
import { open } from 'node:fs/promises';
import { kiwadCrcUpdate } from '../../archive/index.js';

/** Undefined when the path cannot be opened or is not a regular file. */
export async function crcOfFile(path: string, buffer: Buffer = Buffer.allocUnsafe(1024 * 1024)): Promise<{ size: number; crc: number } | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    if (!(await fh.stat()).isFile()) return undefined;
    let crc = 0;
    let size = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      crc = kiwadCrcUpdate(crc, buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { size, crc };
  } finally {
    await fh.close();
  }
}
