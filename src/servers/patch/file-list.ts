// Building the file list of a directory: walk, classify, hash (reusing a manifest cache for unchanged
// files), and produce the LatestFileList.bin / .xml pair the client reads.
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { mkdir, open, readFile, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { crc32 } from 'node:zlib';
import { kiwadCrc, kiwadCrcUpdate } from '../../archive/index.js';
import {
  FILE_RECORD_FIELDS, RESERVED_TABLES, encodeFileListTables, type FileListTable, type FileRecord,
} from '../shared/latest-file-list-codec.js';
import { FileListBuildError } from './errors.js';
import { encodeFileListXml } from './file-list-xml.js';
import { readKiwadHeader } from './kiwad-header.js';

export const LIST_BIN_NAME = 'LatestFileList.bin';
export const LIST_XML_NAME = 'LatestFileList.xml';
export const DEFAULT_CACHE_NAME = '.imlight-patch-cache.json';

/** FileType values of a file record (messages.md). */
export const FileType = { Plain: 1, Archive: 3, Executable: 4, StreamedArchive: 5 } as const;
export type FileTypeValue = (typeof FileType)[keyof typeof FileType];

/** Folder conventions that map files to tables (see docs/patch-server.md). */
export const PATCH_CLIENT_FOLDER = 'PatchClient';
export const PACKAGES_FOLDER = 'packages';
const PACKAGE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const MAX_NAME_BYTES = 1024;
const MAX_U32 = 0xffffffff;
/** A file whose mtime is this close to the moment it was hashed may change again within the same mtime tick. */
const RACY_WINDOW_MS = 2000;

export interface FileListEntry extends FileRecord {
  /** Path of the file relative to the root, with forward slashes (equals SrcFileName). */
  readonly path: string;
  readonly table: string;
  readonly mtimeMs: number;
}

export interface FileList {
  /** Real (symlink-resolved) absolute path of the served directory. */
  readonly root: string;
  readonly version: number;
  /** Unix seconds of the last change of the list's content. */
  readonly timeSecs: number;
  readonly entries: readonly FileListEntry[];
  readonly bySrc: ReadonlyMap<string, FileListEntry>;
  readonly tables: readonly FileListTable[];
  readonly bin: Buffer;
  readonly binCrc: number;
  readonly xml: Buffer;
}

export interface BuildProgress {
  readonly phase: 'scan' | 'hash';
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

export interface BuildOptions {
  /** Manifest cache file; default `<dir>/.imlight-patch-cache.json`; false for none. */
  readonly cachePath?: string | false;
  readonly onProgress?: (progress: BuildProgress) => void;
  /** Files hashed at once (I/O overlaps hashing); default 8. */
  readonly concurrency?: number;
  /** Overrides the FileType of a path (relative, forward slashes); return undefined to keep the default rule. */
  readonly fileType?: (path: string) => FileTypeValue | undefined;
  /** Clock for ListFileTime, unix ms; default Date.now. */
  readonly now?: () => number;
  /** CRC of LatestFileList.bin itself (ListFileCRC): CRC-32/IEEE by default; see docs/patch-server.md, "CRCs". */
  readonly listFileCrc?: ListFileCrc;
}

/** The CRC variants ListFileCRC may use: entries always carry the KIWAD CRC. */
export const LIST_FILE_CRCS = ['standard', 'kiwad'] as const;
export type ListFileCrc = (typeof LIST_FILE_CRCS)[number];

export interface BuildStats {
  readonly files: number;
  readonly bytes: number;
  /** Files whose content was read and hashed in this build. */
  readonly hashed: number;
  readonly hashedBytes: number;
  /** Files taken from the manifest cache unread. */
  readonly reused: number;
  /** Paths left out of the list, each with the reason. */
  readonly skipped: ReadonlyArray<{ readonly path: string; readonly reason: string }>;
  readonly warnings: readonly string[];
}

interface CachedFile {
  size: number; mtimeMs: number; ino: number; hashedAtMs: number;
  crc: number; fileType: number; headerSize: number; headerCrc: number;
}
/** Format 2: file CRCs are KIWAD CRCs. A format-1 cache (CRC-32/IEEE) keeps its version, its files are hashed again. */
const MANIFEST_FORMAT = 2;
interface Manifest {
  format: 1 | 2; version: number; timeSecs: number; contentDigest: string;
  files: Record<string, CachedFile>;
}

interface Found { path: string; abs: string; size: number; mtimeMs: number; ino: number }

function defaultFileType(path: string, isKiwad: boolean): FileTypeValue {
  const lower = path.toLowerCase();
  if (lower.endsWith('.wad') && isKiwad) return FileType.Archive;
  if (lower.endsWith('.exe') || lower.endsWith('.dll')) return FileType.Executable;
  return FileType.Plain;
}

/** Sort key of table names: case-insensitive, so `_TableList` comes first, then ordinal for ties. */
function compareTableNames(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function hasControlCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) < 0x20) return true;
  return false;
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

async function walk(root: string, excluded: ReadonlySet<string>, skipped: Array<{ path: string; reason: string }>): Promise<Found[]> {
  const found: Found[] = [];
  const visitedDirs = new Set<string>([root]);
  const visit = async (absDir: string, relDir: string): Promise<void> => {
    let names: import('node:fs').Dirent[];
    try {
      names = await readdir(absDir, { withFileTypes: true });
    } catch (error) {
      throw new FileListBuildError(`cannot read directory ${absDir}`, { cause: error });
    }
    const candidates: Array<{ d: import('node:fs').Dirent; rel: string }> = [];
    for (const d of names) {
      const name = d.name;
      const rel = relDir === '' ? name : `${relDir}/${name}`;
      if (name.startsWith('.')) continue;
      if (relDir === '' && excluded.has(name)) continue;
      if (name.includes('\\') || hasControlCharacter(name)) { skipped.push({ path: rel, reason: 'name holds a backslash or a control character' }); continue; }
      if (Buffer.byteLength(rel) > MAX_NAME_BYTES) { skipped.push({ path: rel, reason: `path longer than ${MAX_NAME_BYTES} bytes` }); continue; }
      candidates.push({ d, rel });
    }
    // stat in batches: the calls run in parallel on libuv's pool, which matters for trees of thousands of files.
    for (let i = 0; i < candidates.length; i += 64) {
      const batch = await Promise.all(candidates.slice(i, i + 64).map(async ({ d, rel }) => {
        let abs = join(absDir, d.name);
        if (d.isSymbolicLink()) {
          let target: string;
          try { target = await realpath(abs); } catch { return { rel, skip: 'dangling symlink' }; }
          if (!inside(root, target)) return { rel, skip: 'symlink escapes the directory' };
          abs = target;
        }
        try {
          return { rel, abs, symlink: d.isSymbolicLink(), st: await stat(abs) };
        } catch (error) {
          throw new FileListBuildError(`cannot stat ${abs}`, { cause: error });
        }
      }));
      for (const c of batch) {
        if (c.skip !== undefined || c.st === undefined) { skipped.push({ path: c.rel, reason: c.skip ?? 'cannot stat' }); continue; }
        if (c.st.isDirectory()) {
          const real = c.symlink ? c.abs : await realpath(c.abs);
          if (visitedDirs.has(real)) { skipped.push({ path: c.rel, reason: 'directory already visited (symlink loop)' }); continue; }
          visitedDirs.add(real);
          await visit(c.abs, c.rel);
        } else if (c.st.isFile()) {
          if (c.st.size > MAX_U32) { skipped.push({ path: c.rel, reason: 'larger than 4 GiB, which a u32 Size cannot hold' }); continue; }
          found.push({ path: c.rel, abs: c.abs, size: c.st.size, mtimeMs: c.st.mtimeMs, ino: c.st.ino });
        }
      }
    }
  };
  await visit(root, '');
  found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return found;
}

/** Which table a path belongs to, and the install path the client should write it to (empty = same). */
function placeOf(path: string, warnings: string[], warned: Set<string>): { table: string; tar: string } {
  const parts = path.split('/');
  if (parts.length > 1 && parts[0] === PATCH_CLIENT_FOLDER) return { table: 'PatchClient', tar: parts.slice(1).join('/') };
  if (parts.length > 2 && parts[0] === PACKAGES_FOLDER) {
    const name = parts[1]!;
    const reserved = RESERVED_TABLES.some((r) => r.toLowerCase() === name.toLowerCase());
    if (PACKAGE_NAME.test(name) && !reserved) return { table: name, tar: parts.slice(2).join('/') };
    if (!warned.has(name)) {
      warned.add(name);
      warnings.push(`package folder ${PACKAGES_FOLDER}/${name} has an invalid or reserved name; its files go to Base`);
    }
  }
  return { table: 'Base', tar: '' };
}

async function loadManifest(path: string | false): Promise<{ manifest: Manifest; text: string } | undefined> {
  if (path === false) return undefined;
  try {
    const text = await readFile(path, 'utf8');
    const parsed = JSON.parse(text) as Manifest;
    if ((parsed?.format !== 1 && parsed?.format !== MANIFEST_FORMAT) || typeof parsed.files !== 'object' || parsed.files === null) return undefined;
    return { manifest: parsed.format === MANIFEST_FORMAT ? parsed : { ...parsed, files: {} }, text };
  } catch {
    return undefined;
  }
}

async function writeAtomic(path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Hashes one file through a reused buffer; also reads the KIWAD index region of archives. */
async function hashFile(file: Found, buffer: Buffer, onBytes: (n: number) => void): Promise<Omit<CachedFile, 'fileType'> & { isKiwad: boolean }> {
  let fh;
  try {
    fh = await open(file.abs, fsConstants.O_RDONLY);
  } catch (error) {
    throw new FileListBuildError(`cannot open ${file.abs}`, { cause: error });
  }
  try {
    const st = await fh.stat();
    let crc = 0;
    let total = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      crc = kiwadCrcUpdate(crc, buffer.subarray(0, bytesRead));
      total += bytesRead;
      onBytes(bytesRead);
    }
    if (total !== st.size) throw new FileListBuildError(`${file.path} changed size while being hashed (${st.size} -> ${total} bytes)`);
    const kiwad = file.path.toLowerCase().endsWith('.wad') ? await readKiwadHeader(fh, total) : undefined;
    return {
      size: total, mtimeMs: st.mtimeMs, ino: st.ino, hashedAtMs: Date.now(), crc,
      headerSize: kiwad?.headerSize ?? 0, headerCrc: kiwad?.headerCrc ?? 0, isKiwad: kiwad !== undefined,
    };
  } catch (error) {
    if (error instanceof FileListBuildError) throw error;
    throw new FileListBuildError(`cannot read ${file.abs}`, { cause: error });
  } finally {
    await fh.close();
  }
}

/**
 * Builds the file list of `dir`. Files whose size, mtime and inode match the manifest cache are not read
 * again. The list's version goes up by one whenever its content changes.
 */
export async function buildFileList(dir: string, options: BuildOptions = {}): Promise<{ list: FileList; stats: BuildStats }> {
  let root: string;
  try {
    root = await realpath(resolve(dir));
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw new FileListBuildError(`${dir} is not a readable directory`, { cause: error });
  }
  const cachePath = options.cachePath === undefined ? join(root, DEFAULT_CACHE_NAME) : options.cachePath;
  const now = options.now ?? Date.now;
  const excluded = new Set([LIST_BIN_NAME, LIST_XML_NAME]);
  if (cachePath !== false) {
    const rel = relative(root, resolve(cachePath));
    if (!rel.startsWith('..') && !isAbsolute(rel) && !rel.includes(sep)) excluded.add(rel);
  }
  const skipped: Array<{ path: string; reason: string }> = [];
  const warnings: string[] = [];
  const found = await walk(root, excluded, skipped);
  const loaded = await loadManifest(cachePath);
  const manifest = loaded?.manifest;

  const bytesTotal = found.reduce((n, f) => n + f.size, 0);
  let filesDone = 0;
  let bytesDone = 0;
  const progress = (phase: BuildProgress['phase']): void =>
    options.onProgress?.({ phase, filesDone, filesTotal: found.length, bytesDone, bytesTotal });
  progress('scan');

  const results: CachedFile[] = new Array(found.length);
  const toHash: number[] = [];
  found.forEach((f, i) => {
    const c = manifest?.files[f.path];
    const fresh = c !== undefined && c.size === f.size && c.mtimeMs === f.mtimeMs && c.ino === f.ino
      && f.mtimeMs < c.hashedAtMs - RACY_WINDOW_MS;
    if (fresh) {
      results[i] = c;
      filesDone++;
      bytesDone += f.size;
    } else {
      toHash.push(i);
    }
  });
  const reused = filesDone;
  progress('hash');

  let hashedBytes = 0;
  let next = 0;
  let lastReport = 0;
  const worker = async (): Promise<void> => {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    while (next < toHash.length) {
      const i = toHash[next++]!;
      const file = found[i]!;
      const h = await hashFile(file, buffer, (n) => {
        bytesDone += n;
        hashedBytes += n;
        const t = Date.now();
        if (t - lastReport >= 100) { lastReport = t; progress('hash'); }
      });
      const type = options.fileType?.(file.path) ?? defaultFileType(file.path, h.isKiwad);
      if (file.path.toLowerCase().endsWith('.wad') && !h.isKiwad) warnings.push(`${file.path} is not a KIWAD archive; listed with FileType ${type}`);
      const { isKiwad: _unused, ...rest } = h;
      results[i] = { ...rest, fileType: type };
      filesDone++;
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 8, toHash.length || 1));
  await Promise.all(Array.from({ length: concurrency }, worker));
  progress('hash');

  const placeWarned = new Set<string>();
  const entries: FileListEntry[] = found.map((f, i) => {
    const r = results[i]!;
    const place = placeOf(f.path, warnings, placeWarned);
    const wad = r.headerSize > 0;
    return {
      path: f.path, table: place.table, mtimeMs: r.mtimeMs,
      SrcFileName: f.path, TarFileName: place.tar, FileType: r.fileType, Size: r.size,
      HeaderSize: r.headerSize, CompressedHeaderSize: wad ? r.headerSize : 0, CRC: r.crc, HeaderCRC: r.headerCrc,
    };
  });

  const byTable = new Map<string, FileListEntry[]>([['Base', []], ['PatchClient', []]]);
  for (const e of entries) {
    const list = byTable.get(e.table) ?? [];
    list.push(e);
    byTable.set(e.table, list);
  }
  const fileTables: FileListTable[] = [...byTable].map(([name, list]) => ({
    name, fields: FILE_RECORD_FIELDS,
    records: list.map((e) => ({
      SrcFileName: e.SrcFileName, TarFileName: e.TarFileName, FileType: e.FileType, Size: e.Size, HeaderSize: e.HeaderSize,
      CompressedHeaderSize: e.CompressedHeaderSize, CRC: e.CRC, HeaderCRC: e.HeaderCRC,
    })),
  }));
  const otherNames = [...fileTables.map((t) => t.name), 'About'].sort(compareTableNames);
  const tableList: FileListTable = { name: '_TableList', fields: [{ name: 'Name', type: 'STR' }], records: otherNames.map((Name) => ({ Name })) };
  const digest = createHash('sha256').update(encodeFileListTables([tableList, ...fileTables])).digest('hex');
  const unchanged = manifest !== undefined && manifest.contentDigest === digest;
  const version = unchanged ? manifest.version : (manifest?.version ?? 0) + 1;
  const timeSecs = unchanged ? manifest.timeSecs : Math.floor(now() / 1000);
  const about: FileListTable = { name: 'About', fields: [{ name: 'Version', type: 'UINT' }], records: [{ Version: version }] };
  const tables = [tableList, about, ...fileTables].sort((a, b) => compareTableNames(a.name, b.name));

  const bin = encodeFileListTables(tables);
  const list: FileList = {
    root, version, timeSecs, entries, bySrc: new Map(entries.map((e) => [e.SrcFileName, e])), tables,
    bin, binCrc: options.listFileCrc === 'kiwad' ? kiwadCrc(bin) : crc32(bin) >>> 0, xml: encodeFileListXml(tables),
  };

  if (cachePath !== false) {
    const files: Record<string, CachedFile> = {};
    found.forEach((f, i) => { files[f.path] = { ...results[i]!, ino: f.ino }; });
    const next: Manifest = { format: MANIFEST_FORMAT, version, timeSecs, contentDigest: digest, files };
    const text = JSON.stringify(next);
    // An unchanged manifest is not rewritten: a watcher on the directory would see the write as a change.
    try {
      if (text !== loaded?.text) await writeAtomic(cachePath, text);
    } catch (error) {
      warnings.push(`cannot write the manifest cache ${cachePath}: ${(error as Error).message}`);
    }
  }
  return {
    list,
    stats: { files: entries.length, bytes: bytesTotal, hashed: toHash.length, hashedBytes, reused, skipped, warnings },
  };
}

/** Writes LatestFileList.bin and .xml into `outDir` (each atomically); returns their paths. */
export async function writeFileList(list: FileList, outDir: string): Promise<{ bin: string; xml: string }> {
  await mkdir(outDir, { recursive: true });
  const bin = join(outDir, LIST_BIN_NAME);
  const xml = join(outDir, LIST_XML_NAME);
  await writeAtomic(bin, list.bin);
  await writeAtomic(xml, list.xml);
  return { bin, xml };
}
