// The patch server as a part of a running Imlight process (roles `all` and `patch`): it makes sure the configured directory exists, serves it over
// HTTP (building the list first and rebuilding it when files change), and answers the KiNP file list
// request with URLs on that HTTP side.
import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ServerAddress, ServerMessage } from '../../net/index.js';
import { stopAndWait, type ActorRef } from '../../runtime/index.js';
import { LIST_BIN_NAME } from './file-list.js';
import { PatchHttpServer } from './patch-http-server.js';
import { startPatchServer } from './patch-server.js';
import { loadConfiguredRegistry, sessionOptionsFrom, type Part, type PartContext } from '../shared/index.js';

/** What the patch part reads of the process context. */
export type PatchPartContext = Pick<PartContext, 'config' | 'system' | 'logs'> & Partial<Pick<PartContext, 'netMetrics'>>;

export interface RunningPatchPart {
  /** The served directory (absolute). */
  readonly dir: string;
  readonly http: PatchHttpServer;
  /** Where the HTTP side listens. */
  readonly httpAddress: ServerAddress;
  /** The KiNP server actor and where it listens. */
  readonly kinp: { readonly ref: ActorRef<ServerMessage>; readonly address: ServerAddress };
  /** URLPrefix given to clients (ends in a slash); ListFileURL is this plus LatestFileList.bin. */
  readonly baseUrl: string;
  stop(): Promise<void>;
}

/** Debounce of the directory watcher: a copy of many files triggers one rebuild. */
const WATCH_DEBOUNCE_MS = 1000;
/** How long the KiNP server gets to end its sessions at stop (the process's own shutdown timeout bounds it too). */
const STOP_LIMIT_MS = 30_000;

export async function startPatchPart(context: PatchPartContext): Promise<RunningPatchPart> {
  const { config, system } = context;
  const log = context.logs.component('patch');
  const dir = resolve(config.patch.dir);
  if (await ensureDirectory(dir)) log.info({ dir }, 'created an empty patch directory; put the files to serve there');

  const registry = await loadConfiguredRegistry(config.protocol.definitions, log);
  const http = new PatchHttpServer({
    dir,
    build: { listFileCrc: config.patch.listFileCrc },
    watch: { debounceMs: WATCH_DEBOUNCE_MS },
    maxConnections: config.patch.maxHttpConnections,
    log,
  });
  const httpAddress = await http.start({ host: config.patch.host, port: config.patch.httpPort });
  try {
    const baseUrl = publicBaseUrl(config.patch.publicUrl, config.patch.host, httpAddress.port);
    const kinp = await startPatchServer(system, {
      host: config.patch.host,
      port: config.patch.port,
      registry,
      session: sessionOptionsFrom(config.session),
      ...(context.netMetrics === undefined ? {} : { metrics: context.netMetrics('patch') }),
      currentList: () => http.list,
      urls: { urlPrefix: baseUrl, listFileUrl: `${baseUrl}${LIST_BIN_NAME}` },
    });
    log.info({
      dir, kinp: kinp.address, http: httpAddress, publicUrl: baseUrl, files: http.list?.entries.length, version: http.list?.version,
    }, 'patch server started');
    let stopping: Promise<void> | undefined;
    return {
      dir, http, httpAddress, kinp, baseUrl,
      stop: () => (stopping ??= (async () => {
        try {
          await stopAndWait(system, kinp.ref, STOP_LIMIT_MS);
        } finally {
          await http.stop();
        }
        log.info('patch server stopped');
      })()),
    };
  } catch (error) {
    await http.stop();
    throw error;
  }
}

/** The patch part of the `imlight start` command: runs with the roles `all` and `patch`. */
export const patchPart: Part = {
  name: 'patch',
  roles: ['all', 'patch'],
  start: startPatchPart,
};

/** Creates the directory if it is missing; true when it did. */
async function ensureDirectory(dir: string): Promise<boolean> {
  try {
    await stat(dir);
    return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dir, { recursive: true });
  return true;
}

/**
 * The base URL clients download from, ending in a slash: the configured public URL, or this machine's HTTP
 * side (the loopback address when listening on every interface).
 */
export function publicBaseUrl(publicUrl: string | undefined, host: string, httpPort: number): string {
  if (publicUrl !== undefined) return publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`;
  const local = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${local.includes(':') ? `[${local}]` : local}:${httpPort}/`;
}
