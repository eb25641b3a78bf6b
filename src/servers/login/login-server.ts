// The LoginServer actor (docs/architecture.md): a KiServer whose sessions run the Authenticator, Character,
// GameTransition and LoginAfk services, with OnlinePlayers, AdmissionQueue, GameServerPool and the failed-login
// throttle as its children. It spawns those children first, then builds the services on one frozen LoginDeps
// holding their refs, and only then listens.
import { props, stopAndWait, type ActorContext, type ActorRef, type ActorSystem, type Handlers, type Props } from '../../runtime/index.js';
import type { MessageRegistry } from '../../protocol/index.js';
import { KiServer, startServer, type NetMetrics, type ServerAddress, type ServerMessage, type ServiceFactory, type SessionOptions } from '../../net/index.js';
import { ImchCharacterCodec, type CharacterBlobCodec } from '../../objectproperty/index.js';
import type { Store } from '../../store/index.js';
import { AdmissionQueue } from './admission-queue.js';
import { AuthenticatorService } from './authenticator-service.js';
import { CharacterService } from './character-service.js';
import { GameServerPool } from './game-server-pool.js';
import { GameTransitionService } from './game-transition-service.js';
import { LoginAfkService } from './login-afk-service.js';
import type { LoginDeps, LoginObserver } from './login-deps.js';
import type { AdmissionMessage, LoginServerOwnMessage, LoginServerRefs, OnlinePlayersMessage, ThrottleMessage } from './login-messages.js';
import { resolveLoginSettings, type LoginSettings, type LoginSettingsInput } from './login-settings.js';
import { LoginThrottle } from './login-throttle.js';
import { OnlinePlayers } from './online-players.js';
import type { PoolMessage } from './pool-messages.js';

export interface LocalGameServer {
  readonly name: string;
  /** Props of the game server actor; the pool spawns it as its child `game-<name>`. */
  readonly props: Props<never>;
}

export interface LoginServerOptions {
  readonly store: Store;
  readonly settings?: LoginSettingsInput;
  /** Default 0.0.0.0. */
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** Builds CHARACTERINFO and reads CreationInfo; default the IMCH stand-in. */
  readonly codec?: CharacterBlobCodec;
  readonly registry?: MessageRegistry;
  readonly session?: Partial<SessionOptions>;
  readonly maxConnections?: number;
  readonly metrics?: NetMetrics;
  /** Game servers of this process, spawned by the pool at start. */
  readonly localGameServers?: readonly LocalGameServer[];
  /** Wall clock (Unix ms) for stored expiries. Default Date.now. */
  readonly clock?: () => number;
  /** Told the outcome of every authentication and validation (metrics). */
  readonly logins?: LoginObserver;
}

/** The login server's session services, in order. */
function loginServices(deps: LoginDeps): ServiceFactory {
  return [
    { name: 'authenticator', create: (c, env) => new AuthenticatorService(c, env, deps) },
    { name: 'character', create: (c, env) => new CharacterService(c, env, deps) },
    { name: 'game-transition', create: (c, env) => new GameTransitionService(c, env, deps) },
    { name: 'login-afk', create: (c, env) => new LoginAfkService(c, env, deps) },
  ];
}

export class LoginServer extends KiServer<LoginServerOwnMessage> {
  readonly #options: LoginServerOptions;
  readonly #settings: LoginSettings;
  #refs: LoginServerRefs | undefined = undefined;

  constructor(context: ActorContext<ServerMessage | LoginServerOwnMessage>, options: LoginServerOptions, settings: LoginSettings) {
    super(context, {
      name: 'login',
      host: options.host ?? '0.0.0.0',
      port: options.port,
      ...(options.registry === undefined ? {} : { registry: options.registry }),
      ...(options.session === undefined ? {} : { session: options.session }),
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    });
    this.#options = options;
    this.#settings = settings;
  }

  protected override serverHandlers(): Handlers<LoginServerOwnMessage> {
    return {
      'login.refs': ({ replyTo }) => {
        if (this.#refs !== undefined) replyTo.tell(this.#refs);
      },
      'login.close-session': ({ sid, reason, replyTo }) => {
        const session = this.sessions.get(sid);
        session?.tell({ type: 'net.close', reason });
        replyTo.tell(session !== undefined);
      },
    };
  }

  override async preStart(): Promise<void> {
    const { store } = this.#options;
    const settings = this.#settings;
    const context = this.context;
    // Entries of this server left by a previous run (a crash) would make their accounts look online.
    const stale = await store.onlinePlayers.clearServer(settings.name);
    if (stale > 0) context.log.info({ cleared: stale }, 'cleared online players left by a previous run');
    const localServers = this.#options.localGameServers;
    const clock = this.#options.clock ?? Date.now;
    const pool = context.spawn<PoolMessage>(
      props((c) => new GameServerPool(c, { settings: settings.pool, store, ...(localServers === undefined ? {} : { localServers }) }), { kind: 'GameServerPool' }),
      'pool',
    );
    const online = context.spawn<OnlinePlayersMessage>(
      props((c) => new OnlinePlayers(c, { store, serverName: settings.name, policy: settings.duplicateLogin, pool, clock }), { kind: 'OnlinePlayers' }),
      'online-players',
    );
    const admission = context.spawn<AdmissionMessage>(
      props((c) => new AdmissionQueue(c, { store, serverName: settings.name, capacity: settings.capacity, queueLimit: settings.queueLimit, recountMs: settings.queueRecountMs, online }), { kind: 'AdmissionQueue' }),
      'admission-queue',
    );
    const throttle = context.spawn<ThrottleMessage>(props((c) => new LoginThrottle(c, settings.throttle), { kind: 'LoginThrottle' }), 'throttle');
    const deps: LoginDeps = Object.freeze({
      store,
      settings,
      codec: this.#options.codec ?? new ImchCharacterCodec(),
      pool,
      online,
      admission,
      throttle,
      clock,
      logins: this.#options.logins,
    });
    this.#refs = Object.freeze({ pool, admission });
    this.serve(loginServices(deps));
  }
}

/** Props of a login server. Settings are checked here, so a bad value fails before anything starts. */
export function loginServerProps(options: LoginServerOptions): Props<ServerMessage | LoginServerOwnMessage> {
  const settings = resolveLoginSettings(options.settings);
  return props((context) => new LoginServer(context, options, settings), { kind: 'LoginServer' });
}

export interface LoginServerHandle {
  readonly ref: ActorRef<ServerMessage | LoginServerOwnMessage>;
  readonly address: ServerAddress;
  /** The GameServerPool: game servers register here; the composition root spawns local ones here. */
  readonly pool: ActorRef<PoolMessage>;
  readonly admission: ActorRef<AdmissionMessage>;
  readonly settings: LoginSettings;
  /** Stops the server (sessions end cleanly first). */
  stop(timeoutMs?: number): Promise<void>;
}

/** Time the server gets to answer its own refs once it listens (it has them before it listens). */
const REFS_ASK_MS = 5_000;

/** Spawns a login server as `name` (default "login") and resolves once it listens. */
export async function startLoginServer(system: ActorSystem, options: LoginServerOptions, name = 'login'): Promise<LoginServerHandle> {
  const settings = resolveLoginSettings(options.settings);
  const { ref, address } = await startServer(system, loginServerProps(options), name);
  const { pool, admission } = await ref.ask<LoginServerRefs>((replyTo) => ({ type: 'login.refs', replyTo }), REFS_ASK_MS);
  return {
    ref,
    address,
    pool,
    admission,
    settings,
    stop: (timeoutMs = 10_000) => stopAndWait(system, ref, timeoutMs),
  };
}
