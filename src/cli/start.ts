// The composition root of a running Imlight process: configuration in, a handle with stop() out. It creates the
// logger, the metrics, the store and the actor system, joins the cluster, starts the server parts in order and
// passes the refs one part returns to the parts after it (docs/architecture.md, "Start order").
import { Metrics, mergeProviders, startAdminServer, type AdminProviders, type AdminServer } from '../admin/index.js';
import { maskedConfig, type ImlightConfig, type Role } from '../config/index.js';
import { ActorSystem, type ActorRef } from '../runtime/index.js';
import { gamePart } from '../servers/game/index.js';
import { loginPart } from '../servers/login/index.js';
import { patchPart } from '../servers/patch/index.js';
import type { LocalPoolMessage, Part, PartContext } from '../servers/shared/index.js';
import type { Store } from '../store/index.js';
import { ShutdownTimeoutError, StartError } from './errors.js';
import { createLogger, type ImlightLogger, type LogRoot } from './logging.js';
import { joinConfiguredCluster, systemNameFor, type ClusterWiring } from './cluster-wiring.js';
import { openConfiguredStore } from './open-store.js';
import { characterCodecFrom } from './character-codec.js';
import { netMetricsBridge } from './net-metrics-bridge.js';

export type { Part, PartContext } from '../servers/shared/index.js';
export { createLoginPart } from '../servers/login/index.js';

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

/**
 * The servers of the `imlight start` command, in start order; each runs only for the roles it names. The game part
 * comes after the login part: it creates its game servers under the pool the login part returns.
 */
export const DEFAULT_PARTS: readonly Part[] = [loginPart, gamePart, patchPart];

export async function startImlight(config: ImlightConfig, options: StartOptions = {}): Promise<ImlightHandle> {
  const role = options.role ?? 'all';
  const logRoot = options.logRoot ?? (await createLogger(config.log));
  const log = logRoot.component('start', { role });
  log.info({ configFile: options.configFile ?? null, config: maskedConfig(config) }, 'configuration loaded');
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
    const cluster = await joinConfiguredCluster(created, config, { role, metrics, log: logRoot.component('cluster') });
    // The actors stop first, so their Terminated reach remote watchers; then the node leaves the cluster.
    if (cluster !== undefined) stops.push({ name: 'cluster', stop: async () => { await created.terminate(); await cluster.stop(); } });
    const base = {
      role, config, system: created, store, logs: logRoot, clock: Date.now,
      characterCodec: await characterCodecFrom(config, logRoot.component('start')),
      netMetrics: (server: string) => netMetricsBridge(metrics, server),
      logins: { succeeded: () => metrics.loginSucceeded(), failed: (reason: string) => metrics.loginFailed(reason) },
    };
    const parts = (options.parts ?? []).filter((part) => part.roles.includes(role));
    for (const running of await startParts(parts, base, cluster, stops, log)) if (running.admin !== undefined) adminProviders.push(running.admin);
    if (parts.length === 0) log.info('no server part runs with this role: running an empty actor system');
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

  // Nothing else may hold the event loop open (no parts for the role, admin disabled): the process must still run until
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

/**
 * Starts the parts in order, after the store, the actor system and the cluster node. The pool the game servers
 * register with is handed from part to part: on a game node of a cluster it is the cluster's PoolLink; a part that
 * returns a pool (the login part) hands its own to the parts after it and to the cluster directory, which takes
 * remote game servers into it. Each started part's stop joins the undo stack.
 */
async function startParts(
  parts: readonly Part[],
  base: Omit<PartContext, 'pool'>,
  cluster: ClusterWiring | undefined,
  stops: Array<{ name: string; stop: () => Promise<void> | void }>,
  log: ImlightLogger,
): Promise<Awaited<ReturnType<Part['start']>>[]> {
  const started: Awaited<ReturnType<Part['start']>>[] = [];
  let pool: ActorRef<LocalPoolMessage> | undefined = cluster?.poolLink;
  for (const part of parts) {
    const running = await part.start({ ...base, pool });
    stops.push({ name: part.name, stop: () => running.stop() });
    started.push(running);
    if (running.pool !== undefined) {
      pool = running.pool;
      cluster?.hostPool(running.pool);
    }
    log.info({ part: part.name }, 'started');
  }
  return started;
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
