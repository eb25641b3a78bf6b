// Turns the stored bytes of an entry into its content: CRC check, then inflate
// with the output capped at the declared size, so a zlib bomb costs at most
// that many bytes.
import { inflate, inflateSync } from 'node:zlib';
import { WadEntryTooLargeError, WadInflateError, WadSizeError } from './errors.js';
import { checkStored, type WadEntry } from './wad-format.js';

const EMPTY = Buffer.alloc(0);

/** Synchronous decode. Stored (uncompressed) entries come back as `stored` itself, not a copy. */
export function decodeEntrySync(entry: WadEntry, stored: Buffer, maxEntrySize: number): Buffer {
  if (entry.size === 0) return EMPTY;
  checkStored(entry, stored);
  if (!entry.compressed) return stored;
  if (entry.size > maxEntrySize) throw new WadEntryTooLargeError(entry.name, entry.size, maxEntrySize);
  let out: Buffer;
  try {
    out = inflateSync(stored, { maxOutputLength: entry.size });
  } catch (error) {
    throw inflateFailure(entry, error);
  }
  if (out.length !== entry.size) throw new WadSizeError(entry.name, entry.size, String(out.length));
  return out;
}

/**
 * Below this size, inflating in place costs less than the round trip to the
 * thread pool (bench/archive.ts).
 */
const SYNC_INFLATE_LIMIT = 256 * 1024;

/** Same as decodeEntrySync, inflating large entries on the thread pool. */
export async function decodeEntry(entry: WadEntry, stored: Buffer, maxEntrySize: number): Promise<Buffer> {
  if (entry.size <= SYNC_INFLATE_LIMIT) return decodeEntrySync(entry, stored, maxEntrySize);
  checkStored(entry, stored);
  if (!entry.compressed) return stored;
  if (entry.size > maxEntrySize) throw new WadEntryTooLargeError(entry.name, entry.size, maxEntrySize);
  const out = await new Promise<Buffer>((resolve, reject) => {
    inflate(stored, { maxOutputLength: entry.size }, (error, result) => {
      if (error) reject(inflateFailure(entry, error));
      else resolve(result);
    });
  });
  if (out.length !== entry.size) throw new WadSizeError(entry.name, entry.size, String(out.length));
  return out;
}

function inflateFailure(entry: WadEntry, error: unknown): Error {
  // Node reports output beyond maxOutputLength as ERR_BUFFER_TOO_LARGE.
  if ((error as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE') {
    return new WadSizeError(entry.name, entry.size, `more than ${entry.size}`);
  }
  return new WadInflateError(entry.name, error);
}
