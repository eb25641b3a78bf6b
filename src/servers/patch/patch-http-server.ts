// The HTTP side of the patch server: serves the files of the current FileList, LatestFileList.bin and
// LatestFileList.xml with HEAD, single Range, strong ETags and conditional requests. node:http only.
import { watch, type FSWatcher } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { basename, join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { guardHttpServer, guardedServerOptions } from '../../net/index.js';
import { PatchServerStateError } from './errors.js';
import {
  DEFAULT_CACHE_NAME, LIST_BIN_NAME, LIST_XML_NAME, buildFileList, type BuildOptions, type BuildStats, type FileList,
} from './file-list.js';
import { ifRangeHolds, notModified, parseRange, parseTarget, strongEtag } from './http-request.js';

/** The pino-compatible subset the server logs through (the runtime's Logger satisfies it). */
export interface PatchLogger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}
const silent: PatchLogger = { debug() {}, info() {}, warn() {}, error() {} };

export interface PatchHttpServerOptions {
  /** The directory to serve. */
  readonly dir: string;
  /** Options of every (re)build: cache path, progress, file types. */
  readonly build?: Omit<BuildOptions, 'onProgress'>;
  /** A list built beforehand; otherwise start() builds one. */
  readonly list?: FileList;
  /** Requests served at once; past it the server answers 503. Default 256. */
  readonly maxConcurrentRequests?: number;
  /** Open sockets; past it new connections are dropped by Node. Default 1024. */
  readonly maxConnections?: number;
  /** Open sockets from one remote address; past it new ones are closed at once. Default 16. */
  readonly maxConnectionsPerAddress?: number;
  /** A socket idle this long (a client that stopped reading or sending) is destroyed. Default 30 s. */
  readonly idleTimeoutMs?: number;
  /** Time allowed to receive the request headers (and the first request at all), checked every half second. Default 10 s. */
  readonly headersTimeoutMs?: number;
  readonly keepAliveTimeoutMs?: number;
  /** Rebuild the list when files change (fs.watch, debounced). */
  readonly watch?: boolean | { readonly debounceMs?: number };
  readonly log?: PatchLogger;
  readonly onRebuild?: (list: FileList, stats: BuildStats) => void;
}

interface Representation {
  readonly size: number;
  readonly etag: string;
  readonly lastModifiedSecs: number;
  readonly contentType: string;
  readonly cacheControl: string;
  readonly body: Buffer | { readonly fh: import('node:fs/promises').FileHandle };
}

/** A header that must appear once; a repeated one is joined, which makes a Range or validator invalid. */
function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

export class PatchHttpServer {
  readonly #options: PatchHttpServerOptions;
  readonly #log: PatchLogger;
  readonly #maxRequests: number;
  #list: FileList | undefined;
  #server: Server | undefined;
  #address: { host: string; port: number } | undefined;
  #active = 0;
  #rejected = 0;
  #served = 0;
  #running: Promise<FileList> | undefined;
  #queued: Promise<FileList> | undefined;
  #watcher: FSWatcher | undefined;
  #debounce: NodeJS.Timeout | undefined;
  readonly #sockets = new Set<Socket>();

  constructor(options: PatchHttpServerOptions) {
    this.#options = options;
    this.#log = options.log ?? silent;
    this.#maxRequests = options.maxConcurrentRequests ?? 256;
    this.#list = options.list;
  }

