// Game data for the servers: archives (zone data and the like) obtained from a local cache when its copy
// matches the patch server's list, otherwise downloaded from the patch server's HTTP side, verified
// (size and CRC-32/IEEE) and moved into place atomically.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { kiwadCrcUpdate } from '../../archive/index.js';
import type { ArchiveLocator } from '../../world/index.js';
import { crcOfFile } from './file-crc.js';
import { decodeFileListTables, fileRecordsOf, type FileRecord } from './latest-file-list-codec.js';

const LIST_NAME = 'LatestFileList.bin';
const USER_AGENT = 'KingsIsle Patcher';

export class ResourceError extends Error {
  constructor(readonly code: string, message: string, readonly path: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
/** The path is not one a list could hold (absolute, dot segments, backslashes, NUL). */
export class ResourcePathError extends ResourceError {
  constructor(path: string) { super('ERR_RESOURCE_PATH', `unsafe resource path ${JSON.stringify(path)}`, path); }
}
/** The patch server's list could not be fetched or decoded. */
export class ResourceListError extends ResourceError {
  constructor(url: string, message: string, options?: { cause?: unknown }) { super('ERR_RESOURCE_LIST', `${url}: ${message}`, LIST_NAME, options); }
}
/** The path is not in the patch server's list, even after refreshing it. */
export class ResourceNotInListError extends ResourceError {
  constructor(path: string) { super('ERR_RESOURCE_NOT_IN_LIST', `${path} is not in the patch server's file list`, path); }
}
/** The HTTP download failed (network error, non-2xx status, local write error). */
export class ResourceDownloadError extends ResourceError {
  constructor(path: string, message: string, options?: { cause?: unknown }) { super('ERR_RESOURCE_DOWNLOAD', `${path}: ${message}`, path, options); }
}
/** The downloaded bytes did not match the list's size or CRC, again after a refreshed list and a retry. */
export class ResourceCrcMismatchError extends ResourceError {
  constructor(path: string, readonly expected: { size: number; crc: number }, readonly actual: { size: number; crc: number }) {
    super('ERR_RESOURCE_CRC_MISMATCH',
      `${path}: downloaded ${actual.size} bytes with CRC ${hex(actual.crc)}, the list says ${expected.size} bytes with CRC ${hex(expected.crc)}`, path);
  }
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export interface ResourceManagerOptions {
  /** Where downloaded files are kept, in the server's layout (SrcFileName). */
  readonly cacheDir: string;
  /** Base URL of the patch server's HTTP side (its LatestFileList.bin is `baseUrl/LatestFileList.bin`). */
  readonly baseUrl: string;
  readonly fetch?: typeof globalThis.fetch;
  /** Largest list accepted. Default 64 MiB. */
  readonly maxListBytes?: number;
  /** A list older than this is fetched again before the next get, so updated files are noticed. Default 60 s. */
  readonly listMaxAgeMs?: number;
  readonly now?: () => number;
}

interface Verified { size: number; mtimeMs: number; crc: number }

class Mismatch {
  constructor(readonly size: number, readonly crc: number) {}
}

export class ResourceManager {
  readonly #cacheDir: string;
  readonly #baseUrl: string;
  readonly #fetch: typeof globalThis.fetch;
  readonly #maxListBytes: number;
  #list: Promise<ReadonlyMap<string, FileRecord>> | undefined;
  #listFetchedAt = 0;
  readonly #listMaxAgeMs: number;
  readonly #now: () => number;
  #refreshing: Promise<ReadonlyMap<string, FileRecord>> | undefined;
  readonly #inflight = new Map<string, Promise<string>>();
  /** CRCs of cached files already checked, keyed by path, valid while size and mtime stay the same. */
  readonly #verified = new Map<string, Verified>();
  #downloads = 0;

  constructor(options: ResourceManagerOptions) {
    this.#cacheDir = options.cacheDir;
    this.#baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#maxListBytes = options.maxListBytes ?? 64 * 1024 * 1024;
    this.#listMaxAgeMs = options.listMaxAgeMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** Files downloaded so far (cache misses). */
  get downloads(): number { return this.#downloads; }

  /** Resolves to the local path of a verified copy of `path` (a SrcFileName of the list). */
  get(path: string): Promise<string> {
    const clean = path.startsWith('/') ? path.slice(1) : path;
    if (clean === '' || clean.includes('\\') || clean.includes('\0') || clean.split('/').some((s) => s === '' || s === '.' || s === '..')) {
      return Promise.reject(new ResourcePathError(path));
    }
    const running = this.#inflight.get(clean);
    if (running !== undefined) return running;
    const p = this.#obtain(clean).finally(() => this.#inflight.delete(clean));
    this.#inflight.set(clean, p);
    return p;
  }

  /** Fetches the server's list again (concurrent callers share one fetch). */
  refreshList(): Promise<ReadonlyMap<string, FileRecord>> {
    if (this.#refreshing !== undefined) return this.#refreshing;
    const p: Promise<ReadonlyMap<string, FileRecord>> = this.#fetchList().finally(() => {
      if (this.#refreshing === p) this.#refreshing = undefined;
    });
    this.#refreshing = p;
    this.#list = p;
    this.#listFetchedAt = this.#now();
    p.catch(() => { if (this.#list === p) this.#list = undefined; });
    return p;
  }

  #currentList(): Promise<ReadonlyMap<string, FileRecord>> {
    if (this.#list !== undefined && this.#now() - this.#listFetchedAt > this.#listMaxAgeMs) return this.refreshList();
    return this.#list ?? this.refreshList();
  }

  async #fetchList(): Promise<ReadonlyMap<string, FileRecord>> {
    const url = new URL(LIST_NAME, this.#baseUrl).toString();
    let body: Buffer;
    try {
      const response = await this.#fetch(url, { headers: { 'User-Agent': USER_AGENT } });
      if (!response.ok) throw new ResourceListError(url, `HTTP ${response.status}`);
      if (Number(response.headers.get('content-length') ?? 0) > this.#maxListBytes) throw new ResourceListError(url, 'list larger than the limit');
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      if (error instanceof ResourceListError) throw error;
      throw new ResourceListError(url, 'cannot fetch the list', { cause: error });
    }
    if (body.length > this.#maxListBytes) throw new ResourceListError(url, 'list larger than the limit');
    try {
      return new Map(fileRecordsOf(decodeFileListTables(body)).map((r) => [r.SrcFileName, r]));
    } catch (error) {
      throw new ResourceListError(url, 'not a valid LatestFileList.bin', { cause: error });
    }
  }

  async #entry(path: string, refresh: boolean): Promise<FileRecord> {
    let entry = (await (refresh ? this.refreshList() : this.#currentList())).get(path);
    if (entry === undefined && !refresh) entry = (await this.refreshList()).get(path);
    if (entry === undefined) throw new ResourceNotInListError(path);
    return entry;
  }

  async #obtain(path: string): Promise<string> {
    const local = join(this.#cacheDir, ...path.split('/'));
    let entry = await this.#entry(path, false);
    if (await this.#cachedMatches(path, local, entry)) return local;
    let result = await this.#download(path, local, entry);
    if (result instanceof Mismatch) {
      // The list may be older than the server's files: refresh it and try once more before blaming the bytes.
      entry = await this.#entry(path, true);
      if (await this.#cachedMatches(path, local, entry)) return local;
      result = await this.#download(path, local, entry);
      if (result instanceof Mismatch) {
        throw new ResourceCrcMismatchError(path, { size: entry.Size, crc: entry.CRC }, { size: result.size, crc: result.crc });
      }
    }
    return local;
  }

  async #cachedMatches(path: string, local: string, entry: FileRecord): Promise<boolean> {
    let st;
    try {
      st = await stat(local);
    } catch {
      return false;
    }
    if (!st.isFile() || st.size !== entry.Size) return false;
    const memo = this.#verified.get(path);
    if (memo !== undefined && memo.size === st.size && memo.mtimeMs === st.mtimeMs) return memo.crc === entry.CRC;
    const measured = await crcOfFile(local);
    if (measured === undefined) return false;
    this.#verified.set(path, { size: measured.size, mtimeMs: st.mtimeMs, crc: measured.crc });
    return measured.size === entry.Size && measured.crc === entry.CRC;
  }

  /** Downloads into a temp file beside the target, then renames it into place only if size and CRC match. */
  async #download(path: string, local: string, entry: FileRecord): Promise<string | Mismatch> {
    const url = new URL(path.split('/').map(encodeURIComponent).join('/'), this.#baseUrl).toString();
    this.#downloads++;
    let response: Response;
    try {
      response = await this.#fetch(url, { headers: { 'User-Agent': USER_AGENT } });
    } catch (error) {
      throw new ResourceDownloadError(path, `cannot fetch ${url}`, { cause: error });
    }
    if (response.status !== 200 || response.body === null) {
      await response.body?.cancel().catch(() => undefined);
      throw new ResourceDownloadError(path, `${url} answered HTTP ${response.status}`);
    }
    try {
      await mkdir(dirname(local), { recursive: true });
    } catch (error) {
      await response.body.cancel().catch(() => undefined);
      throw new ResourceDownloadError(path, `cannot create ${dirname(local)}`, { cause: error });
    }
    const tmp = `${local}.${randomBytes(6).toString('hex')}.part`;
    let crc = 0;
    let size = 0;
    const limit = entry.Size;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        // More bytes than the list announces cannot be the right file; stop reading instead of filling the disk.
        if (size > limit) { callback(new Error(`more than the ${limit} bytes the list announces`)); return; }
        crc = kiwadCrcUpdate(crc, chunk); // the patch list's CRC (docs/patch-server.md, "CRCs")
        callback(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>), meter, createWriteStream(tmp));
    } catch (error) {
      await rm(tmp, { force: true });
      if (size > limit) return new Mismatch(size, crc >>> 0);
      throw new ResourceDownloadError(path, `download of ${url} failed`, { cause: error });
    }
    crc >>>= 0;
    if (size !== entry.Size || crc !== entry.CRC) {
      await rm(tmp, { force: true });
      return new Mismatch(size, crc);
    }
    try {
      await rename(tmp, local);
      const st = await stat(local);
      this.#verified.set(path, { size, mtimeMs: st.mtimeMs, crc });
    } catch (error) {
      await rm(tmp, { force: true });
      throw new ResourceDownloadError(path, `cannot move the download into ${local}`, { cause: error });
    }
    return local;
  }
}

/** The resource cache as the world's archive source: a path missing from the patch list does not exist. */
export function resourceLocator(manager: ResourceManager): ArchiveLocator {
  return {
    locate: (path) => manager.get(path).catch((error: unknown) => {
      if (error instanceof ResourceNotInListError) return undefined;
      throw error;
    }),
  };
}
