// The LoginServer actor (architecture.md section 1): a KiServer whose sessions run the
// Authenticator, Character, GameTransition and LoginAfk services, with OnlinePlayers,
// AdmissionQueue, GameServerPool and the failed-login throttle as its children.
import { props, stopGracefully, type ActorContext, type ActorRef, type ActorSystem, type Props } from '../../runtime/index.js';
import type { MessageRegistry } from '../../protocol/index.js';
import { KiServer, startServer, type NetMetrics, type ServerAddress, type ServerMessage, type ServiceFactory, type SessionOptions } from '../../net/index.js';
import { ImchCharacterCodec, type CharacterBlobCodec } from '../../objectproperty/index.js';
import type { Store } from '../../store/index.js';
import { AdmissionQueue } from './admission-queue.js';
import { LoginStartError } from './errors.js';
import { AuthenticatorService } from './authenticator-service.js';
import { CharacterService } from './character-service.js';
import { GameServerPool } from './game-server-pool.js';
import { GameTransitionService } from './game-transition-service.js';
import { LoginAfkService } from './login-afk-service.js';
import type { LoginObserver, LoginDepsHolder } from './login-deps.js';
import type { AdmissionMessage, OnlinePlayersMessage, ThrottleMessage } from './login-messages.js';
import { resolveLoginSettings, type LoginSettings, type LoginSettingsInput } from './login-settings.js';
import { LoginThrottle } from './login-throttle.js';
import { OnlinePlayers } from './online-players.js';
import type { PoolMessage } from './pool-messages.js';
import { resolveSocialSettings, socialDirectoryProps, type DirectoryMessage, type SocialSettings } from '../social/index.js';

export interface LocalGameServer {
  readonly name: string;
  /** Props of the game server actor; the pool spawns it as its child `game-<name>`. */
  readonly props: Props<any>;
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
  /** The social layer's settings (docs/social.md); its directory runs under this server as `social`. */
  readonly social?: Partial<SocialSettings>;
}

/** The login server's session services, in order. */
function loginServices(holder: LoginDepsHolder): ServiceFactory {
  return [
    { name: 'authenticator', create: (c, env) => new AuthenticatorService(c, env, holder) },
    { name: 'character', create: (c, env) => new CharacterService(c, env, holder) },
    { name: 'game-transition', create: (c, env) => new GameTransitionService(c, env, holder) },
    { name: 'login-afk', create: (c, env) => new LoginAfkService(c, env, holder) },
  ];
}

export class LoginServer extends KiServer {
  readonly #options: LoginServerOptions;
  readonly #settings: LoginSettings;
  readonly #holder: LoginDepsHolder;

  constructor(context: ActorContext<ServerMessage>, options: LoginServerOptions, settings: LoginSettings, holder: LoginDepsHolder) {
    super(context, {
      name: 'login',
      host: options.host ?? '0.0.0.0',
      port: options.port,
      services: loginServices(holder),
      ...(options.registry === undefined ? {} : { registry: options.registry }),
      ...(options.session === undefined ? {} : { session: options.session }),
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    });
    this.#options = options;
    this.#settings = settings;
    this.#holder = holder;
  }

  override async preStart(): Promise<void> {
    const { store } = this.#options;
    const settings = this.#settings;
    const context = this.context;
    // Entries of this server left by a previous run (a crash) would make their accounts look online.
    const stale = await store.onlinePlayers.clearServer(settings.name);
    if (stale > 0) context.log.info({ cleared: stale }, 'cleared online players left by a previous run');
    const pool = context.spawn<PoolMessage>(
      props((c) => new GameServerPool(c, { settings: settings.pool, store, ...(this.#options.localGameServers === undefined ? {} : { localServers: this.#options.localGameServers }) }), { kind: 'GameServerPool' }),
      'pool',
    );
    const online = context.spawn<OnlinePlayersMessage>(
      props((c) => new OnlinePlayers(c, { store, serverName: settings.name, policy: settings.duplicateLogin, pool }), { kind: 'OnlinePlayers' }),
      'online-players',
    );
    const admission = context.spawn<AdmissionMessage>(
      props((c) => new AdmissionQueue(c, { store, serverName: settings.name, capacity: settings.capacity, queueLimit: settings.queueLimit, recountMs: settings.queueRecountMs, online }), { kind: 'AdmissionQueue' }),
      'admission-queue',
    );
    context.spawn<DirectoryMessage>(socialDirectoryProps({ settings: resolveSocialSettings(this.#options.social) }), 'social');
    const throttle = context.spawn<ThrottleMessage>(props((c) => new LoginThrottle(c, settings.throttle), { kind: 'LoginThrottle' }), 'throttle');
    this.#holder.deps = {
      store,
      settings,
      codec: this.#options.codec ?? new ImchCharacterCodec(),
      pool,
      online,
      admission,
      throttle,
      clock: this.#options.clock ?? Date.now,
      logins: this.#options.logins,
    };
    return super.preStart();
  }
}

/** Props of a login server. Settings are checked here, so a bad value fails before anything starts. */
export function loginServerProps(options: LoginServerOptions): Props<ServerMessage> {
  const settings = resolveLoginSettings(options.settings);
  return props((context) => new LoginServer(context, options, settings, { deps: undefined }), { kind: 'LoginServer' });
}

export interface LoginServerHandle {
  readonly ref: ActorRef<ServerMessage>;
  readonly address: ServerAddress;
  /** The GameServerPool: game servers register here; the composition root spawns local ones here. */
  readonly pool: ActorRef<PoolMessage>;
  readonly admission: ActorRef<AdmissionMessage>;
  /** The SocialDirectory: presence, routing and groups of the whole cluster (docs/social.md). */
  readonly social: ActorRef<DirectoryMessage>;
  readonly settings: LoginSettings;
  /** Stops the server (sessions end cleanly first). */
  stop(timeoutMs?: number): Promise<void>;
}

/** Spawns a login server as `name` (default "login") and resolves once it listens. */
export async function startLoginServer(system: ActorSystem, options: LoginServerOptions, name = 'login'): Promise<LoginServerHandle> {
  const settings = resolveLoginSettings(options.settings);
  const { ref, address } = await startServer(system, loginServerProps(options), name);
  const pool = system.lookup(`${ref.path}/pool`) as ActorRef<PoolMessage> | undefined;
  const admission = system.lookup(`${ref.path}/admission-queue`) as ActorRef<AdmissionMessage> | undefined;
  const social = system.lookup(`${ref.path}/social`) as ActorRef<DirectoryMessage> | undefined;
  if (pool === undefined || admission === undefined || social === undefined) throw new LoginStartError(`login server ${ref.path} started without its pool`);
  return {
    ref,
    address,
    pool,
    admission,
    social,
    settings,
    async stop(timeoutMs = 10_000) {
      const done = new Promise<void>((resolve) => {
        const unsubscribe = system.eventStream.subscribe('lifecycle', (event) => {
          if (event.path === ref.path && event.event === 'stopped') {
            unsubscribe();
            resolve();
          }
        });
      });
      stopGracefully(ref);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); })]);
      clearTimeout(timer);
    },
  };
}
