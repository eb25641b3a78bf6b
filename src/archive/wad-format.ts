// The KIWAD layout (archives.md): header and index parsing shared by the
// in-memory reader and the file reader, and the checks applied to stored bytes.
import {
  WadCountError, WadCrcError, WadMagicError, WadNameError, WadPlaceholderError, WadRangeError, WadTruncatedError,
  WadVersionError,
} from './errors.js';
import { kiwadCrc } from './kiwad-crc.js';

export const WAD_MAGIC = Buffer.from('KIWAD', 'latin1');
/** Bytes of a header without / with the flags byte. */
export const HEADER_SIZE_V1 = 13;
export const HEADER_SIZE_V2 = 14;
/** Fixed part of an index entry: offset, size, compressed size, flag, CRC, name length. */
export const ENTRY_FIXED_SIZE = 21;
/** The stored-size field of uncompressed entries usually holds this (never relied upon). */
export const NO_COMPRESSED_SIZE = 0xffffffff;

export const DEFAULT_MAX_NAME_LENGTH = 4096;
export const DEFAULT_MAX_ENTRY_SIZE = 256 * 1024 * 1024;

export interface WadHeader {
  readonly version: 1 | 2;
  /** Present from version 2; 0 for version 1. Meaning unknown (repacked Root.wad files use 1). */
  readonly flags: number;
  /** Number of index entries, placeholders included. */
  readonly count: number;
  /** Where the index starts (13 or 14). */
  readonly indexOffset: number;
}

/** One index entry, as the journal gives it. */
export interface WadEntry {
  /** `/`-separated path, without the trailing NUL. */
  readonly name: string;
  /** Position in the journal (0-based), placeholders included. */
  readonly position: number;
  /** Absolute offset of the stored bytes. */
  readonly offset: number;
  /** Uncompressed size. */
  readonly size: number;
  /** Bytes stored in the archive: the compressed size if compressed, else `size`. */
  readonly storedSize: number;
  readonly compressed: boolean;
  /** KIWAD CRC of the stored bytes (see kiwadCrc). */
  readonly crc: number;
}

export interface IndexLimits {
  readonly fileSize: number;
  readonly maxNameLength: number;
}

/** Parses the header from the first bytes of the file (at least 14 of them when the file has them). */
export function parseHeader(head: Buffer, fileSize: number): WadHeader {
  if (head.length < WAD_MAGIC.length || !head.subarray(0, WAD_MAGIC.length).equals(WAD_MAGIC)) {
    if (head.length < WAD_MAGIC.length && WAD_MAGIC.subarray(0, head.length).equals(head)) {
      throw new WadTruncatedError(`file of ${fileSize} bytes ends inside the header`);
    }
    throw new WadMagicError();
  }
  if (head.length < HEADER_SIZE_V1) throw new WadTruncatedError(`file of ${fileSize} bytes ends inside the header`);
  const version = head.readUInt32LE(5);
  if (version !== 1 && version !== 2) throw new WadVersionError(version);
  const count = head.readUInt32LE(9);
  let flags = 0;
  let indexOffset = HEADER_SIZE_V1;
  if (version >= 2) {
    if (head.length < HEADER_SIZE_V2) throw new WadTruncatedError(`file of ${fileSize} bytes ends inside the header`);
    flags = head[13]!;
    indexOffset = HEADER_SIZE_V2;
  }
  // Each index entry takes at least its fixed part plus a one-byte name: a
  // count beyond that is hostile or garbage, and must not size any allocation.
  const limit = Math.floor(Math.max(0, fileSize - indexOffset) / (ENTRY_FIXED_SIZE + 1));
  if (count > limit) throw new WadCountError(count, limit);
  return { version, flags, count, indexOffset };
}

/**
 * Parses whole index entries from `chunk` (which holds the file's bytes from
 * `chunkOffset` on) into `out`, up to `want` more entries. Returns the number of
 * bytes consumed; it stops early at an entry that does not fit in the chunk, so
 * the caller can read more and resume. The caller decides whether stopping
 * early means truncation (it does when the chunk reaches the end of the file).
 */
