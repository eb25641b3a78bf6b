// The GameServer actor (docs/architecture.md): a KiServer whose sessions run the Attach, Zone, Move and Chat
// services, with LoginKeys, GameWorld and CommandDispatcher as its children. It spawns those children when it is
// created and builds one frozen GameDeps of their refs for its services; it registers with the pool it is given
// (retrying until accepted), answers the pool's health queries, keeps its players (game-roster.ts), and shuts down
// gracefully: every player is told (MSG_SERVERSHUTDOWN) and saved before the server leaves the pool. Its message
// handlers are in game-server-handlers.ts; starting one and waiting for it, in game-server-handle.ts.
import { props, type ActorContext, type ActorRef, type Handlers, type Logger, type Props } from '../../runtime/index.js';
import { GAME, MessageRegistry, encodeDmlFrame } from '../../protocol/index.js';
import { KiServer, type ListenResult, type NetMetrics, type ServerMessage, type ServiceFactory, type SessionOptions } from '../../net/index.js';
import { ImchCharacterCodec, type CharacterBlobCodec } from '../../objectproperty/index.js';
import type { Store } from '../../store/index.js';
import { GameServerStatus, type GameServerCommand, type GameServerHealth, type GameServerInfo, type PoolCommand, type RegisterReply } from '../shared/pool-protocol.js';
import { commandDispatcherProps } from './command-dispatcher.js';
import { GameErrorCode, RegistrationRefusedError } from './errors.js';
import type { GameConfig, GameDeps, GameServerDirectory } from './game-deps.js';
import { GameRoster } from './game-roster.js';
import { gameServerHandlers, type GameServerMessage, type GameServerSteps } from './game-server-handlers.js';
import { resolveGameSettings, type GameSettings } from './game-settings.js';
import { gameWorldProps } from './game-world.js';
import { loginKeysProps } from './login-keys.js';
import type { PlayerObjectBuilder } from './player-object.js';
import type { GameServerOwnMessage, OnlineEntry, RegisterPlayerReply, RegistrationResult, ShutdownReport, ServerEndpoint } from './messages.js';
import { logRetry } from './retry-log.js';
import { AfkService } from './services/afk-service.js';
import { AttachService } from './services/attach-service.js';
import { ChatService } from './services/chat-service.js';
import { ChatterService } from './services/chatter-service.js';
import { MoveService } from './services/move-service.js';
import { ZoneService } from './services/zone-service.js';
import { emptyZoneSource, type ZoneDataSource } from './zone-loader.js';
import { ZoneRules } from './zone-path.js';

export type { GameServerMessage } from './game-server-handlers.js';

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
  /** The players' client objects (a type dump and its template 1); undefined: the codec's stand-in. */
  readonly playerObjects?: PlayerObjectBuilder;
  /** Zone data; default: every zone loads empty. */
  readonly zoneSource?: ZoneDataSource;
  /** Other game servers by name, for server transfers. */
  readonly directory?: GameServerDirectory;
  readonly settings?: Partial<GameSettings>;
  readonly registry?: MessageRegistry;
  readonly session?: Partial<SessionOptions>;
  readonly maxConnections?: number;
  readonly metrics?: NetMetrics;
  /** Wall clock (Unix ms) for stored times and mutes. Default Date.now; timers run on the actor system's scheduler. */
  readonly clock?: () => number;
}

/** The game server's session services, in order. */
function gameServices(deps: GameDeps): ServiceFactory {
  return [
    { name: 'attach', create: (c, env) => new AttachService(c, env, deps) },
    { name: 'zone', create: (c, env) => new ZoneService(c, env, deps) },
    { name: 'move', create: (c, env) => new MoveService(c, env), mailboxCapacity: 2000 },
    { name: 'chat', create: (c, env) => new ChatService(c, env, deps) },
    { name: 'chatter', create: (c, env) => new ChatterService(c, env) },
    { name: 'afk', create: (c, env) => new AfkService(c, env, deps.timings.afkTimeoutMs), mailboxCapacity: 2000 },
  ];
}

/** Spawns the server's long-lived children and returns the frozen GameDeps of their refs. */
function spawnChildren(context: ActorContext<ServerMessage | GameServerMessage>, config: GameConfig, settings: GameSettings, zoneSource: ZoneDataSource): GameDeps {
  const server = context.self as ActorRef<GameServerOwnMessage>;
  const loginKeys = context.spawn(loginKeysProps(config.clock, config.store), 'login-keys');
  const world = context.spawn(
    gameWorldProps({
      rules: config.rules,
      instanceGraceMs: settings.instanceGraceMs,
      maxZones: settings.maxZones,
      maxInstanceZones: settings.maxInstanceZones,
      zones: {
        registry: config.registry, codec: config.codec, playerObjects: config.playerObjects, objectBlobPrefix: settings.objectBlobPrefix, source: zoneSource, moveTickMs: settings.moveTickMs, loadTimeoutMs: settings.zoneLoadTimeoutMs },
    }),
    'world',
  );
  const commands = context.spawn(commandDispatcherProps(config, server), 'commands');
  return Object.freeze({ ...config, server, world, commands, loginKeys });
}

