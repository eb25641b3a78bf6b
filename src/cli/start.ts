// The composition root of a running Imlight process: configuration in, a handle with stop() out. It creates the
// logger, the metrics, the store and the actor system, and is where the servers are added as they come.
import { Metrics, mergeProviders, startAdminServer, type AdminProviders, type AdminServer } from '../admin/index.js';
import { maskedConfig, type ImlightConfig, type Role } from '../config/index.js';
import { ActorSystem } from '../runtime/index.js';
import { patchPart } from '../servers/patch/index.js';
import { gamePart } from '../servers/game/index.js';
import type { Store } from '../store/index.js';
import { startLoginServer, type GameServerView as PoolServerView, type LocalGameServer, type LoginServerHandle } from '../servers/login/index.js';
import { ShutdownTimeoutError, StartError } from './errors.js';
import { createLogger, type ImlightLogger, type LogRoot } from './logging.js';
import { joinConfiguredCluster, systemNameFor } from './cluster-wiring.js';
import { openConfiguredStore } from './open-store.js';
import { startSummary } from './start-summary.js';
import { characterCodecFrom } from './character-codec.js';
import { netMetricsBridge } from './net-metrics-bridge.js';
import type { NetMetrics } from '../net/index.js';
import type { CharacterBlobCodec } from '../objectproperty/index.js';
import { loadConfiguredRegistry, sessionOptionsFrom } from '../servers/shared/index.js';

/** What a part of the process (a server) gets at start. */
export interface PartContext {
  readonly role: Role;
  readonly config: ImlightConfig;
  readonly system: ActorSystem;
  /** Undefined for a role without a database (patch). */
  readonly store: Store | undefined;
  readonly metrics: Metrics;
  /** Child loggers per component: `logs.component('login')`. */
  readonly logs: LogRoot;
  /** The character blob codec: ObjectProperty with `objectProperty.typeDump`, else the IMCH stand-in. */
  readonly characterCodec: CharacterBlobCodec;
  /** A server's networking counters, mirrored into the process's metrics under its name. */
  readonly netMetrics: (server: string) => NetMetrics;
}

/** A part of the process started after the store and the actor system, stopped before them in reverse order. */
export interface Part {
  readonly name: string;
  /** Which roles run it. */
  readonly roles: readonly Role[];
  /** `admin`: what the part shows and does in the admin console (its servers, zones, kick...). */
  start(context: PartContext): Promise<{ stop(): Promise<void> | void; readonly admin?: AdminProviders }>;
}

export interface StartOptions {
  /** Which servers to run; default `all`. */
  readonly role?: Role;
  /** The servers and other parts to run; each starts only for the roles it names. */
  readonly parts?: readonly Part[];
  /** A logger made by the caller (tests); default: one from `config.log`. */
  readonly logRoot?: LogRoot;
  /** Shown in the start log line: the configuration file and where each value came from. */
  readonly configFile?: string;
  readonly warnings?: readonly string[];
}

export interface ImlightHandle {
  readonly role: Role;
  readonly config: ImlightConfig;
  readonly logger: ImlightLogger;
  readonly system: ActorSystem;
  readonly metrics: Metrics;
  /** Undefined for a role without a database (patch). */
  readonly store: Store | undefined;
  /** The /metrics URL, when the admin listener is enabled. */
  readonly metricsUrl: string | undefined;
  /** The admin console, when `admin.enabled`. */
  readonly admin: AdminServer | undefined;
  /** Resolves once the process has stopped, whoever asked. */
  readonly stopped: Promise<void>;
  /**
   * Stops everything in reverse order of start, within `shutdown.timeout`; rejects with ShutdownTimeoutError past
   * it. Calling it again returns the same promise.
   */
  stop(reason?: string): Promise<void>;
}

/** The system name in every actor path: `imlight://imlight/user/...`. */
export const SYSTEM_NAME = 'imlight';

