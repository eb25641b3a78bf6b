// The GameServerPool (flows.md section 4): the registry of game servers, their health, and the
// choice of a server for each player. A game server in this process is the pool's child; one in
// another process is represented by a ref the cluster layer provides. Both speak the same
// protocol (../shared/pool-protocol.ts), so nothing here depends on where a server runs.
import { Actor, type ActorContext, type ActorRef, type Handlers, type Props } from '../../runtime/index.js';
import type { Store } from '../../store/index.js';
import {
  GameServerStatus,
  RegisterRefusal,
  type GameServerCommand,
  type GameServerHealth,
  type GameServerInfo,
  type RegisterGameServer,
  type UnregisterGameServer,
} from '../shared/pool-protocol.js';
import { SelectionPolicy, type PoolSettings } from './login-settings.js';
import type {
  DrainServer,
  ForwardLoginKey,
  GameServerView,
  HealthResult,
  KickOnServer,
  ListServers,
  PoolMessage,
  SelectGameServer,
  ServerTerminated,
  SpawnLocalGameServer,
} from './pool-messages.js';

interface Entry {
  info: GameServerInfo;
  readonly ref: ActorRef<GameServerCommand>;
  readonly incarnation: number;
  readonly local: boolean;
  players: number;
  /** When each selection for this server was made (scheduler ms), oldest first: players on their way to attach. */
  reservations: number[];
  /** When the health query in flight (or the last one) was sent. */
  queriedAt: number;
  status: GameServerStatus;
  missed: number;
  querying: boolean;
}

/**
 * How long a selection counts against a server before its player shows in a health reply. A selected player attaches
 * within moments; counting a reservation until the next health reply instead (up to a whole health interval) made a
 * busy server with fast-moving players look full when it was not.
 */
const RESERVATION_MS = 5_000;

const HEALTH_TICK = Object.freeze({ type: 'pool.health-tick' as const });
const MAX_TEXT = 64;

function validText(value: unknown, max: number): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

/** Why a registration is invalid, or undefined when it is fine. */
function invalidInfo(info: GameServerInfo | undefined): string | undefined {
  if (typeof info !== 'object' || info === null) return 'no server info';
  if (!validText(info.name, MAX_TEXT)) return 'name must have 1..64 printable characters';
  if (!validText(info.realm, MAX_TEXT)) return 'realm must have 1..64 printable characters';
  if (!validText(info.address, 255)) return 'address must have 1..255 printable characters';
  if (!Number.isInteger(info.port) || info.port < 1 || info.port > 0xffff) return `port must be 1..65535, got ${String(info.port)}`;
  if (!Number.isInteger(info.capacity) || info.capacity < 1) return `capacity must be a positive integer, got ${String(info.capacity)}`;
  return undefined;
}

export interface GameServerPoolInit {
  readonly settings: PoolSettings;
  readonly store: Store;
  /** Game servers to create as children at start (the composition root's local servers). */
  readonly localServers?: readonly { readonly name: string; readonly props: Props<any> }[];
}

export class GameServerPool extends Actor<PoolMessage> {
  readonly #settings: PoolSettings;
  readonly #store: Store;
  readonly #init: GameServerPoolInit;
  readonly #servers = new Map<string, Entry>();
  #incarnations = 0;
  #roundRobin = 0;

  constructor(context: ActorContext<PoolMessage>, init: GameServerPoolInit) {
    super(context);
    this.#settings = init.settings;
    this.#store = init.store;
    this.#init = init;
  }

  readonly receive: Handlers<PoolMessage> = {
    'pool.register': (m) => this.#register(m),
    'pool.unregister': (m) => this.#unregister(m),
    'pool.select': (m) => this.#select(m),
    'pool.forward-login-key': (m) => this.#forward(m),
    'pool.kick-on-server': (m) => this.#kick(m),
    'pool.drain-server': (m) => this.#drain(m),
    'pool.list': (m) => this.#list(m),
    'pool.spawn-local': (m) => this.#spawnLocal(m),
    'pool.health-tick': () => this.#healthRound(),
    'pool.health-result': (m) => this.#healthResult(m),
    'pool.server-terminated': (m) => this.#terminated(m),
  };

