// The admin listener: the console page, its JSON API and live feed, and /metrics. Bound to 127.0.0.1 by default;
// every /api request except sign-in needs the bearer token, an administrator account or a console session.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../runtime/index.js';
import { AdminActions } from './admin-actions.js';
import { accountRoutes } from './account-routes.js';
import { AdminAuth, SESSION_COOKIE, type Principal } from './admin-auth.js';
import type { AdminSources } from './admin-sources.js';
import { loadConsoleFiles } from './console-files.js';
import { ConsoleStateBuilder } from './console-state.js';
import { AdminApiError, AdminListenError, BadRequestError, BusyError, INTERNAL_ERROR_CODE, MethodNotAllowedError, NotFoundError } from './errors.js';
import { EventRecorder } from './event-recorder.js';
import { checkSameOrigin, parseAccountId, readJsonBody, SECURITY_HEADERS, sendError, sendJson } from './http-io.js';
import { LiveFeed } from './live-feed.js';
import { MetricsHistory } from './metrics-history.js';
import { handleMetricsRequest, type Metrics } from './metrics.js';
import { TreeSampler } from './tree-sampler.js';

export interface AdminServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** The bearer token (`admin.token`). When undefined a random one is generated and logged once, unless `generateToken` is false. */
  readonly token?: string;
  readonly generateToken?: boolean;
  readonly sources: AdminSources;
  /** Served at /metrics (without credentials, like any Prometheus target) when given. */
  readonly metrics?: Metrics;
  readonly log: Logger;
  /** Actors sent in one tree at most. Default 5,000. */
  readonly treeMaxNodes?: number;
  /** Failures, dead letters and actions kept. Default 100 each. */
  readonly recentCapacity?: number;
  /** Live feed period. Default 1,000 ms. */
  readonly liveIntervalMs?: number;
  /** Sampling period of the console's charts (an hour of samples is kept). Default 10,000 ms; 0 samples never. */
  readonly historyIntervalMs?: number;
}

export interface AdminServer {
  /** e.g. `http://127.0.0.1:12600/` */
  readonly url: string;
  readonly port: number;
  /** The console URL to open; with `#token=...` when the token was generated for this run. */
  readonly consoleUrl: string;
  /** Undefined when there is no token (administrator accounts only). */
  readonly token: string | undefined;
  readonly tokenGenerated: boolean;
  /** Undefined when no metrics were given. */
  readonly metricsUrl: string | undefined;
  readonly actions: AdminActions;
  close(): Promise<void>;
}

type Route = (request: IncomingMessage, response: ServerResponse, principal: Principal, match: RegExpMatchArray) => Promise<void> | void;