const ROLES_WITH_STORE: ReadonlySet<Role> = new Set(['all', 'login', 'game']);

/** The servers of the `imlight start` command, in start order; each runs only for the roles it names. */
// The game servers come after the login server: its pool spawns them (gamePart finds the pool in the tree).
export const DEFAULT_PARTS: readonly Part[] = [createLoginPart(), gamePart, patchPart];

export async function startImlight(config: ImlightConfig, options: StartOptions = {}): Promise<ImlightHandle> {
  const role = options.role ?? 'all';
  const logRoot = options.logRoot ?? (await createLogger(config.log));
  const log = logRoot.component('start', { role });
  // The whole configuration at debug level (and in `imlight config print`); a short summary at info.
  log.debug({ configFile: options.configFile ?? null, config: maskedConfig(config) }, 'configuration');
  log.info({ configFile: options.configFile ?? null, ...startSummary(config, role) }, 'configuration loaded');
  for (const warning of options.warnings ?? []) log.warn(warning);

  // Undo stack: what has started, stopped in reverse order on failure or shutdown.
  const stops: Array<{ name: string; stop: () => Promise<void> | void }> = [];
  const metrics = new Metrics({
    defaultMetrics: config.metrics.defaultMetrics,
    ...(config.cluster.natsUrl === undefined ? {} : { defaultLabels: { node: config.cluster.nodeName } }),
  });
  stops.push({ name: 'metrics', stop: () => metrics.close() });

  let store: Store | undefined;
  let system: ActorSystem | undefined;
  let adminServer: AdminServer | undefined;
  const adminProviders: AdminProviders[] = [];
  try {
    if (ROLES_WITH_STORE.has(role)) {
      const opened = await openConfiguredStore(config, { logger: logRoot.component('store'), onQuery: metrics.databaseQuery });
      store = opened;
      stops.push({ name: 'store', stop: () => opened.close() });
      log.info({ backend: opened.backend }, 'store opened');
    }

    // In a cluster the system is named after the node: its actors' paths are the same in every process.
    const created = ActorSystem.create(systemNameFor(config, SYSTEM_NAME), { logger: logRoot.component('runtime') });
    system = created;
    stops.push({ name: 'actor system', stop: () => created.terminate() });
    stops.push({ name: 'metrics observation', stop: metrics.observeActorSystem(created) });
    // ---- cluster (src/cluster, docs/cluster.md): with cluster.natsUrl, join the other processes over NATS ----
    const cluster = await joinConfiguredCluster(created, config, { role, metrics, log: logRoot.component('cluster') });
    // The actors stop first, so their Terminated reach remote watchers; then the node leaves the cluster.
    if (cluster !== undefined) stops.push({ name: 'cluster', stop: async () => { await created.terminate(); await cluster.stop(); } });
    // ---- end of cluster ----

    const characterCodec = await characterCodecFrom(config, logRoot.component('start'));
    const parts = (options.parts ?? []).filter((part) => part.roles.includes(role));
    for (const part of parts) {
      const running = await part.start({
        role, config, system: created, store, metrics, logs: logRoot, characterCodec, netMetrics: (server) => netMetricsBridge(metrics, server),
      });
      stops.push({ name: part.name, stop: () => running.stop() });
      if (running.admin !== undefined) adminProviders.push(running.admin);
      log.info({ part: part.name }, 'started');
    }
    // The servers become parts as they are built (login, game, patch); until then the system runs with none.
    if (parts.length === 0) log.info('no servers are built yet: running an empty actor system');
    stops.push({ name: 'world metrics', stop: metrics.onCollect(worldGauges(metrics, store, mergeProviders(adminProviders), log)) });

    // ---- admin console (src/admin): the page, its API and /metrics on one listener ----
    if (config.admin.enabled) {
      const served = await startAdminServer({
        host: config.admin.host,
        port: config.admin.port,
        token: config.admin.token,
        sources: { system: created, store, ...mergeProviders(adminProviders) },
        ...(config.metrics.enabled ? { metrics } : {}),
        log: logRoot.component('admin'),
      });
      adminServer = served;
      stops.push({ name: 'admin console', stop: () => served.close() });
      if (served.metricsUrl !== undefined) log.info({ url: served.metricsUrl }, 'metrics endpoint listening');
    }
    // ---- end of admin console ----
  } catch (error) {
    await runStops(stops, log);
    logRoot.flush();
    throw error instanceof StartError ? error : new StartError(`start failed: ${(error as Error).message}`, { cause: error });
  }

  // Nothing else may hold the event loop open (no servers yet, admin disabled): the process must still run until
  // it is stopped.
  const keepAlive = setInterval(() => {}, 1 << 30);
  stops.unshift({ name: 'keep-alive', stop: () => clearInterval(keepAlive) });

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => { resolveStopped = resolve; });
  let stopping: Promise<void> | undefined;
  const stop = (reason = 'requested'): Promise<void> => {
    stopping ??= (async () => {
      log.info({ reason, timeoutMs: config.shutdown.timeout }, 'stopping');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ShutdownTimeoutError(config.shutdown.timeout)), config.shutdown.timeout);
      });
      try {
        await Promise.race([runStops(stops, log), timeout]);
        log.info('stopped');
      } catch (error) {
        log.error({ err: error }, 'shutdown did not complete');
        throw error;
      } finally {
        clearTimeout(timer);
        clearInterval(keepAlive);
        logRoot.flush();
        resolveStopped();
      }
    })();
    return stopping;
  };

  log.info({ metricsUrl: adminServer?.metricsUrl ?? null, adminUrl: adminServer?.url ?? null }, 'imlight started');
  return { role, config, logger: logRoot.logger, system, metrics, store, metricsUrl: adminServer?.metricsUrl, admin: adminServer, stopped, stop };
}

