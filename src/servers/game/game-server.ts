// The GameServer actor (architecture.md section 1): a KiServer whose sessions run the Attach, Zone,
// Move and Chat services, with LoginKeys, GameWorld and CommandDispatcher as its children. It
// registers with the login server's pool (retrying until accepted), answers the pool's health
// queries, keeps the players of this server, and shuts down gracefully: every player is told
// (MSG_SERVERSHUTDOWN) and saved before the server leaves the pool.
import {
  props,
  stopGracefully,
  type ActorContext,
  type ActorRef,
  type ActorSystem,
  type Handlers,
  type Props,
} from '../../runtime/index.js';
import { GAME, MessageRegistry, encodeDmlFrame } from '../../protocol/index.js';
import { KiServer, type ListenResult, type NetMetrics, type ServerMessage, type ServiceFactory, type SessionOptions } from '../../net/index.js';
import { ImchCharacterCodec, type CharacterBlobCodec } from '../../objectproperty/index.js';
import type { Store } from '../../store/index.js';
import {
  GameServerStatus,
  type GameServerCommand,
  type GameServerHealth,
  type GameServerInfo,
  type PoolCommand,
  type RegisterReply,
} from '../shared/pool-protocol.js';
import { commandDispatcherProps } from './command-dispatcher.js';
import { GameErrorCode, RegistrationRefusedError, RegistrationTimeoutError } from './errors.js';
import { GameContext, type GameServerDirectory } from './game-context.js';
import { resolveGameSettings, type GameSettings } from './game-settings.js';
import { gameWorldProps } from './game-world.js';
import { loginKeysProps } from './login-keys.js';
import type { GameServerOwnMessage, MuteChanged, OnlineEntry, RegisterPlayerReply, RegistrationResult, ShutdownReport } from './messages.js';
import { AttachService } from './services/attach-service.js';
import { ChatService } from './services/chat-service.js';
import { MoveService } from './services/move-service.js';
import { ZoneService } from './services/zone-service.js';
import { emptyZoneSource, type ZoneDataSource } from './zone-loader.js';
import { ZoneRules } from './zone-path.js';

export interface GameServerOptions {
  /** Registered name (unique in the pool) and the OnlinePlayers server column. */
  readonly name: string;
  readonly store: Store;
  readonly realm?: string;
  /** Default 0.0.0.0. */
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** The address clients are sent to. Default 127.0.0.1. */
  readonly publicAddress?: string;
  /** Players at once. Default 500. */
  readonly capacity?: number;
  /** The pool to register with. Undefined: the parent actor (the pool spawned this server); null: none (standalone). */
  readonly pool?: ActorRef<PoolCommand> | null;
  /** Player object blobs; default the IMCH stand-in. */
  readonly codec?: CharacterBlobCodec;
  /** Zone data; default: every zone loads empty. */
  readonly zoneSource?: ZoneDataSource;
  /** Other game servers by name, for server transfers. */
  readonly directory?: GameServerDirectory;
  readonly settings?: Partial<GameSettings>;
  readonly registry?: MessageRegistry;
  readonly session?: Partial<SessionOptions>;
  readonly maxConnections?: number;
  readonly metrics?: NetMetrics;
}

type GameServerMessage = GameServerOwnMessage | GameServerCommand;

interface Player extends OnlineEntry {
  zone: string;
}

interface PendingAdmission {
  readonly entry: OnlineEntry;
  readonly replyTo: ActorRef<RegisterPlayerReply>;
}

/** The game server's session services, in order. */
function gameServices(game: GameContext): ServiceFactory {
  return [
    { name: 'attach', create: (c, env) => new AttachService(c, env, game) },
    { name: 'zone', create: (c, env) => new ZoneService(c, env, game) },
    { name: 'move', create: (c, env) => new MoveService(c, env), mailboxCapacity: 2000 },
    { name: 'chat', create: (c, env) => new ChatService(c, env, game) },
  ];
}

