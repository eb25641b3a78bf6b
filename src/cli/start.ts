// The composition root of a running Imlight process: configuration in, a handle with stop() out. It creates the
// logger, the metrics, the store and the actor system, and is where the servers are added as they come.
import { Metrics, startMetricsServer, type MetricsServer } from '../admin/index.js';
import { maskedConfig, type ImlightConfig, type Role } from '../config/index.js';
import { ActorSystem } from '../runtime/index.js';
import type { Store } from '../store/index.js';
import { ShutdownTimeoutError, StartError } from './errors.js';
import { createLogger, type ImlightLogger, type LogRoot } from './logging.js';
import { openConfiguredStore } from './open-store.js';

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
}

/** A part of the process started after the store and the actor system, stopped before them in reverse order. */
export interface Part {
  readonly name: string;
  /** Which roles run it. */
  readonly roles: readonly Role[];
  start(context: PartContext): Promise<{ stop(): Promise<void> | void }>;
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
  let metricsServer: MetricsServer | undefined;
  try {
    if (ROLES_WITH_STORE.has(role)) {
      const opened = await openConfiguredStore(config, { logger: logRoot.component('store'), onQuery: metrics.databaseQuery });
      store = opened;
      stops.push({ name: 'store', stop: () => opened.close() });
      log.info({ backend: opened.backend }, 'store opened');
    }

    const created = ActorSystem.create(SYSTEM_NAME, { logger: logRoot.component('runtime') });
    system = created;
    stops.push({ name: 'actor system', stop: () => created.terminate() });
    stops.push({ name: 'metrics observation', stop: metrics.observeActorSystem(created) });

    const parts = (options.parts ?? []).filter((part) => part.roles.includes(role));
    for (const part of parts) {
      const running = await part.start({ role, config, system: created, store, metrics, logs: logRoot });
      stops.push({ name: part.name, stop: () => running.stop() });
      log.info({ part: part.name }, 'started');
    }
    // The servers become parts as they are built (login, game, patch); until then the system runs with none.
    if (parts.length === 0) log.info('no servers are built yet: running an empty actor system');

    if (config.admin.enabled && config.metrics.enabled) {
      const served = await startMetricsServer(metrics, { host: config.admin.host, port: config.admin.port });
      metricsServer = served;
      stops.push({ name: 'metrics endpoint', stop: () => served.close() });
      log.info({ url: served.url }, 'metrics endpoint listening');
    }
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

  log.info({ metricsUrl: metricsServer?.url ?? null }, 'imlight started');
  return { role, config, logger: logRoot.logger, system, metrics, store, metricsUrl: metricsServer?.url, stopped, stop };
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