export class GameServer extends KiServer<GameServerMessage> implements GameServerSteps {
  readonly #options: GameServerOptions;
  readonly #settings: GameSettings;
  readonly #deps: GameDeps;
  readonly #roster: GameRoster;
  readonly #pool: ActorRef<PoolCommand> | undefined;
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

  constructor(context: ActorContext<ServerMessage | GameServerMessage>, options: GameServerOptions, settings: GameSettings, config: GameConfig) {
    super(context, {
      name: options.name,
      host: options.host ?? '0.0.0.0',
      port: options.port,
      registry: config.registry,
      ...(options.session === undefined ? {} : { session: options.session }),
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    });
    this.#options = options;
    this.#settings = settings;
    this.#roster = new GameRoster(options.capacity ?? 500, config.clock);
    this.#pool = options.pool === null ? undefined : (options.pool ?? (context.parent as ActorRef<PoolCommand>));
    this.#deps = spawnChildren(context, config, settings, options.zoneSource ?? emptyZoneSource);
  }

  get deps(): GameDeps {
    return this.#deps;
  }

  get roster(): GameRoster {
    return this.#roster;
  }

  get log(): Logger {
    return this.context.log;
  }

  protected override serverHandlers(): Handlers<GameServerMessage> {
    return gameServerHandlers(this);
  }