function requestPath(url: string | undefined): string {
  // Only the path matters; a request target like "//host/x" must not be read as an authority.
  const target = url ?? '/';
  const end = target.search(/[?#]/);
  return end < 0 ? target : target.slice(0, end);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    throw new BadRequestError('malformed percent-encoding in the path', { cause: error });
  }
}

export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const host = options.host ?? '127.0.0.1';
  const { sources, log } = options;
  const tokenGenerated = options.token === undefined && (options.generateToken ?? true);
  const token = options.token ?? (tokenGenerated ? randomBytes(24).toString('base64url') : undefined);
  const capacity = options.recentCapacity ?? 100;

  const files = loadConsoleFiles();
  const auth = new AdminAuth({ token, store: sources.store, log });
  const events = new EventRecorder(sources.system, { capacity });
  const actions = new AdminActions(sources, log, { capacity });
  const builder = new ConsoleStateBuilder(sources, new TreeSampler(sources.system, { maxNodes: options.treeMaxNodes }), events, actions);
  const feed = new LiveFeed(builder, log, { intervalMs: options.liveIntervalMs });
  actions.onAction(() => feed.push());

  const accounts = accountRoutes(sources.store, log);
  const history = options.metrics === undefined ? undefined : new MetricsHistory(options.metrics, { intervalMs: options.historyIntervalMs });
  const json = (produce: () => unknown): Route => async (_request, response) => sendJson(response, 200, await produce());
  const getRoutes: Array<[RegExp, Route]> = [
    [/^\/api\/whoami$/, (_q, response, principal) => sendJson(response, 200, { who: principal.who, via: principal.via, system: sources.system.name, available: actions.available })],
    [/^\/api\/state$/, json(() => builder.state())],
    [/^\/api\/tree$/, json(() => builder.tree())],
    [/^\/api\/servers$/, json(() => builder.servers())],
    [/^\/api\/zones$/, json(() => builder.zones())],
    [/^\/api\/players$/, json(() => builder.players())],
    [/^\/api\/errors$/, json(() => builder.errors())],
    [/^\/api\/dead-letters$/, json(() => builder.deadLetters())],
    [/^\/api\/actions$/, json(() => ({ items: builder.actions() }))],
    [/^\/api\/bans$/, json(async () => {
      if (sources.store === undefined) return { available: false, items: [] };
      const bans = await sources.store.bans.list({ activeAt: new Date() });
      return {
        available: true,
        items: bans.map((ban) => ({
          id: String(ban.id), accountId: ban.accountId === null ? null : String(ban.accountId), address: ban.address,
          machineId: ban.machineId === null ? null : String(ban.machineId), reason: ban.reason,
          createdAt: ban.createdAt.getTime(), expiresAt: ban.expiresAt?.getTime() ?? null,
        })),
      };
    })],
    ...accounts.get,
    [/^\/api\/history$/, json(() => ({ available: history !== undefined, items: history?.samples() ?? [] }))],
    [/^\/api\/events$/, (_q, response) => {
      if (!feed.add(response)) throw new BusyError('too many live consoles are open');
    }],
  ];
  const postRoutes: Array<[RegExp, Route]> = [
    [/^\/api\/players\/([^/]+)\/(kick|ban|unban|mute)$/, async (request, response, principal, match) => {
      const accountId = parseAccountId(match[1]!);
      const body = await readJsonBody(request);
      const action = match[2]!;
      const outcome = action === 'kick' ? await actions.kick(principal, accountId, body.reason)
        : action === 'ban' ? await actions.ban(principal, accountId, { minutes: body.minutes, reason: body.reason })
        : action === 'unban' ? await actions.unban(principal, accountId)
        : await actions.mute(principal, accountId, body.minutes);
      sendJson(response, 200, outcome);
    }],
    [/^\/api\/servers\/([^/]+)\/drain$/, async (request, response, principal, match) => {
      await readJsonBody(request);
      sendJson(response, 200, await actions.drain(principal, decodeSegment(match[1]!)));
    }],
    ...accounts.post,
    [/^\/api\/sign-out$/, (request, response) => {
      auth.signOut(request);
      sendJson(response, 200, { signedOut: true }, { 'set-cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` });
    }],
  ];

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = requestPath(request.url);
    const method = request.method ?? 'GET';
    if (path === '/metrics' && options.metrics !== undefined) {
      handleMetricsRequest(options.metrics, request, response);
      return;
    }
    const file = files.get(path);
    if (file !== undefined && (method === 'GET' || method === 'HEAD')) {
      response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.contentType, 'content-length': file.body.length, 'cache-control': 'no-cache' });
      response.end(method === 'HEAD' ? undefined : file.body);
      return;
    }
    if (!path.startsWith('/api/')) throw new NotFoundError();
    if (path === '/api/sign-in') {
      if (method !== 'POST') throw new MethodNotAllowedError('POST');
      checkSameOrigin(request);
      const signedIn = await auth.signIn(request, await readJsonBody(request));
      sendJson(response, 200, { who: signedIn.principal.who, via: signedIn.principal.via }, {
        'set-cookie': `${SESSION_COOKIE}=${signedIn.sessionId}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${signedIn.maxAgeSeconds}`,
      });
      return;
    }
    const principal = await auth.authenticate(request);
    const routes = method === 'GET' ? getRoutes : method === 'POST' ? postRoutes : undefined;
    if (routes === undefined) throw new MethodNotAllowedError('GET or POST');
    if (method === 'POST') checkSameOrigin(request);
    for (const [pattern, route] of routes) {
      const match = path.match(pattern);
      if (match !== null) {
        await route(request, response, principal, match);
        return;
      }
    }
    throw new NotFoundError(`no ${method} ${path}`);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof AdminApiError) {
        sendError(response, error);
        return;
      }
      log.error({ err: error, url: request.url, method: request.method }, 'admin console: request failed');
      sendJson(response, 500, { error: INTERNAL_ERROR_CODE, message: 'internal error (see the server log)' });
    });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.maxConnections = 64;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new AdminListenError(`${host}:${options.port}`, { cause: error })));
    server.listen(options.port, host, () => {
      server.removeAllListeners('error');
      server.on('error', (error) => log.error({ err: error }, 'admin console listener error'));
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  const consoleUrl = tokenGenerated ? `${url}#token=${token}` : url;
  if (tokenGenerated) {
    log.warn({ url: consoleUrl }, 'admin console: admin.token is not set; a token was generated for this run (open this URL to sign in)');
  } else {
    log.info({ url, auth: token === undefined ? 'administrator accounts' : 'token or administrator accounts' }, 'admin console listening');
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    consoleUrl,
    token,
    tokenGenerated,
    metricsUrl: options.metrics === undefined ? undefined : `${url}metrics`,
    actions,
    close: () => closing ??= new Promise<void>((resolve) => {
      feed.close();
      events.close();
      history?.close();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