  /** The list being served (swapped atomically by rebuild()). */
  get list(): FileList | undefined { return this.#list; }

  get stats(): { activeRequests: number; served: number; rejected: number } {
    return { activeRequests: this.#active, served: this.#served, rejected: this.#rejected };
  }

  async start(listen: { host?: string; port: number }): Promise<{ host: string; port: number }> {
    if (this.#server !== undefined) throw new PatchServerStateError('the patch HTTP server is already started');
    if (this.#list === undefined) await this.rebuild();
    const server = createServer({ ...guardedServerOptions(), keepAliveTimeout: this.#options.keepAliveTimeoutMs ?? 5000 }, (req, res) => this.#handle(req, res));
    const headersTimeoutMs = this.#options.headersTimeoutMs ?? 10_000;
    server.requestTimeout = Math.max(headersTimeoutMs, 30_000);
    server.timeout = this.#options.idleTimeoutMs ?? 30_000;
    // One address cannot take every connection (issue 19: 300 slow connections from one address held
    // all the slots); the warning is logged once per minute at most.
    let lastRefusalLog = 0;
    guardHttpServer(server, {
      maxConnections: this.#options.maxConnections ?? 1024,
      maxConnectionsPerAddress: this.#options.maxConnectionsPerAddress ?? 16,
      headersTimeoutMs,
      onRefused: (address, open) => {
        const now = Date.now();
        if (now - lastRefusalLog < 60_000) return;
        lastRefusalLog = now;
        this.#log.warn({ address, open }, 'patch HTTP: connection refused, too many open from this address');
      },
    });
    server.on('timeout', (socket: Socket) => socket.destroy());
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    server.on('clientError', (_error, socket: Socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolveListen();
      });
    }).catch((error: unknown) => {
      throw new PatchServerStateError(`cannot listen on ${listen.host ?? '127.0.0.1'}:${listen.port}`, { cause: error });
    });
    server.on('error', (error) => this.#log.error({ err: error }, 'patch HTTP server error'));
    this.#server = server;
    const a = server.address() as AddressInfo;
    this.#address = { host: a.address, port: a.port };
    if (this.#options.watch) this.#startWatching();
    this.#log.info({ host: a.address, port: a.port, files: this.#list?.entries.length, version: this.#list?.version }, 'patch HTTP server listening');
    return this.#address;
  }

  address(): { host: string; port: number } {
    if (this.#address === undefined) throw new PatchServerStateError('the patch HTTP server is not started');
    return this.#address;
  }

  /** Base URL of the server, ending in a slash (the URLPrefix a client is given). */
  url(): string {
    const { host, port } = this.address();
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  }

  /** Replaces the served list at once; requests already running finish with the old one. */
  setList(list: FileList): void { this.#list = list; }

  /**
   * Rebuilds the list from the directory and swaps it in. Builds never overlap: a call during a build
   * queues one more build, and calls during that wait share it.
   */
  rebuild(): Promise<FileList> {
    if (this.#queued !== undefined) return this.#queued;
    if (this.#running !== undefined) {
      const queued = this.#running.catch(() => undefined).then(() => {
        this.#queued = undefined;
        return this.#runBuild();
      });
      this.#queued = queued;
      return queued;
    }
    return this.#runBuild();
  }

  async stop(): Promise<void> {
    this.#watcher?.close();
    this.#watcher = undefined;
    clearTimeout(this.#debounce);
    this.#debounce = undefined;
    const server = this.#server;
    this.#server = undefined;
    this.#address = undefined;
    if (server !== undefined) {
      const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      for (const socket of this.#sockets) socket.destroy();
      await closed;
    }
    await this.#running?.catch(() => undefined);
    await this.#queued?.catch(() => undefined);
  }

  #runBuild(): Promise<FileList> {
    const started = Date.now();
    const p = buildFileList(this.#options.dir, this.#options.build).then(({ list, stats }) => {
      const previous = this.#list;
      this.#list = list;
      this.#log.info({
        files: stats.files, bytes: stats.bytes, hashed: stats.hashed, reused: stats.reused, version: list.version,
        changed: previous?.version !== list.version, ms: Date.now() - started,
      }, 'patch file list built');
      for (const w of stats.warnings) this.#log.warn({ dir: this.#options.dir }, w);
      for (const s of stats.skipped) this.#log.warn({ path: s.path }, `left out of the file list: ${s.reason}`);
      this.#options.onRebuild?.(list, stats);
      return list;
    });
    const tracked = p.finally(() => { if (this.#running === tracked) this.#running = undefined; });
    this.#running = tracked;
    return tracked;
  }

  #startWatching(): void {
    const debounceMs = typeof this.#options.watch === 'object' ? this.#options.watch.debounceMs ?? 500 : 500;
    const ignored = new Set([LIST_BIN_NAME, LIST_XML_NAME, DEFAULT_CACHE_NAME]);
    const cachePath = this.#options.build?.cachePath;
    const cacheBase = typeof cachePath === 'string' ? basename(cachePath) : undefined;
    const onChange = (_event: string, filename: string | Buffer | null): void => {
      const name = filename === null ? '' : String(filename);
      const base = name.split(/[\\/]/).pop() ?? '';
      // Dot files are never listed (the manifest cache among them), so their changes need no rebuild.
      if (ignored.has(name) || base.startsWith('.') || name.endsWith('.tmp') || (cacheBase !== undefined && base === cacheBase)) return;
      clearTimeout(this.#debounce);
      this.#debounce = setTimeout(() => {
        this.#debounce = undefined;
        this.rebuild().catch((error: unknown) => this.#log.error({ err: error }, 'patch file list rebuild failed'));
      }, debounceMs);
    };
    try {
      this.#watcher = watch(this.#options.dir, { recursive: true }, onChange);
    } catch {
      this.#watcher = watch(this.#options.dir, onChange);
      this.#log.warn({ dir: this.#options.dir }, 'recursive watching is unavailable; only the top folder is watched');
    }
    this.#watcher.on('error', (error) => {
      this.#log.error({ err: error }, 'watching the patch directory failed; call rebuild() to pick up changes');
      this.#watcher?.close();
      this.#watcher = undefined;
    });
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.#active >= this.#maxRequests) {
      this.#rejected++;
      res.writeHead(503, { 'Retry-After': '1', 'Content-Length': '0', Connection: 'close' });
      res.end();
      return;
    }
    this.#active++;
    res.once('close', () => { this.#active--; });
    this.#serve(req, res).catch((error: unknown) => {
      this.#log.error({ err: error, url: req.url }, 'patch HTTP request failed');
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Length': '0' });
        res.end();
      } else {
        res.destroy();
      }
    });
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? '';
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Length': '0' });
      res.end();
      return;
    }
    const target = parseTarget(req.url);
    if (!target.ok) {
      this.#log.debug({ url: req.url, reason: target.reason }, 'refused request-target');
      res.writeHead(400, { 'Content-Length': '0' });
      res.end();
      return;
    }
    const list = this.#list;
    if (list === undefined) {
      res.writeHead(503, { 'Retry-After': '1', 'Content-Length': '0' });
      res.end();
      return;
    }
    const rep = await this.#representation(list, target.path);
    if (rep === 'not-found') {
      res.writeHead(404, { 'Content-Length': '0' });
      res.end();
      return;
    }
    if (rep === 'stale') {
      res.writeHead(503, { 'Retry-After': '2', 'Content-Length': '0' });
      res.end();
      return;
    }
    await this.#send(req, res, rep, method === 'HEAD');
  }

  async #representation(list: FileList, path: string): Promise<Representation | 'not-found' | 'stale'> {
    if (path === LIST_BIN_NAME || path === LIST_XML_NAME) {
      const body = path === LIST_BIN_NAME ? list.bin : list.xml;
      return {
        size: body.length, etag: strongEtag(body.length, list.timeSecs * 1000, path === LIST_BIN_NAME ? list.binCrc : list.version),
        lastModifiedSecs: list.timeSecs, contentType: path === LIST_BIN_NAME ? 'application/octet-stream' : 'application/xml; charset=utf-8',
        cacheControl: 'no-cache', body,
      };
    }
    const entry = list.bySrc.get(path);
    if (entry === undefined) return 'not-found';
    const abs = join(list.root, ...entry.path.split('/'));
    let real: string;
    try {
      real = await realpath(abs);
    } catch {
      return this.#stale(path);
    }
    if (!real.startsWith(list.root + sep)) return 'not-found';
    let fh;
    try {
      fh = await open(real, 'r');
    } catch {
      return this.#stale(path);
    }
    const st = await fh.stat();
    if (!st.isFile() || st.size !== entry.Size || st.mtimeMs !== entry.mtimeMs) {
      await fh.close();
      return this.#stale(path);
    }
    return {
      size: st.size, etag: strongEtag(st.size, st.mtimeMs, entry.CRC), lastModifiedSecs: Math.floor(st.mtimeMs / 1000),
      contentType: 'application/octet-stream', cacheControl: 'public, max-age=0, must-revalidate', body: { fh },
    };
  }

  /** The file on disk no longer matches the list: answer 503 and rebuild, rather than serve bytes the list does not describe. */
  #stale(path: string): 'stale' {
    this.#log.warn({ path }, 'file changed since the list was built; rebuilding');
    this.rebuild().catch((error: unknown) => this.#log.error({ err: error }, 'patch file list rebuild failed'));
    return 'stale';
  }

  async #send(req: IncomingMessage, res: ServerResponse, rep: Representation, head: boolean): Promise<void> {
    const fh = Buffer.isBuffer(rep.body) ? undefined : rep.body.fh;
    let handedOver = false;
    try {
      const headers: Record<string, string> = {
        ETag: rep.etag, 'Last-Modified': new Date(rep.lastModifiedSecs * 1000).toUTCString(),
        'Accept-Ranges': 'bytes', 'Cache-Control': rep.cacheControl,
      };
      if (notModified({ 'if-none-match': headerOf(req, 'if-none-match'), 'if-modified-since': headerOf(req, 'if-modified-since') }, rep.etag, rep.lastModifiedSecs)) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      const range = head || !ifRangeHolds(headerOf(req, 'if-range'), rep.etag, rep.lastModifiedSecs)
        ? { kind: 'full' as const } : parseRange(headerOf(req, 'range'), rep.size);
      if (range.kind === 'unsatisfiable') {
        res.writeHead(416, { ...headers, 'Content-Range': `bytes */${rep.size}`, 'Content-Length': '0' });
        res.end();
        return;
      }
      const start = range.kind === 'partial' ? range.start : 0;
      const end = range.kind === 'partial' ? range.end : rep.size - 1;
      const length = end - start + 1;
      headers['Content-Type'] = rep.contentType;
      headers['Content-Length'] = String(length);
      if (range.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end}/${rep.size}`;
      res.writeHead(range.kind === 'partial' ? 206 : 200, headers);
      this.#served++;
      if (head || length === 0) {
        res.end();
        return;
      }
      if (fh === undefined) {
        res.end((rep.body as Buffer).subarray(start, end + 1));
        return;
      }
      handedOver = true;
      const stream = fh.createReadStream({ start, end, highWaterMark: 256 * 1024, autoClose: true });
      try {
        await pipeline(stream, res);
      } catch (error) {
        this.#log.debug({ err: error, url: req.url }, 'download ended early');
      }
    } finally {
      if (fh !== undefined && !handedOver) await fh.close();
    }
  }
}