  override preStart(): void {
    const context = this.context;
    this.serve(gameServices(this.#deps));
    const self = context.self as ActorRef<ServerMessage>;
    context.pipeToSelf(self.ask<ListenResult>((replyTo) => ({ type: 'net.when-listening', replyTo }), 30_000), (result) =>
      result.ok && result.value.ok
        ? { type: 'game.listening', ok: true, port: result.value.address.port, error: '' }
        : { type: 'game.listening', ok: false, port: 0, error: result.ok ? (result.value as { error: string }).error : String((result.error as Error)?.message ?? result.error) },
    );
  }

  protected override onSessionEnded(sid: number, _reason: string): void {
    const wasPlayer = this.#roster.remove(sid);
    const log = this.context.log;
    // Also for a session that ended mid-attach: its entry may have been written after its services ended.
    const removal = this.#deps.store.onlinePlayers.remove(this.#deps.name, BigInt(sid)).catch((error: unknown) => log.error({ err: error, sid }, 'cannot remove an online-player entry'));
    this.#removals.add(removal);
    void removal.finally(() => this.#removals.delete(removal));
    this.olderEnded(sid);
    const waiting = this.#shutdownSids;
    if (waiting !== undefined && waiting.delete(sid)) {
      if (wasPlayer) this.#shutdownSaved++;
      if (waiting.size === 0) void this.finishShutdown(false);
    }
  }

  health(): GameServerHealth {
    return { name: this.#deps.name, players: this.#roster.size, capacity: this.#roster.capacity, status: this.#status };
  }

  drain(): void {
    if (this.#status === GameServerStatus.Open) this.#status = GameServerStatus.Draining;
    this.context.log.info('draining: the pool sends no new players');
  }

  // ---- registration -----------------------------------------------------------------------------

  async listening(ok: boolean, port: number, error: string): Promise<void> {
    if (!ok) {
      this.#settle({ ok: false, code: 'ERR_LISTEN', reason: 'listen', detail: error });
      return;
    }
    this.#port = port;
    try {
      const stale = await this.#deps.store.onlinePlayers.clearServer(this.#deps.name);
      if (stale > 0) this.context.log.info({ cleared: stale }, 'cleared online players left by a previous run');
    } catch (clearError) {
      this.context.log.error({ err: clearError }, 'cannot clear the online players of a previous run');
    }
    this.registerAttempt();
  }

  endpoint(): ServerEndpoint | undefined {
    return this.#port === 0 ? undefined : { name: this.#deps.name, address: this.#deps.publicAddress, port: this.#port };
  }

  #info(): GameServerInfo {
    return { name: this.#deps.name, realm: this.#deps.realm, address: this.#options.publicAddress ?? '127.0.0.1', port: this.#port, capacity: this.#roster.capacity };
  }

  registerAttempt(): void {
    const pool = this.#pool;
    if (pool === undefined) {
      this.context.log.warn('no pool to register with: running standalone');
      this.#settle({ ok: true, name: this.#deps.name, port: this.#port });
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

  registerReply(reply: { type: string; reason?: string; detail?: string } | undefined, error: string | undefined): void {
    if (this.#registration !== undefined) return;
    const log = this.context.log;
    if (reply?.type === 'pool.registered') {
      log.info({ server: this.#deps.name, port: this.#port, attempts: this.#registerAttempts }, 'registered with the login server\'s pool');
      this.#settle({ ok: true, name: this.#deps.name, port: this.#port });
      return;
    }
    if (reply?.type === 'pool.register-refused') {
      const refused = new RegistrationRefusedError(this.#deps.name, reply.reason ?? '?', reply.detail ?? '');
      log.error({ err: refused, reason: reply.reason, detail: reply.detail }, 'the pool refused this game server');
      this.#settle({ ok: false, code: refused.code, reason: reply.reason ?? '?', detail: reply.detail ?? '' });
      return;
    }
    // No answer (the login server is not up yet, or a lost message): try again.
    logRetry(log, this.#registerAttempts, { attempt: this.#registerAttempts, retryMs: this.#settings.registerRetryMs, error: error ?? 'unexpected reply' }, 'registration not answered; retrying');
    this.context.timers.startSingle('register', { type: 'game.register-attempt' }, this.#settings.registerRetryMs);
  }

  whenRegistered(replyTo: ActorRef<RegistrationResult>): void {
    if (this.#registration !== undefined) replyTo.tell(this.#registration);
    else this.#registrationWaiters.push(replyTo);
  }

  #settle(result: RegistrationResult): void {
    this.#registration = result;
    for (const waiter of this.#registrationWaiters) waiter.tell(result);
    this.#registrationWaiters = [];
  }

  // ---- players ----------------------------------------------------------------------------------

  registerPlayer(entry: OnlineEntry, replyTo: ActorRef<RegisterPlayerReply>): void {
    if (this.#status === GameServerStatus.Stopping) {
      replyTo.tell({ ok: false, code: GameErrorCode.ShuttingDown, detail: 'the server is shutting down' });
      return;
    }
    const older = this.#roster.olderSessionOf(entry);
    if (older !== undefined) {
      // The account is already playing here: the older session ends (and saves) before the new
      // one loads the character, so the new one starts from the saved place.
      this.context.log.info({ account: entry.accountId, older, newer: entry.sid }, 'account attached again: closing its older session');
      this.sessions.get(older)?.tell({ type: 'net.close', reason: 'the account attached again' });
      this.#roster.holdUntilEnded(older, { entry, replyTo });
      this.context.timers.startSingle(`older-${older}`, { type: 'game.older-ended', sid: older }, this.#settings.askTimeoutMs);
      return;
    }
    replyTo.tell(this.#roster.admit(entry));
  }

  olderEnded(sid: number): void {
    const pending = this.#roster.takeHeld(sid);
    if (pending === undefined) return;
    this.context.timers.cancel(`older-${sid}`);
    pending.replyTo.tell(this.#roster.admit(pending.entry));
  }

  // ---- shutdown ---------------------------------------------------------------------------------

  shutdown(replyTo: ActorRef<ShutdownReport>): void {
    if (this.#shutdownReport !== undefined) {
      replyTo.tell(this.#shutdownReport);
      return;
    }
    this.#shutdownWaiters.push(replyTo);
    if (this.#shutdownSids !== undefined) return;
    this.#status = GameServerStatus.Stopping;
    const log = this.context.log;
    log.info({ players: this.#roster.size, sessions: this.sessions.size }, 'shutting down: telling and saving every player');
    this.context.child('tcp-listener')?.tell({ type: 'net.stop-accepting' });
    this.#shutdownPlayers = this.#roster.size;
    this.#shutdownSids = new Set(this.sessions.keys());
    if (this.#shutdownSids.size === 0) {
      void this.finishShutdown(false);
      return;
    }
    const notice = encodeDmlFrame(this.#deps.registry, GAME.MSG_SERVERSHUTDOWN, { Message: 0 });
    for (const session of this.sessions.values()) {
      session.tell({ type: 'net.send-frame', frame: notice });
      session.tell({ type: 'net.close', reason: 'server shutdown' });
    }
    this.context.timers.startSingle('shutdown', { type: 'game.shutdown-timeout' }, this.#settings.shutdownTimeoutMs);
  }

  // Runs once: the first of "every session ended" and the timeout; waiters arriving later get the stored report.
  async finishShutdown(timedOut: boolean): Promise<void> {
    if (this.#shutdownWaiters.length === 0 || this.#finishing) return;
    this.#finishing = true;
    this.context.timers.cancel('shutdown');
    const waiters = this.#shutdownWaiters;
    this.#shutdownWaiters = [];
    await Promise.allSettled([...this.#removals]);
    if (timedOut) this.context.log.warn({ waiting: this.#shutdownSids?.size ?? 0 }, 'shutdown: some sessions did not end in time');
    if (this.#pool !== undefined && this.#registration?.ok === true) this.#pool.tell({ type: 'pool.unregister', name: this.#deps.name });
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
  const config: GameConfig = Object.freeze({
    name: options.name,
    realm: options.realm ?? 'Imlight',
    store: options.store,
    codec: options.codec ?? new ImchCharacterCodec(),
    registry: options.registry ?? MessageRegistry.defaults(),
    rules: new ZoneRules(settings.privateZones),
    timings: settings,
    startZone: settings.startZone,
    chatMaxLength: settings.chatMaxLength,
    commandPrefix: settings.commandPrefix,
    directory: options.directory,
    maxZoneChangesPer10s: settings.maxZoneChangesPer10s,
    clock: options.clock ?? Date.now,
    playerObjects: options.playerObjects,
    publicAddress: options.publicAddress ?? '127.0.0.1',
  });
  return props((context: ActorContext<ServerMessage | GameServerMessage>) => new GameServer(context, options, settings, config), { kind: 'GameServer' });
}
