// Size and CRC-32/IEEE of a file, streamed through one buffer: game archives are large, never read whole.
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

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
      crc = crc32(buffer.subarray(0, bytesRead), crc);
      size += bytesRead;
    }
    return { size, crc: crc >>> 0 };
  } finally {
    await fh.close();
  }
}
