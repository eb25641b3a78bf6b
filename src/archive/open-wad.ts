// Reads a KIWAD archive from a file without loading it: the index is read in
// chunks at open, entries are read at their offsets on demand.
import { open, type FileHandle } from 'node:fs/promises';
import { WadClosedError, WadEntryTooLargeError, WadNotFoundError, WadTruncatedError } from './errors.js';
import { decodeEntry } from './decode-entry.js';
import {
  checkRanges, DEFAULT_MAX_ENTRY_SIZE, DEFAULT_MAX_NAME_LENGTH, ENTRY_FIXED_SIZE, HEADER_SIZE_V2, parseHeader, parseIndexEntries,
  type WadEntry, type WadHeader,
} from './wad-format.js';

export interface OpenWadOptions {
  /** Largest uncompressed size an entry may declare before read() refuses it. Default 256 MiB. */
  readonly maxEntrySize?: number;
  /** Longest name (bytes, NUL included) accepted in the index. Default 4096. */
  readonly maxNameLength?: number;
  /** Bytes read per index chunk. Default 64 KiB. */
  readonly chunkSize?: number;
}

export interface WadReader {
  readonly path: string;
  readonly header: WadHeader;
  readonly fileSize: number;
  /**
   * Journal order, every entry: placeholders cannot be told apart without
   * reading their data, so read() reports them (WadPlaceholderError).
   */
  readonly entries: readonly WadEntry[];
  /** Name to entry; with duplicate names the last in the journal wins. */
  readonly byName: ReadonlyMap<string, WadEntry>;
  get(name: string): WadEntry | undefined;
  /**
   * The content of an entry (or of the entry a name maps to): CRC-checked,
   * inflated and size-checked. Rejects with WadPlaceholderError for an
   * unpatched placeholder (callers usually skip it), WadCrcError,
   * WadInflateError, WadSizeError, WadEntryTooLargeError, WadNotFoundError,
   * WadClosedError.
   */
  read(entry: WadEntry | string): Promise<Buffer>;
  /** The stored bytes as they are in the archive, unchecked. */
  readStored(entry: WadEntry | string): Promise<Buffer>;
  close(): Promise<void>;
}

/** Opens an archive and reads its index. Rejects with WadError subclasses for a malformed header or index. */
export async function openWad(path: string, options: OpenWadOptions = {}): Promise<WadReader> {
  const maxEntrySize = options.maxEntrySize ?? DEFAULT_MAX_ENTRY_SIZE;
  const maxNameLength = options.maxNameLength ?? DEFAULT_MAX_NAME_LENGTH;
  // Large enough for any single entry the limits allow, so a chunk always makes progress.
  const chunkSize = Math.max(options.chunkSize ?? 64 * 1024, ENTRY_FIXED_SIZE + maxNameLength);
  const handle = await open(path, 'r');
  try {
    const fileSize = (await handle.stat()).size;
    const header = parseHeader(await readAt(handle, 0, Math.min(HEADER_SIZE_V2, fileSize)), fileSize);
    const entries = await readIndex(handle, header, { fileSize, maxNameLength }, chunkSize);
    return new FileWadReader(path, handle, header, fileSize, entries, maxEntrySize);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function readIndex(handle: FileHandle, header: WadHeader, limits: { fileSize: number; maxNameLength: number },
  chunkSize: number): Promise<WadEntry[]> {
  const entries: WadEntry[] = [];
  let position = header.indexOffset;
  let carry: Buffer = Buffer.alloc(0);
  while (entries.length < header.count) {
    const length = Math.min(chunkSize, limits.fileSize - position);
    const fresh = length > 0 ? await readAt(handle, position, length) : Buffer.alloc(0);
    position += fresh.length;
    const chunk = carry.length === 0 ? fresh : Buffer.concat([carry, fresh]);
    const chunkOffset = position - chunk.length;
    const consumed = parseIndexEntries(chunk, chunkOffset, header.count - entries.length, limits, entries);
    carry = chunk.subarray(consumed);
    if (entries.length < header.count && position >= limits.fileSize) {
      throw new WadTruncatedError(`index ends after ${entries.length} of ${header.count} entries`);
    }
  }
  checkRanges(entries, limits.fileSize);
  return entries;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  // The file shrank under us: what is missing is a truncation, not garbage.
  if (filled < length) throw new WadTruncatedError(`file ended at byte ${position + filled} while reading ${length} bytes at ${position}`);
  return buffer;
}

class FileWadReader implements WadReader {
  readonly byName: ReadonlyMap<string, WadEntry>;
  #handle: FileHandle | undefined;
  readonly #maxEntrySize: number;

  constructor(readonly path: string, handle: FileHandle, readonly header: WadHeader, readonly fileSize: number,
    readonly entries: readonly WadEntry[], maxEntrySize: number) {
    this.#handle = handle;
    this.#maxEntrySize = maxEntrySize;
    const byName = new Map<string, WadEntry>();
    for (const entry of entries) byName.set(entry.name, entry);
    this.byName = byName;
  }

  get(name: string): WadEntry | undefined {
    return this.byName.get(name);
  }

  async read(entry: WadEntry | string): Promise<Buffer> {
    const resolved = this.#resolve(entry);
    if (resolved.size === 0) return Buffer.alloc(0);
    // Checked before reading: the stored bytes of such an entry are not worth loading.
    const declared = Math.max(resolved.size, resolved.storedSize);
    if (declared > this.#maxEntrySize) throw new WadEntryTooLargeError(resolved.name, declared, this.#maxEntrySize);
    return decodeEntry(resolved, await this.readStored(resolved), this.#maxEntrySize);
  }

  async readStored(entry: WadEntry | string): Promise<Buffer> {
    const resolved = this.#resolve(entry);
    if (resolved.storedSize === 0) return Buffer.alloc(0);
    return readAt(this.#open(), resolved.offset, resolved.storedSize);
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }

  #open(): FileHandle {
    if (this.#handle === undefined) throw new WadClosedError();
    return this.#handle;
  }

  #resolve(entry: WadEntry | string): WadEntry {
    this.#open();
    if (typeof entry !== 'string') return entry;
    const found = this.byName.get(entry);
    if (found === undefined) throw new WadNotFoundError(entry);
    return found;
  }
}
