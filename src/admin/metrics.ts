// The Prometheus metrics of an Imlight process. Servers feed them through the typed methods of `Metrics` (one call
// per event, no label juggling at call sites); actor-system figures (mailbox depth, actor count) are read from
// `system.snapshot()` when Prometheus scrapes, and dead letters and restarts come from the system's event stream.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

// prom-client's own event-loop collector (nodejs_eventloop_lag_*), also when the other default metrics are off.
const registerEventLoopLag = createRequire(import.meta.url)('prom-client/lib/metrics/eventLoopLag.js') as (registry: Registry, config: object) => void;

/** The part of an actor snapshot the metrics read (the runtime's `ActorSnapshot` fits). */
export interface SnapshotNode {
  readonly mailboxSize: number;
  readonly children: readonly SnapshotNode[];
}

/** The part of an `ActorSystem` the metrics observe. */
export interface ObservableSystem {
  readonly name: string;
  snapshot(): SnapshotNode;
  readonly eventStream: {
    subscribe(kind: 'dead-letter' | 'lifecycle' | 'failure' | 'unhandled', fn: (event: any) => void): () => void;
  };
}

export interface MetricsOptions {
  /** Node process metrics from prom-client (event-loop lag, heap, GC, handles). Default true. */
  readonly defaultMetrics?: boolean;
  /** Labels added to every series, e.g. `{ node: 'host-1234' }` in a cluster. */
  readonly defaultLabels?: Readonly<Record<string, string>>;
}

export interface MailboxFigures {
  readonly actors: number;
  readonly total: number;
  readonly max: number;
}

export function mailboxFigures(root: SnapshotNode): MailboxFigures {
  let actors = 0;
  let total = 0;
  let max = 0;
  const stack: SnapshotNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    actors++;
    total += node.mailboxSize;
    if (node.mailboxSize > max) max = node.mailboxSize;
    for (const child of node.children) stack.push(child);
  }
  return { actors, total, max };
}

const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Steps a player waits on: login steps, attach, message handling. */
const STEP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** The zone tick runs every game.moveTick (50 ms): its work must stay well under it. */
const TICK_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];
const LOAD_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The login steps timed by `imlight_login_step_seconds`. */
export const LOGIN_STEPS = ['authenticate', 'character_list', 'select'] as const;
export type LoginStep = (typeof LOGIN_STEPS)[number];

/** The protocols whose message counters exist from the start (the shipped definitions' protocol names). */
export const DEFAULT_PROTOCOLS = ['SYSTEM', 'EXTENDEDBASE', 'LOGIN', 'GAME', 'PATCH'] as const;

export class Metrics {
  readonly registry: Registry;
  readonly #sessions: Gauge<'server'>;
  readonly #sessionsOpened: Counter<'server'>;
  readonly #sessionsDropped: Counter<'server' | 'reason'>;
  readonly #messagesIn: Counter<'protocol'>;
  readonly #messagesOut: Counter<'protocol'>;
  readonly #loginsSucceeded: Counter;
  readonly #loginsFailed: Counter<'reason'>;
  readonly #onlinePlayers: Gauge<'server'>;
  readonly #zones: Gauge<'server'>;
  readonly #instances: Gauge<'server'>;
  readonly #deadLetters: Counter<'system'>;
  readonly #restarts: Counter<'system'>;
  readonly #failures: Counter<'system'>;
  readonly #database: Histogram<'operation' | 'outcome'>;
  readonly #clusterConnected: Gauge;
  readonly #loginStep: Histogram<'step'>;
  readonly #attach: Histogram;
  readonly #messageHandling: Histogram<'service'>;
  readonly #zoneTick: Histogram;
  readonly #worldLoad: Histogram<'outcome'>;
  readonly #systems = new Map<string, ObservableSystem>();
  readonly #collectors = new Set<() => void | Promise<void>>();
  readonly #unsubscribes = new Set<() => void>();