async function runStops(stops: Array<{ name: string; stop: () => Promise<void> | void }>, log: ImlightLogger): Promise<void> {
  let failure: unknown;
  while (stops.length > 0) {
    const { name, stop } = stops.pop()!;
    try {
      await stop();
    } catch (error) {
      log.error({ err: error, part: name }, 'failed to stop cleanly');
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}

// ---- built-in servers -----------------------------------------------------------------------------------------

/**
 * The login server as a part (roles all and login), configured from `login.*`. `localGameServers` lists the game
 * servers of this process (role all): the login server's pool spawns them as its children.
 */
export function createLoginPart(localGameServers?: (context: PartContext) => readonly LocalGameServer[]): Part {
  return {
    name: 'login',
    roles: ['all', 'login'],
    async start(context) {
      const { config, system, store } = context;
      if (store === undefined) throw new StartError('the login server needs the store');
      const login = config.login;
      const handle = await startLoginServer(system, {
        store,
        host: login.host,
        port: login.port,
        maxConnections: config.session.maxConnections,
        session: sessionOptionsFrom(config.session),
        registry: await loadConfiguredRegistry(config.protocol.definitions, context.logs.component('login')),
        ...(context.characterCodec === undefined ? {} : { codec: context.characterCodec }),
        metrics: context.netMetrics(login.name),
        logins: { succeeded: () => context.metrics.loginSucceeded(), failed: (reason) => context.metrics.loginFailed(reason) },
        settings: {
          name: login.name,
          capacity: login.capacity,
          queueLimit: login.queueLimit,
          queueRecountMs: login.queueRecount,
          afkTimeoutMs: login.afkTimeout,
          afkCheckIntervalMs: login.afkCheckInterval,
          clientKeyExpiryMs: login.clientKeyExpiry,
          loginKeyExpiryMs: login.loginKeyExpiry,
          characterLimit: login.characterLimit,
          startZone: login.startZone,
          duplicateLogin: login.duplicateLogin,
          requestTimeoutMs: login.requestTimeout,
          throttle: { maxFailures: login.throttle.maxFailures, windowMs: login.throttle.window, delayStepMs: login.throttle.delayStep, lockoutMs: login.throttle.lockout },
          pool: {
            healthIntervalMs: login.pool.healthInterval,
            healthTimeoutMs: login.pool.healthTimeout,
            maxMissedHealth: login.pool.maxMissedHealth,
            maxServers: login.pool.maxServers,
            selection: login.pool.selection,
          },
        },
        ...(localGameServers === undefined ? {} : { localGameServers: localGameServers(context) }),
      });
      context.logs.component('login').info({ host: handle.address.host, port: handle.address.port }, 'login server listening');
      return { stop: () => handle.stop(config.shutdown.timeout), admin: loginAdminProviders(system, store, handle) };
    },
  };
}

/** The admin console's view of the login server: the pool's servers, drain, and a kick that reaches any server. */
function loginAdminProviders(system: ActorSystem, store: Store, login: LoginServerHandle): AdminProviders {
  return {
    async gameServers() {
      const servers = await login.pool.ask<readonly PoolServerView[]>((replyTo) => ({ type: 'pool.list', replyTo }), login.settings.requestTimeoutMs);
      return servers.map((s) => ({ name: s.name, address: `${s.address}:${s.port}`, players: s.players, capacity: s.capacity, status: s.missed > 0 ? 'unreachable' : s.status }));
    },
    async drain(server) {
      const reply = await login.pool.ask<{ found: boolean }>((replyTo) => ({ type: 'pool.drain-server', name: server, replyTo }), login.settings.requestTimeoutMs);
      return reply.found;
    },
    async kick(accountId, _by, reason) {
      let found = false;
      for (const entry of await store.onlinePlayers.findByAccount(accountId)) {
        if (entry.server === login.settings.name) {
          // A login session is the login server's child `session-<sid>`; its end removes the entry.
          const session = system.lookup(`${login.ref.path}/session-${entry.sessionId}`);
          if (session === undefined) continue;
          session.tell({ type: 'net.close', reason });
        } else {
          login.pool.tell({ type: 'pool.kick-on-server', server: entry.server, accountId, reason });
        }
        found = true;
      }
      return found;
    },
  };
}

// ---- metrics read at scrape time --------------------------------------------------------------------------------

/**
 * Online players per server (from the store: in a cluster it covers every process) and zones and instances per game
 * server, read when Prometheus scrapes. A server seen before and absent now reads 0 rather than a stale figure.
 */
function worldGauges(metrics: Metrics, store: Store | undefined, providers: AdminProviders, log: ImlightLogger): () => Promise<void> {
  const seenOnline = new Set<string>();
  const seenWorld = new Set<string>();
  return async () => {
    try {
      if (store !== undefined) {
        const online = new Map<string, number>();
        for (const entry of await store.onlinePlayers.list()) online.set(entry.server, (online.get(entry.server) ?? 0) + 1);
        for (const server of seenOnline) if (!online.has(server)) metrics.setOnlinePlayers(server, 0);
        for (const [server, count] of online) {
          metrics.setOnlinePlayers(server, count);
          seenOnline.add(server);
        }
      }
      if (providers.zones !== undefined) {
        const world = new Map<string, { zones: number; instances: number }>();
        for (const zone of await providers.zones()) {
          const counts = world.get(zone.server) ?? { zones: 0, instances: 0 };
          if (zone.kind === 'instance') counts.instances++;
          else counts.zones++;
          world.set(zone.server, counts);
        }
        for (const server of seenWorld) if (!world.has(server)) world.set(server, { zones: 0, instances: 0 });
        for (const [server, counts] of world) {
          metrics.setZones(server, counts.zones);
          metrics.setInstances(server, counts.instances);
          seenWorld.add(server);
        }
      }
    } catch (error) {
      // A scrape must not fail because one source is slow or down; the gauges keep their last values.
      log.warn({ err: error }, 'cannot read the online players or zones for the metrics');
    }
  };
}
