// Reads a whole KIWAD archive held in memory.
import { WadTruncatedError } from './errors.js';
import { decodeEntrySync } from './decode-entry.js';
import {
  checkRanges, DEFAULT_MAX_ENTRY_SIZE, DEFAULT_MAX_NAME_LENGTH, isPlaceholder, parseHeader, parseIndexEntries, type WadEntry,
  type WadHeader,
} from './wad-format.js';

export interface ReadWadOptions {
  /** Largest uncompressed size an entry may declare before data() refuses to inflate it. Default 256 MiB. */
  readonly maxEntrySize?: number;
  /** Longest name (bytes, NUL included) accepted in the index. Default 4096. */
  readonly maxNameLength?: number;
}

export interface WadFile extends WadEntry {
  /**
   * The content: inflated and size-checked for compressed entries, CRC-checked
   * always. For stored entries it is a view into the archive buffer.
   * Throws WadCrcError, WadInflateError, WadSizeError or WadEntryTooLargeError.
   */
  data(): Buffer;
  /** The stored bytes as they are in the archive (the zlib stream for compressed entries). */
  stored(): Buffer;
}

export interface Wad {
  readonly header: WadHeader;
  /** Journal order, placeholders left out. */
  readonly entries: readonly WadFile[];
  /** Unpatched placeholders (all-zero stored bytes with a CRC mismatch), skipped. */
  readonly placeholders: readonly WadEntry[];
  /** One line per thing skipped, for logs. */
  readonly notes: readonly string[];
  /** Name to entry; with duplicate names the last in the journal wins. */
  readonly byName: ReadonlyMap<string, WadFile>;
  get(name: string): WadFile | undefined;
}

/**
 * Parses the header and the index, checks that every entry's range lies in the
 * buffer and sets placeholders aside. Entry contents are decoded on demand by
 * `data()`, so one corrupt entry does not make the others unreadable.
 * Throws WadError subclasses for a malformed header or index.
 */
export function readWad(data: Buffer, options: ReadWadOptions = {}): Wad {
  const maxEntrySize = options.maxEntrySize ?? DEFAULT_MAX_ENTRY_SIZE;
  const maxNameLength = options.maxNameLength ?? DEFAULT_MAX_NAME_LENGTH;
  const header = parseHeader(data.subarray(0, 14), data.length);
  const index: WadEntry[] = [];
  const consumed = parseIndexEntries(data.subarray(header.indexOffset), header.indexOffset, header.count, {
    fileSize: data.length, maxNameLength,
  }, index);
  if (index.length < header.count) {
    throw new WadTruncatedError(`index ends after ${index.length} of ${header.count} entries (at byte ${header.indexOffset + consumed})`);
  }

  checkRanges(index, data.length);

  const entries: WadFile[] = [];
  const placeholders: WadEntry[] = [];
  const notes: string[] = [];
  const byName = new Map<string, WadFile>();
  for (const entry of index) {
    const stored = data.subarray(entry.offset, entry.offset + entry.storedSize);
    if (isPlaceholder(entry, stored)) {
      placeholders.push(entry);
      notes.push(`skipped placeholder "${entry.name}" (${entry.storedSize} zero bytes, CRC mismatch)`);
      continue;
    }
    const file: WadFile = {
      ...entry,
      data: () => decodeEntrySync(entry, stored, maxEntrySize),
      stored: () => stored,
    };
    entries.push(file);
    byName.set(entry.name, file);
  }
  return { header, entries, placeholders, notes, byName, get: (name) => byName.get(name) };
}