  override preStart(): void {
    this.context.timers.startPeriodic('health', HEALTH_TICK, this.#settings.healthIntervalMs);
    for (const server of this.#init.localServers ?? []) this.#spawnLocal({ type: 'pool.spawn-local', name: server.name, props: server.props });
  }

  // ---- registration -----------------------------------------------------------------------------

  #register({ info, server, replyTo }: RegisterGameServer): void {
    const log = this.context.log;
    const refuse = (reason: RegisterRefusal, detail: string): void => {
      log.warn({ server: typeof info?.name === 'string' ? info.name.slice(0, MAX_TEXT) : undefined, reason, detail }, 'game server registration refused');
      replyTo.tell({ type: 'pool.register-refused', reason, detail });
    };
    const invalid = invalidInfo(info);
    if (invalid !== undefined) return refuse(RegisterRefusal.Invalid, invalid);
    const existing = this.#servers.get(info.name);
    // The same actor registering again (a retry whose first reply was lost, or a restarted local
    // child): its entry is refreshed, not refused.
    const again = existing !== undefined && existing.ref.path === server.path;
    if (existing !== undefined && !again) return refuse(RegisterRefusal.DuplicateName, `a game server named ${info.name} is already registered`);
    for (const other of this.#servers.values()) {
      if (other.info.name !== info.name && other.info.port === info.port && other.info.address === info.address) {
        return refuse(RegisterRefusal.DuplicatePort, `${info.address}:${info.port} is already used by ${other.info.name}`);
      }
    }
    if (!again && this.#servers.size >= this.#settings.maxServers) return refuse(RegisterRefusal.PoolFull, `the pool holds its maximum of ${this.#settings.maxServers} servers`);
    if (existing !== undefined) this.context.unwatch(existing.ref);
    const incarnation = ++this.#incarnations;
    const local = this.context.children.some((child) => child.path === server.path);
    const entry: Entry = {
      info: { name: info.name, realm: info.realm, address: info.address, port: info.port, capacity: info.capacity },
      ref: server,
      incarnation,
      local,
      players: existing?.players ?? 0,
      reservations: [],
      queriedAt: 0,
      status: GameServerStatus.Open,
      missed: 0,
      querying: false,
    };
    this.#servers.set(info.name, entry);
    this.context.watch(server, { type: 'pool.server-terminated', name: info.name, incarnation });
    log.info({ server: info.name, realm: info.realm, address: info.address, port: info.port, capacity: info.capacity, local, again }, 'game server registered');
    replyTo.tell({ type: 'pool.registered', name: info.name });
  }

  #unregister({ name }: UnregisterGameServer): Promise<void> | void {
    const entry = this.#servers.get(name);
    if (entry === undefined) return;
    // A server that unregisters has saved and cleared its own players already.
    return this.#remove(entry, 'unregistered', false, false);
  }

  #terminated({ name, incarnation }: ServerTerminated): Promise<void> | void {
    const entry = this.#servers.get(name);
    if (entry === undefined || entry.incarnation !== incarnation) return;
    return this.#remove(entry, 'its actor ended', false);
  }