export class GameServer extends KiServer<GameServerMessage> {
  readonly #options: GameServerOptions;
  readonly #settings: GameSettings;
  readonly #game: GameContext;
  readonly #capacity: number;
  readonly #players = new Map<number, Player>();
  readonly #byAccount = new Map<bigint, number>();
  /** Mutes live here, per account, while the server runs: Unix ms until which each account is muted. */
  readonly #muted = new Map<bigint, number>();
  readonly #pendingOlder = new Map<number, PendingAdmission>();
  #pool: ActorRef<PoolCommand> | undefined = undefined;
  #status: GameServerStatus = GameServerStatus.Open;
  #port = 0;
  #registration: RegistrationResult | undefined = undefined;
  #registrationWaiters: ActorRef<RegistrationResult>[] = [];
  #registerAttempts = 0;
  #shutdownWaiters: ActorRef<ShutdownReport>[] = [];
  #shutdownSids: Set<number> | undefined = undefined;
  #shutdownPlayers = 0;
  #shutdownSaved = 0;
  /** OnlinePlayers removals still being written: the shutdown answers only once they are done. */
  readonly #removals = new Set<Promise<unknown>>();
  #finishing = false;
  #shutdownReport: ShutdownReport | undefined = undefined;

  constructor(context: ActorContext<ServerMessage | GameServerMessage>, options: GameServerOptions, settings: GameSettings, game: GameContext) {
    super(context, {
      name: options.name,
      host: options.host ?? '0.0.0.0',
      port: options.port,
      services: gameServices(game),
      registry: game.registry,
      ...(options.session === undefined ? {} : { session: options.session }),
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    });
    this.#options = options;
    this.#settings = settings;
    this.#game = game;
    this.#capacity = options.capacity ?? 500;
  }

