// Builds a KIWAD archive in memory: header, index sorted by name, then the
// stored bytes of each entry in index order.
import { constants as zlibConstants, deflateSync, inflateSync } from 'node:zlib';
import { WadWriteInputError } from './errors.js';
import { kiwadCrc } from './kiwad-crc.js';
import {
  DEFAULT_MAX_NAME_LENGTH, ENTRY_FIXED_SIZE, HEADER_SIZE_V1, HEADER_SIZE_V2, NO_COMPRESSED_SIZE, WAD_MAGIC,
} from './wad-format.js';

export interface WadInputFile {
  /** `/`-separated path. Must be non-empty and free of NUL characters. */
  readonly name: string;
  /** The content (uncompressed). */
  readonly data: Buffer;
  /** Store a zlib stream of `data` (default false). Ignored for empty files, which are always stored. */
  readonly compress?: boolean;
  /**
   * A ready zlib stream of `data` to store as is (e.g. copied from another
   * archive with `stored()`); implies `compress`. It is checked to inflate to `data`.
   */
  readonly deflated?: Buffer;
}

export interface WriteWadOptions {
  /** 1 (default) or 2. Version 2 adds the flags byte to the header. */
  readonly version?: 1 | 2;
  /** Header flags byte, version 2 only (repacked Root.wad files the client accepts use 1). Default 0. */
  readonly flags?: number;
  /** zlib level for `compress` (0..9, default zlib's default). */
  readonly level?: number;
}

const U32_LIMIT = 2 ** 32;

interface Planned {
  readonly name: string;
  readonly nameBytes: Buffer;
  readonly size: number;
  readonly stored: Buffer;
  readonly compressed: boolean;
}

/**
 * Writes an archive. Entries are sorted by name (byte order, stable, so among
 * duplicate names the last given stays last and wins for readers).
 * Throws WadWriteInputError for input the format cannot hold.
 */
export function writeWad(files: readonly WadInputFile[], options: WriteWadOptions = {}): Buffer {
  const version = options.version ?? 1;
  const flags = options.flags ?? 0;
  if (version !== 1 && version !== 2) throw new WadWriteInputError(`version must be 1 or 2, not ${String(version)}`);
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xff) throw new WadWriteInputError(`flags must be a byte, not ${flags}`);
  if (version === 1 && flags !== 0) throw new WadWriteInputError('flags need version 2 (version 1 has no flags byte)');
  const level = options.level ?? zlibConstants.Z_DEFAULT_COMPRESSION;

  const planned = files.map((file) => plan(file, level));
  planned.sort((a, b) => Buffer.compare(a.nameBytes, b.nameBytes));

  const headerSize = version === 2 ? HEADER_SIZE_V2 : HEADER_SIZE_V1;
  let indexSize = 0;
  for (const entry of planned) indexSize += ENTRY_FIXED_SIZE + entry.nameBytes.length + 1;
  let total = headerSize + indexSize;
  for (const entry of planned) total += entry.stored.length;
  if (total >= U32_LIMIT) throw new WadWriteInputError(`archive of ${total} bytes exceeds the 4 GiB the format can address`);

  const out = Buffer.alloc(total);
  WAD_MAGIC.copy(out, 0);
  out.writeUInt32LE(version, 5);
  out.writeUInt32LE(planned.length, 9);
  if (version === 2) out[13] = flags;

  let indexPos = headerSize;
  let dataPos = headerSize + indexSize;
  for (const entry of planned) {
    out.writeUInt32LE(dataPos, indexPos);
    out.writeUInt32LE(entry.size, indexPos + 4);
    out.writeUInt32LE(entry.compressed ? entry.stored.length : NO_COMPRESSED_SIZE, indexPos + 8);
    out[indexPos + 12] = entry.compressed ? 1 : 0;
    out.writeUInt32LE(kiwadCrc(entry.stored), indexPos + 13);
    out.writeUInt32LE(entry.nameBytes.length + 1, indexPos + 17);
    entry.nameBytes.copy(out, indexPos + ENTRY_FIXED_SIZE);
    indexPos += ENTRY_FIXED_SIZE + entry.nameBytes.length + 1;
    entry.stored.copy(out, dataPos);
    dataPos += entry.stored.length;
  }
  return out;
}

function plan(file: WadInputFile, level: number): Planned {
  const { name, data } = file;
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0')) {
    throw new WadWriteInputError('a name must be a non-empty string without NUL', String(name));
  }
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length + 1 > DEFAULT_MAX_NAME_LENGTH) {
    throw new WadWriteInputError(`name of ${nameBytes.length} bytes is longer than readers accept`, name);
  }
  if (!Buffer.isBuffer(data)) throw new WadWriteInputError('data must be a Buffer', name);
  if (data.length >= U32_LIMIT) throw new WadWriteInputError('file too large for the format', name);
  if (data.length === 0) return { name, nameBytes, size: 0, stored: data, compressed: false };
  if (file.deflated !== undefined) {
    checkDeflated(name, data, file.deflated);
    return { name, nameBytes, size: data.length, stored: file.deflated, compressed: true };
  }
  if (file.compress === true) {
    return { name, nameBytes, size: data.length, stored: deflateSync(data, { level }), compressed: true };
  }
  return { name, nameBytes, size: data.length, stored: data, compressed: false };
}

function checkDeflated(name: string, data: Buffer, deflated: Buffer): void {
  let inflated: Buffer;
  try {
    inflated = inflateSync(deflated, { maxOutputLength: data.length });
  } catch (error) {
    throw new WadWriteInputError('deflated is not a zlib stream of data', name, error);
  }
  if (!inflated.equals(data)) throw new WadWriteInputError('deflated does not inflate to data', name);
}