  /**
   * Removes a server and clears its players from OnlinePlayers. The handler awaits the clearing, so a pool that is
   * stopping finishes it before the store closes.
   */
  async #remove(entry: Entry, why: string, stopLocal: boolean, clearPlayers = true): Promise<void> {
    const name = entry.info.name;
    this.#servers.delete(name);
    this.context.unwatch(entry.ref);
    const log = this.context.log;
    log.warn({ server: name, why }, 'game server removed from the pool');
    if (stopLocal && entry.local && this.context.children.some((child) => child.path === entry.ref.path)) this.context.stop(entry.ref);
    if (!clearPlayers) return;
    try {
      const cleared = await this.#store.onlinePlayers.clearServer(name);
      log.info({ server: name, cleared }, 'online players of a removed game server cleared');
    } catch (error) {
      log.error({ server: name, err: error }, 'cannot clear the online players of a removed game server');
    }
  }

  #spawnLocal({ name, props, replyTo }: SpawnLocalGameServer): void {
    try {
      const ref = this.context.spawn(props, `game-${name}`) as ActorRef<GameServerCommand>;
      replyTo?.tell({ type: 'pool.spawned', name, ref });
    } catch (error) {
      this.context.log.error({ server: name, err: error }, 'cannot spawn a local game server');
      replyTo?.tell({ type: 'pool.spawn-failed', name, error: (error as Error).message });
    }
  }

  // ---- health -----------------------------------------------------------------------------------

  #healthRound(): void {
    const timeoutMs = this.#settings.healthTimeoutMs;
    for (const entry of this.#servers.values()) {
      // A query still out counts when its own timeout fires; no second one piles up behind it.
      if (entry.querying) continue;
      entry.querying = true;
      entry.queriedAt = this.context.system.scheduler.now();
      const { name } = entry.info;
      const incarnation = entry.incarnation;
      this.context.pipeToSelf(
        entry.ref.ask<GameServerHealth>((replyTo) => ({ type: 'pool.health', replyTo }), timeoutMs),
        (result): HealthResult =>
          result.ok
            ? { type: 'pool.health-result', name, incarnation, health: result.value, error: undefined }
            : { type: 'pool.health-result', name, incarnation, health: undefined, error: (result.error as Error)?.message ?? String(result.error) },
      );
    }
  }

  #healthResult({ name, incarnation, health, error }: HealthResult): Promise<void> | void {
    const entry = this.#servers.get(name);
    if (entry === undefined || entry.incarnation !== incarnation) return;
    entry.querying = false;
    if (health !== undefined && typeof health === 'object' && Number.isFinite(health.players)) {
      entry.missed = 0;
      entry.players = Math.max(0, Math.floor(health.players));
      // Players selected before the query was sent are in its count now (or did not come).
      const queriedAt = entry.queriedAt;
      entry.reservations = entry.reservations.filter((at) => at >= queriedAt);
      if (Number.isInteger(health.capacity) && health.capacity > 0) entry.info = { ...entry.info, capacity: health.capacity };
      // A server we asked to drain stays drained even if it still reports open.
      if (entry.status !== GameServerStatus.Draining || health.status === GameServerStatus.Stopping) {
        if (Object.values(GameServerStatus).includes(health.status)) entry.status = health.status;
      }
      return;
    }
    entry.missed++;
    this.context.log.warn({ server: name, missed: entry.missed, limit: this.#settings.maxMissedHealth, error }, 'game server missed a health query');
    if (entry.missed >= this.#settings.maxMissedHealth) return this.#remove(entry, `missed ${entry.missed} health queries in a row`, true);
  }

  // ---- selection --------------------------------------------------------------------------------

  #eligible(entry: Entry): boolean {
    return entry.status === GameServerStatus.Open && entry.missed === 0 && entry.players + this.#reserved(entry) < entry.info.capacity;
  }

  #reserved(entry: Entry): number {
    const since = this.context.system.scheduler.now() - RESERVATION_MS;
    let expired = 0;
    while (expired < entry.reservations.length && entry.reservations[expired]! < since) expired++;
    if (expired > 0) entry.reservations.splice(0, expired);
    return entry.reservations.length;
  }

  #select({ preferred, replyTo }: SelectGameServer): void {
    let chosen: Entry | undefined;
    if (preferred !== undefined && preferred !== '') {
      const entry = this.#servers.get(preferred);
      if (entry !== undefined && this.#eligible(entry)) chosen = entry;
    }
    chosen ??= this.#pick();
    if (chosen === undefined) {
      const reason = this.#servers.size === 0 ? 'no game server is registered' : 'every game server is full, draining or not answering';
      replyTo.tell({ type: 'pool.no-server', reason });
      return;
    }
    chosen.reservations.push(this.context.system.scheduler.now());
    replyTo.tell({ type: 'pool.selected', name: chosen.info.name, address: chosen.info.address, port: chosen.info.port });
  }

  #pick(): Entry | undefined {
    const candidates = [...this.#servers.values()].filter((e) => this.#eligible(e));
    if (candidates.length === 0) return undefined;
    candidates.sort((a, b) => (a.info.name < b.info.name ? -1 : a.info.name > b.info.name ? 1 : 0));
    const load = (e: Entry): number => (e.players + this.#reserved(e)) / e.info.capacity;
    switch (this.#settings.selection) {
      case SelectionPolicy.RoundRobin:
        return candidates[this.#roundRobin++ % candidates.length];
      case SelectionPolicy.FillFirst:
        return candidates.reduce((best, e) => (load(e) > load(best) ? e : best));
      default:
        return candidates.reduce((best, e) => (load(e) < load(best) ? e : best));
    }
  }

  // ---- commands to servers ----------------------------------------------------------------------

  #forward({ server, grant }: ForwardLoginKey): void {
    const entry = this.#servers.get(server);
    if (entry === undefined) {
      // The key stays in the store (the authority); the game server can still consume it there.
      this.context.log.warn({ server }, 'login key for a game server that left the pool');
      return;
    }
    entry.ref.tell(grant);
  }

  #kick({ server, accountId, reason }: KickOnServer): void {
    this.#servers.get(server)?.ref.tell({ type: 'pool.kick', accountId, reason });
  }

  #drain({ name, replyTo }: DrainServer): void {
    const entry = this.#servers.get(name);
    if (entry !== undefined) {
      entry.status = GameServerStatus.Draining;
      entry.ref.tell({ type: 'pool.drain' });
      this.context.log.info({ server: name }, 'game server draining: no new players');
    }
    replyTo.tell({ type: 'pool.drained', found: entry !== undefined });
  }

  #list({ replyTo }: ListServers): void {
    const views: GameServerView[] = [...this.#servers.values()].map((e) => ({
      ...e.info,
      players: e.players,
      reserved: this.#reserved(e),
      status: e.status,
      missed: e.missed,
      local: e.local,
      path: e.ref.path,
    }));
    views.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    replyTo.tell(views);
  }
}