  protected override serverHandlers(): Handlers<GameServerMessage> {
    return {
      'pool.health': ({ replyTo }) => replyTo.tell(this.#health()),
      'pool.grant-login-key': (grant) => this.#game.loginKeys.tell(grant),
      'pool.drain': () => {
        if (this.#status === GameServerStatus.Open) this.#status = GameServerStatus.Draining;
        this.context.log.info('draining: the pool sends no new players');
      },
      'pool.kick': ({ accountId, reason, replyTo }) => {
        const sid = this.#byAccount.get(accountId);
        const player = sid === undefined ? undefined : this.#players.get(sid);
        if (player !== undefined) {
          this.context.log.info({ account: accountId, reason }, 'player kicked at the pool\'s request');
          player.session.tell({ type: 'net.close', reason: `kicked: ${reason}` });
        }
        replyTo?.tell({ type: 'pool.kicked', found: player !== undefined });
      },
      'game.listening': (m) => this.#listening(m),
      'game.register-attempt': () => this.#registerAttempt(),
      'game.register-reply': (m) => this.#registerReply(m),
      'game.when-registered': ({ replyTo }) => {
        if (this.#registration !== undefined) replyTo.tell(this.#registration);
        else this.#registrationWaiters.push(replyTo);
      },
      'game.register-player': ({ entry, replyTo }) => this.#registerPlayer(entry, replyTo),
      'game.older-ended': ({ sid }) => this.#olderEnded(sid),
      'game.player-zone': ({ sid, zone }) => {
        const player = this.#players.get(sid);
        if (player !== undefined) player.zone = zone;
      },
      'game.list-players': ({ replyTo }) =>
        replyTo.tell([...this.#players.values()].map((p) => ({ name: p.name, characterId: p.characterId, accountId: p.accountId, zone: p.zone, mutedUntil: this.#mutedUntil(p.accountId) }))),
      'game.find-player': ({ name, replyTo }) => {
        const wanted = name.toLowerCase();
        replyTo.tell([...this.#players.values()].find((p) => p.name.toLowerCase() === wanted));
      },
      'game.set-muted': ({ accountId, until, replyTo }) => {
        if (until > Date.now()) this.#muted.set(accountId, until);
        else this.#muted.delete(accountId);
        const sid = this.#byAccount.get(accountId);
        const player = sid === undefined ? undefined : this.#players.get(sid);
        const changed: MuteChanged = { type: 'game.mute-changed', mutedUntil: this.#mutedUntil(accountId) };
        player?.session.tell({ type: 'net.tell-services', message: changed });
        replyTo?.tell(player !== undefined);
      },
      'game.broadcast': ({ frame }) => {
        const message = { type: 'net.send-frame' as const, frame };
        for (const player of this.#players.values()) player.session.tell(message);
      },
      'game.shutdown': ({ replyTo }) => this.#shutdown(replyTo),
      'game.shutdown-timeout': () => this.#finishShutdown(true),
    };
  }

  override preStart(): void | Promise<void> {
    const context = this.context;
    const game = this.#game;
    this.#pool = this.#options.pool === null ? undefined : (this.#options.pool ?? (context.parent as ActorRef<PoolCommand>));
    game.server = context.self as ActorRef<GameServerOwnMessage>;
    game.loginKeys = context.spawn(loginKeysProps(), 'login-keys');
    game.world = context.spawn(
      gameWorldProps({
        rules: game.rules,
        instanceGraceMs: this.#settings.instanceGraceMs,
        maxZones: this.#settings.maxZones,
        maxInstanceZones: this.#settings.maxInstanceZones,
        zones: { registry: game.registry, codec: game.codec, source: this.#options.zoneSource ?? emptyZoneSource, moveTickMs: this.#settings.moveTickMs, renderDistance: this.#settings.renderDistance, loadTimeoutMs: this.#settings.zoneLoadTimeoutMs },
      }),
      'world',
    );
    game.commands = context.spawn(commandDispatcherProps(game), 'commands');
    const started = super.preStart();
    const self = context.self as ActorRef<ServerMessage>;
    context.pipeToSelf(self.ask<ListenResult>((replyTo) => ({ type: 'net.when-listening', replyTo }), 30_000), (result) =>
      result.ok && result.value.ok
        ? { type: 'game.listening', ok: true, port: result.value.address.port, error: '' }
        : { type: 'game.listening', ok: false, port: 0, error: result.ok ? (result.value as { error: string }).error : String((result.error as Error)?.message ?? result.error) },
    );
    return started;
  }

  protected override onSessionEnded(sid: number, _reason: string): void {
    const player = this.#players.get(sid);
    if (player !== undefined) {
      this.#players.delete(sid);
      if (this.#byAccount.get(player.accountId) === sid) this.#byAccount.delete(player.accountId);
    }
    const log = this.context.log;
    // Also for a session that ended mid-attach: its entry may have been written after its services ended.
    const removal = this.#game.store.onlinePlayers.remove(this.#game.name, BigInt(sid)).catch((error: unknown) => log.error({ err: error, sid }, 'cannot remove an online-player entry'));
    this.#removals.add(removal);
    void removal.finally(() => this.#removals.delete(removal));
    this.#olderEnded(sid);
    const waiting = this.#shutdownSids;
    if (waiting !== undefined && waiting.delete(sid)) {
      if (player !== undefined) this.#shutdownSaved++;
      if (waiting.size === 0) void this.#finishShutdown(false);
    }
  }

  // ---- registration -----------------------------------------------------------------------------

  async #listening({ ok, port, error }: { ok: boolean; port: number; error: string }): Promise<void> {
    if (!ok) {
      this.#settle({ ok: false, code: 'ERR_LISTEN', reason: 'listen', detail: error });
      return;
    }
    this.#port = port;
    try {
      const stale = await this.#game.store.onlinePlayers.clearServer(this.#game.name);
      if (stale > 0) this.context.log.info({ cleared: stale }, 'cleared online players left by a previous run');
    } catch (clearError) {
      this.context.log.error({ err: clearError }, 'cannot clear the online players of a previous run');
    }
    this.#registerAttempt();
  }

  #info(): GameServerInfo {
    return { name: this.#game.name, realm: this.#game.realm, address: this.#options.publicAddress ?? '127.0.0.1', port: this.#port, capacity: this.#capacity };
  }

  #registerAttempt(): void {
    const pool = this.#pool;
    if (pool === undefined) {
      this.context.log.warn('no pool to register with: running standalone');
      this.#settle({ ok: true, name: this.#game.name, port: this.#port });
      return;
    }
    if (this.#registration !== undefined || this.#status === GameServerStatus.Stopping) return;
    this.#registerAttempts++;
    const info = this.#info();
    const self = this.context.self as ActorRef<GameServerCommand>;
    this.context.pipeToSelf(pool.ask<RegisterReply>((replyTo) => ({ type: 'pool.register', info, server: self, replyTo }), this.#settings.registerRetryMs), (result) =>
      result.ok
        ? { type: 'game.register-reply', reply: result.value, error: undefined }
        : { type: 'game.register-reply', reply: undefined, error: String((result.error as Error)?.message ?? result.error) },
    );
  }

  #registerReply({ reply, error }: { reply: { type: string; reason?: string; detail?: string } | undefined; error: string | undefined }): void {
    if (this.#registration !== undefined) return;
    const log = this.context.log;
    if (reply?.type === 'pool.registered') {
      log.info({ server: this.#game.name, port: this.#port, attempts: this.#registerAttempts }, 'registered with the login server\'s pool');
      this.#settle({ ok: true, name: this.#game.name, port: this.#port });
      return;
    }
    if (reply?.type === 'pool.register-refused') {
      const refused = new RegistrationRefusedError(this.#game.name, reply.reason ?? '?', reply.detail ?? '');
      log.error({ err: refused, reason: reply.reason, detail: reply.detail }, 'the pool refused this game server');
      this.#settle({ ok: false, code: refused.code, reason: reply.reason ?? '?', detail: reply.detail ?? '' });
      return;
    }
    // No answer (the login server is not up yet, or a lost message): try again.
    const line = { attempt: this.#registerAttempts, retryMs: this.#settings.registerRetryMs, error: error ?? 'unexpected reply' };
    if (this.#registerAttempts === 1 || this.#registerAttempts % 10 === 0) log.warn(line, 'registration not answered; retrying');
    else log.debug(line, 'registration not answered; retrying');
    this.context.timers.startSingle('register', { type: 'game.register-attempt' }, this.#settings.registerRetryMs);
  }

  #settle(result: RegistrationResult): void {
    this.#registration = result;
    for (const waiter of this.#registrationWaiters) waiter.tell(result);
    this.#registrationWaiters = [];
  }

  #mutedUntil(accountId: bigint): number {
    const until = this.#muted.get(accountId);
    if (until === undefined) return 0;
    if (until > Date.now()) return until;
    this.#muted.delete(accountId);
    return 0;
  }

  #health(): GameServerHealth {
    return { name: this.#game.name, players: this.#players.size, capacity: this.#capacity, status: this.#status };
  }

  // ---- players ----------------------------------------------------------------------------------

  #registerPlayer(entry: OnlineEntry, replyTo: ActorRef<RegisterPlayerReply>): void {
    if (this.#status === GameServerStatus.Stopping) {
      replyTo.tell({ ok: false, code: GameErrorCode.ShuttingDown, detail: 'the server is shutting down' });
      return;
    }
    const older = this.#byAccount.get(entry.accountId);
    if (older !== undefined && older !== entry.sid && this.#players.has(older)) {
      // The account is already playing here: the older session ends (and saves) before the new
      // one loads the character, so the new one starts from the saved place.
      this.context.log.info({ account: entry.accountId, older, newer: entry.sid }, 'account attached again: closing its older session');
      this.#players.get(older)!.session.tell({ type: 'net.close', reason: 'the account attached again' });
      this.#pendingOlder.set(older, { entry, replyTo });
      this.context.timers.startSingle(`older-${older}`, { type: 'game.older-ended', sid: older }, this.#settings.askTimeoutMs);
      return;
    }
    this.#admit(entry, replyTo);
  }

  #olderEnded(sid: number): void {
    const pending = this.#pendingOlder.get(sid);
    if (pending === undefined) return;
    this.#pendingOlder.delete(sid);
    this.context.timers.cancel(`older-${sid}`);
    this.#admit(pending.entry, pending.replyTo);
  }

  #admit(entry: OnlineEntry, replyTo: ActorRef<RegisterPlayerReply>): void {
    if (this.#players.size >= this.#capacity) {
      replyTo.tell({ ok: false, code: GameErrorCode.ServerFull, detail: `the server is full (${this.#capacity} players)` });
      return;
    }
    this.#players.set(entry.sid, { ...entry, zone: '' });
    this.#byAccount.set(entry.accountId, entry.sid);
    replyTo.tell({ ok: true, mutedUntil: this.#mutedUntil(entry.accountId) });
  }

  // ---- shutdown ---------------------------------------------------------------------------------

  #shutdown(replyTo: ActorRef<ShutdownReport>): void {
    if (this.#shutdownReport !== undefined) {
      replyTo.tell(this.#shutdownReport);
      return;
    }
    this.#shutdownWaiters.push(replyTo);
    if (this.#shutdownSids !== undefined) return;
    this.#status = GameServerStatus.Stopping;
    const log = this.context.log;
    log.info({ players: this.#players.size, sessions: this.sessions.size }, 'shutting down: telling and saving every player');
    this.context.child('tcp-listener')?.tell({ type: 'net.stop-accepting' });
    this.#shutdownPlayers = this.#players.size;
    this.#shutdownSids = new Set(this.sessions.keys());
    if (this.#shutdownSids.size === 0) {
      void this.#finishShutdown(false);
      return;
    }
    const notice = encodeDmlFrame(this.#game.registry, GAME.MSG_SERVERSHUTDOWN, { Message: 0 });
    for (const session of this.sessions.values()) {
      session.tell({ type: 'net.send-frame', frame: notice });
      session.tell({ type: 'net.close', reason: 'server shutdown' });
    }
    this.context.timers.startSingle('shutdown', { type: 'game.shutdown-timeout' }, this.#settings.shutdownTimeoutMs);
  }

  // Runs once: the first of "every session ended" and the timeout; waiters arriving later get the stored report.
  async #finishShutdown(timedOut: boolean): Promise<void> {
    if (this.#shutdownWaiters.length === 0 || this.#finishing) return;
    this.#finishing = true;
    this.context.timers.cancel('shutdown');
    const waiters = this.#shutdownWaiters;
    this.#shutdownWaiters = [];
    await Promise.allSettled([...this.#removals]);
    if (timedOut) this.context.log.warn({ waiting: this.#shutdownSids?.size ?? 0 }, 'shutdown: some sessions did not end in time');
    if (this.#pool !== undefined && this.#registration?.ok === true) this.#pool.tell({ type: 'pool.unregister', name: this.#game.name });
    const report: ShutdownReport = { players: this.#shutdownPlayers, saved: this.#shutdownSaved, timedOut };
    this.#shutdownReport = report;
    this.context.log.info(report, 'shut down: players saved, left the pool');
    for (const waiter of [...waiters, ...this.#shutdownWaiters]) waiter.tell(report);
    this.#shutdownWaiters = [];
  }
}

/** Props of a game server. Settings are checked here, so a bad value fails before anything starts. */
export function gameServerProps(options: GameServerOptions): Props<ServerMessage | GameServerMessage> {
  const settings = resolveGameSettings(options.settings);
  const registry = options.registry ?? MessageRegistry.defaults();
  const create = (context: ActorContext<ServerMessage | GameServerMessage>): GameServer => {
    const game = new GameContext(
      options.name, options.realm ?? 'Imlight', options.store, options.codec ?? new ImchCharacterCodec(), registry,
      new ZoneRules(settings.privateZones), settings, settings.startZone, settings.chatMaxLength, settings.commandPrefix, options.directory,
      settings.maxZoneChangesPer10s,
    );
    return new GameServer(context, options, settings, game);
  };
  return props(create, { kind: 'GameServer' });
}

export interface GameServerHandle {
  readonly ref: ActorRef<GameServerMessage>;
  readonly name: string;
  /** The bound TCP port. */
  readonly port: number;
  /** False when the wait ended before the pool answered (the server goes on retrying). */
  readonly registered: boolean;
  /** Tells every player, saves everyone, leaves the pool; then stops the actor. */
  shutdown(timeoutMs?: number): Promise<ShutdownReport>;
}

/**
 * Waits until a game server (spawned anywhere: by the pool, or with startGameServer) is registered.
 * Rejects with RegistrationRefusedError when the pool refused it, RegistrationTimeoutError past the limit,
 * unless `allowUnregistered`: then it resolves once the server listens, with `registered: false`, and the
 * server keeps retrying (a game process started before the login server of its cluster).
 */
export async function awaitGameServer(
  system: ActorSystem,
  ref: ActorRef<GameServerMessage>,
  name: string,
  timeoutMs = 30_000,
  options: { allowUnregistered?: boolean } = {},
): Promise<GameServerHandle> {
  let result: RegistrationResult;
  try {
    result = await ref.ask<RegistrationResult>((replyTo) => ({ type: 'game.when-registered', replyTo }), timeoutMs);
  } catch (error) {
    if (options.allowUnregistered === true) {
      const listening = await (ref as unknown as ActorRef<ServerMessage>).ask<ListenResult>((replyTo) => ({ type: 'net.when-listening', replyTo }), timeoutMs);
      if (listening.ok) return handleOf(system, ref, name, listening.address.port, false);
    }
    throw Object.assign(new RegistrationTimeoutError(name, timeoutMs), { cause: error });
  }
  if (!result.ok) {
    stopGracefully(ref);
    if (result.code === 'ERR_GAME_REGISTER_REFUSED') throw new RegistrationRefusedError(name, result.reason, result.detail);
    throw new RegistrationTimeoutError(name, timeoutMs);
  }
  return handleOf(system, ref, name, result.port, true);
}

function handleOf(system: ActorSystem, ref: ActorRef<GameServerMessage>, name: string, port: number, registered: boolean): GameServerHandle {
  return {
    ref,
    name,
    port,
    registered,
    async shutdown(limitMs = 15_000) {
      const report = await ref.ask<ShutdownReport>((replyTo) => ({ type: 'game.shutdown', replyTo }), limitMs);
      await stopAndWait(system, ref, limitMs);
      return report;
    },
  };
}

/** Spawns a game server at the top of the system (its pool given in the options) and waits for its registration. */
export async function startGameServer(system: ActorSystem, options: GameServerOptions, actorName = `game-${options.name}`, timeoutMs = 30_000): Promise<GameServerHandle> {
  const ref = system.spawn(gameServerProps(options), actorName) as ActorRef<GameServerMessage>;
  return awaitGameServer(system, ref, options.name, timeoutMs);
}

function stopAndWait(system: ActorSystem, ref: ActorRef, limitMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, limitMs);
    const unsubscribe = system.eventStream.subscribe('lifecycle', (event) => {
      if (event.path === ref.path && event.event === 'stopped') done();
    });
    function done(): void {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
    if (system.lookup(ref.path) === undefined) done();
    else stopGracefully(ref);
  });
}