  constructor(options: MetricsOptions = {}) {
    const registry = new Registry();
    this.registry = registry;
    if (options.defaultLabels !== undefined) registry.setDefaultLabels({ ...options.defaultLabels });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
    else registerEventLoopLag(registry, { eventLoopMonitoringPrecision: 10 });
    const registers = [registry];

    this.#sessions = new Gauge({ name: 'imlight_sessions', help: 'Open client sessions per server.', labelNames: ['server'], registers });
    this.#sessionsOpened = new Counter({ name: 'imlight_sessions_opened_total', help: 'Client sessions opened per server.', labelNames: ['server'], registers });
    this.#sessionsDropped = new Counter({
      name: 'imlight_sessions_dropped_total', help: 'Sessions closed by the server for a limit or fault (slow reader, bad frame, ...).',
      labelNames: ['server', 'reason'], registers,
    });
    this.#messagesIn = new Counter({ name: 'imlight_messages_in_total', help: 'Client messages received, by protocol (rate() gives per second).', labelNames: ['protocol'], registers });
    this.#messagesOut = new Counter({ name: 'imlight_messages_out_total', help: 'Messages sent to clients, by protocol.', labelNames: ['protocol'], registers });
    this.#loginsSucceeded = new Counter({ name: 'imlight_logins_succeeded_total', help: 'Successful authentications and validations.', registers });
    this.#loginsFailed = new Counter({ name: 'imlight_logins_failed_total', help: 'Refused authentications and validations, by reason.', labelNames: ['reason'], registers });
    this.#onlinePlayers = new Gauge({ name: 'imlight_online_players', help: 'Players online per server.', labelNames: ['server'], registers });
    this.#zones = new Gauge({ name: 'imlight_zones', help: 'Public zones loaded per game server.', labelNames: ['server'], registers });
    this.#instances = new Gauge({ name: 'imlight_instances', help: 'Private instances per game server.', labelNames: ['server'], registers });
    this.#deadLetters = new Counter({ name: 'imlight_dead_letters_total', help: 'Messages sent to actors that were not alive.', labelNames: ['system'], registers });
    this.#restarts = new Counter({ name: 'imlight_actor_restarts_total', help: 'Actor restarts by supervision.', labelNames: ['system'], registers });
    this.#failures = new Counter({ name: 'imlight_actor_failures_total', help: 'Actor failures handed to supervision.', labelNames: ['system'], registers });
    this.#database = new Histogram({
      name: 'imlight_database_query_seconds', help: 'Store operation latency.', labelNames: ['operation', 'outcome'], buckets: DB_BUCKETS, registers,
    });
    this.#clusterConnected = new Gauge({ name: 'imlight_cluster_connected', help: '1 while connected to NATS, 0 while not (absent in single-process mode).', registers });

    const systems = this.#systems;
    const read = (): Map<string, MailboxFigures> => new Map([...systems].map(([name, system]) => [name, mailboxFigures(system.snapshot())]));
    new Gauge({
      name: 'imlight_actors', help: 'Live actors per actor system.', labelNames: ['system'], registers,
      collect() { for (const [name, f] of read()) this.set({ system: name }, f.actors); },
    });
    new Gauge({
      name: 'imlight_mailbox_messages', help: 'Messages waiting in all mailboxes.', labelNames: ['system'], registers,
      collect() { for (const [name, f] of read()) this.set({ system: name }, f.total); },
    });
    new Gauge({
      name: 'imlight_mailbox_depth_max', help: 'Messages waiting in the fullest mailbox.', labelNames: ['system'], registers,
      collect() { for (const [name, f] of read()) this.set({ system: name }, f.max); },
    });

    this.#loginStep = new Histogram({
      name: 'imlight_login_step_seconds', help: 'Login steps as the player waits on them: authenticate, character_list, select.',
      labelNames: ['step'], buckets: STEP_BUCKETS, registers,
    });
    this.#attach = new Histogram({ name: 'imlight_attach_seconds', help: 'MSG_ATTACH to the player in its zone (or refused).', buckets: STEP_BUCKETS, registers });
    this.#messageHandling = new Histogram({
      name: 'imlight_message_handling_seconds', help: 'Time a message service spends on one client message, by service.',
      labelNames: ['service'], buckets: STEP_BUCKETS, registers,
    });
    this.#zoneTick = new Histogram({ name: 'imlight_zone_tick_seconds', help: 'Work of one zone tick (movement broadcast).', buckets: TICK_BUCKETS, registers });
    this.#worldLoad = new Histogram({
      name: 'imlight_world_load_seconds', help: 'Loading a zone\'s data, by outcome (ok, error).', labelNames: ['outcome'], buckets: LOAD_BUCKETS, registers,
    });

    // Every series exists from the start (at 0), so rate() and alerts see them before the first event.
    for (const step of LOGIN_STEPS) this.#loginStep.zero({ step });
    for (const outcome of ['ok', 'error']) this.#worldLoad.zero({ outcome });
    for (const protocol of DEFAULT_PROTOCOLS) {
      this.#messagesIn.inc({ protocol }, 0);
      this.#messagesOut.inc({ protocol }, 0);
    }
    this.#loginsSucceeded.inc(0);
  }

  /** Creates a server's series at 0 (sessions, opened, online players): called when the server starts. */
  declareServer(server: string): void {
    this.#sessions.inc({ server }, 0);
    this.#sessionsOpened.inc({ server }, 0);
    this.#onlinePlayers.inc({ server }, 0);
  }

  loginStep(step: LoginStep, seconds: number): void {
    this.#loginStep.observe({ step }, seconds);
  }

  attached(seconds: number): void {
    this.#attach.observe(seconds);
  }

  messageHandled(service: string, seconds: number): void {
    this.#messageHandling.observe({ service }, seconds);
  }

  zoneTicked(seconds: number): void {
    this.#zoneTick.observe(seconds);
  }

  /** Observed by the world loader (zone data from a folder or Root.wad). */
  worldLoaded(seconds: number, failed: boolean): void {
    this.#worldLoad.observe({ outcome: failed ? 'error' : 'ok' }, seconds);
  }

  sessionOpened(server: string): void {
    this.#sessions.inc({ server });
    this.#sessionsOpened.inc({ server });
  }

  sessionClosed(server: string): void {
    this.#sessions.dec({ server });
  }

  /** A session the server ended for a limit or a fault; also call `sessionClosed`. */
  sessionDropped(server: string, reason: string): void {
    this.#sessionsDropped.inc({ server, reason });
  }

  messageIn(protocol: string, count = 1): void {
    this.#messagesIn.inc({ protocol }, count);
  }

  messageOut(protocol: string, count = 1): void {
    this.#messagesOut.inc({ protocol }, count);
  }

  loginSucceeded(): void {
    this.#loginsSucceeded.inc();
  }

  /** `reason` is one of a fixed set of words (`bad-password`, `banned`, `throttled`, ...), never client input. */
  loginFailed(reason: string): void {
    this.#loginsFailed.inc({ reason });
  }

  setOnlinePlayers(server: string, count: number): void {
    this.#onlinePlayers.set({ server }, count);
  }

  setZones(server: string, count: number): void {
    this.#zones.set({ server }, count);
  }

  setInstances(server: string, count: number): void {
    this.#instances.set({ server }, count);
  }

  /** Forgets a server's series (a game server removed from this process). */
  forgetServer(server: string): void {
    for (const gauge of [this.#sessions, this.#onlinePlayers, this.#zones, this.#instances]) gauge.remove({ server });
  }

  setClusterConnected(connected: boolean): void {
    this.#clusterConnected.set(connected ? 1 : 0);
  }

  /** Fits the store's `QueryObserver`: `openStore({ ..., onQuery: metrics.databaseQuery })`. */
  readonly databaseQuery = (durationMs: number, operation: string, failed: boolean): void => {
    this.#database.observe({ operation, outcome: failed ? 'error' : 'ok' }, durationMs / 1000);
  };

  deadLetter(system: string): void {
    this.#deadLetters.inc({ system });
  }

  actorRestarted(system: string): void {
    this.#restarts.inc({ system });
  }

  /**
   * Reads mailbox figures from the system at each scrape and counts its dead letters, failures and restarts.
   * Returns a function that stops observing.
   */
  observeActorSystem(system: ObservableSystem): () => void {
    const name = system.name;
    this.#systems.set(name, system);
    for (const counter of [this.#deadLetters, this.#restarts, this.#failures]) counter.inc({ system: name }, 0);
    const unsubscribers = [
      system.eventStream.subscribe('dead-letter', () => this.deadLetter(name)),
      system.eventStream.subscribe('failure', () => this.#failures.inc({ system: name })),
      system.eventStream.subscribe('lifecycle', (event: unknown) => {
        if (isRestart(event)) this.actorRestarted(name);
      }),
    ];
    const stop = (): void => {
      for (const unsubscribe of unsubscribers) unsubscribe();
      this.#systems.delete(name);
      this.#unsubscribes.delete(stop);
    };
    this.#unsubscribes.add(stop);
    return stop;
  }

  /** Runs `fn` before each scrape, to refresh gauges from their owners. Returns a function that removes it. */
  onCollect(fn: () => void | Promise<void>): () => void {
    this.#collectors.add(fn);
    return () => this.#collectors.delete(fn);
  }

  /** Every metric's values as prom-client's JSON, after running the collect hooks (the console's history). */
  async collectJson(): Promise<Awaited<ReturnType<Registry['getMetricsAsJSON']>>> {
    for (const fn of this.#collectors) await fn();
    return this.registry.getMetricsAsJSON();
  }

  /** The text exposition format, after running the collect hooks. */
  async render(): Promise<{ contentType: string; body: string }> {
    for (const fn of this.#collectors) await fn();
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Stops every observation. */
  close(): void {
    for (const stop of [...this.#unsubscribes]) stop();
    this.#collectors.clear();
  }
}

function isRestart(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { event?: unknown }).event === 'restarted';
}

/**
 * A node:http request listener for `GET|HEAD /metrics`. Returns false (and writes nothing) for other paths, so an
 * HTTP server that hosts other routes (the admin console) can call it first.
 */
export function handleMetricsRequest(metrics: Metrics, request: IncomingMessage, response: ServerResponse): boolean {
  const path = (request.url ?? '/').split('?', 1)[0];
  if (path !== '/metrics') return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  metrics.render().then(({ contentType, body }) => {
    response.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  }, (error: unknown) => {
    response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics collection failed: ${(error as Error).message}\n`);
  });
  return true;
}