export function parseIndexEntries(chunk: Buffer, chunkOffset: number, want: number, limits: IndexLimits, out: WadEntry[]): number {
  let pos = 0;
  let parsed = 0;
  while (parsed < want && pos + ENTRY_FIXED_SIZE <= chunk.length) {
    const offset = chunk.readUInt32LE(pos);
    const size = chunk.readUInt32LE(pos + 4);
    const compressedSize = chunk.readUInt32LE(pos + 8);
    const compressed = chunk[pos + 12] !== 0;
    const crc = chunk.readUInt32LE(pos + 13);
    const nameLength = chunk.readUInt32LE(pos + 17);
    const position = out.length;
    const nameStart = chunkOffset + pos + ENTRY_FIXED_SIZE;
    if (nameLength === 0) throw new WadNameError(`index entry ${position} has an empty name`);
    if (nameLength > limits.maxNameLength) {
      throw new WadNameError(`index entry ${position} has a name of ${nameLength} bytes (limit ${limits.maxNameLength})`);
    }
    if (nameStart + nameLength > limits.fileSize) {
      throw new WadTruncatedError(`index entry ${position} has a name running past the end of the file`);
    }
    if (pos + ENTRY_FIXED_SIZE + nameLength > chunk.length) break;
    const nameBytes = chunk.subarray(pos + ENTRY_FIXED_SIZE, pos + ENTRY_FIXED_SIZE + nameLength);
    // The length counts a trailing NUL; tolerate writers that forgot it.
    const end = nameBytes[nameLength - 1] === 0 ? nameLength - 1 : nameLength;
    const name = nameBytes.toString('utf8', 0, end);
    if (name.length === 0 || name.includes('\0')) {
      throw new WadNameError(`index entry ${position} has an empty name or one with an inner NUL`, name);
    }
    const storedSize = compressed ? compressedSize : size;
    out.push({ name, position, offset, size, storedSize, compressed, crc });
    pos += ENTRY_FIXED_SIZE + nameLength;
    parsed++;
  }
  return pos;
}

/**
 * Refuses the first entry whose stored bytes run past the end of the file.
 * Run once the whole index is read, so a file cut inside its index is
 * reported as truncated rather than as a bad range.
 */
export function checkRanges(entries: readonly WadEntry[], fileSize: number): void {
  for (const entry of entries) {
    if (entry.offset + entry.storedSize > fileSize) throw new WadRangeError(entry.name, entry.offset, entry.storedSize, fileSize);
  }
}

/** True when the stored bytes are an unpatched placeholder rather than data. */
export function isPlaceholder(entry: WadEntry, stored: Buffer): boolean {
  return entry.size !== 0 && kiwadCrc(stored) !== entry.crc && isAllZero(stored);
}

/**
 * Throws when the stored bytes do not match the entry's CRC: a placeholder
 * error for all-zero bytes, a CRC error otherwise. Zero-length entries are
 * empty files whatever their CRC field says.
 */
export function checkStored(entry: WadEntry, stored: Buffer): void {
  if (entry.size === 0) return;
  const actual = kiwadCrc(stored);
  if (actual === entry.crc) return;
  if (isAllZero(stored)) throw new WadPlaceholderError(entry.name);
  throw new WadCrcError(entry.name, entry.crc, actual);
}

const ZERO_BLOCK = Buffer.alloc(64 * 1024);

function isAllZero(bytes: Buffer): boolean {
  // Compared against a block of zeros (memcmp): placeholders can be megabytes long.
  for (let start = 0; start < bytes.length; start += ZERO_BLOCK.length) {
    const part = bytes.subarray(start, start + ZERO_BLOCK.length);
    if (!part.equals(ZERO_BLOCK.subarray(0, part.length))) return false;
  }
  return true;
}
