// The ServerLink: one game server of a game-role process toward the login server of the cluster (docs/cluster.md).
// The PoolLink (pool-link.ts) spawns one per game server; it registers the server through the login node's
// ClusterDirectory, relays the pool's commands to it and wraps its health replies for the trip back.
import { Actor, props, type ActorContext, type ActorRef, type Handlers, type Props } from '../../runtime/index.js';
import type { RegisterRemoteGameServer, RemoteHealthReply, RemoteRegisterReply } from '../shared/cluster-messages.js';
import {
  RegisterRefusal,
  type DrainGameServer,
  type GameServerCommand,
  type GameServerHealth,
  type GameServerInfo,
  type GrantLoginKey,
  type KickPlayer,
  type RegisterReply,
  type RegisterGameServer,
  type UnregisterGameServer,
} from '../shared/pool-protocol.js';
import { logRetry } from './retry-log.js';

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface ServerLinkInit {
  readonly server: ActorRef<GameServerCommand>;
  readonly directory: ActorRef<RegisterRemoteGameServer> | undefined;
  readonly retryMs: number;
  readonly askTimeoutMs: number;
}

/** The pool's registration, addressed to this link, which forwards it to whichever login node is current. */
interface LinkRequest extends Omit<RegisterGameServer, 'type'> {
  readonly type: 'server-link.request';
}

export interface LoginChanged {
  readonly type: 'server-link.login';
  readonly directory: ActorRef<RegisterRemoteGameServer> | undefined;
}

interface LinkOutcome {
  readonly type: 'server-link.outcome';
  readonly reply: RemoteRegisterReply | undefined;
  readonly error: string | undefined;
}

// The proxy's health query: the same type as the pool's, answered wrapped for the trip back.
interface RemoteQueryHealth {
  readonly type: 'pool.health';
  readonly replyTo: ActorRef<RemoteHealthReply>;
}

export type ServerLinkMessage =
  | LinkRequest
  | LoginChanged
  | LinkOutcome
  | UnregisterGameServer
  | RemoteQueryHealth
  | GrantLoginKey
  | DrainGameServer
  | KickPlayer
  | { readonly type: 'server-link.retry' }
  | { readonly type: 'server-link.proxy-gone'; readonly proxy: ActorRef }
  | { readonly type: 'server-link.server-gone' };

/**
 * One game server of this process toward the login server: registers it (again after the login process
 * restarts or the pool drops it), relays the pool's commands to it and wraps its health replies.
 */
class ServerLink extends Actor<ServerLinkMessage> {
  readonly #init: ServerLinkInit;
  #info: GameServerInfo | undefined = undefined;
  #directory: ActorRef<RegisterRemoteGameServer> | undefined;
  #proxy: ActorRef | undefined = undefined;
  #replyTo: ActorRef<RegisterReply> | undefined = undefined;
  #inFlight = false;
  #refused = false;
  #attempts = 0;

  constructor(context: ActorContext<ServerLinkMessage>, init: ServerLinkInit) {
    super(context);
    this.#init = init;
    this.#directory = init.directory;
  }

  override preStart(): void {
    this.context.watch(this.#init.server, { type: 'server-link.server-gone' });
  }

  readonly receive: Handlers<ServerLinkMessage> = {
    'server-link.request': ({ info, server, replyTo }) => {
      if (server.path !== this.#init.server.path) {
        replyTo.tell({ type: 'pool.register-refused', reason: RegisterRefusal.DuplicateName, detail: `another game server of this process is named ${info.name}` });
        return;
      }
      this.#info = info;
      this.#replyTo = replyTo;
      this.#refused = false;
      if (this.#proxy !== undefined) replyTo.tell({ type: 'pool.registered', name: info.name });
      else this.#attempt();
    },
    'server-link.login': ({ directory }) => {
      this.#directory = directory;
      this.#attempt();
    },
    'server-link.retry': () => this.#attempt(),
    'server-link.outcome': (m) => this.#outcome(m),
    'server-link.proxy-gone': ({ proxy }) => {
      if (this.#proxy?.path !== proxy.path) return;
      this.#proxy = undefined;
      this.context.log.warn({ server: this.#info?.name }, 'the login server dropped this game server (its process stopped, or the pool removed it): registering again');
      this.#attempt();
    },
    'server-link.server-gone': () => this.context.stop(),
    'pool.health': ({ replyTo }) => {
      this.#init.server.ask<GameServerHealth>((r) => ({ type: 'pool.health', replyTo: r }), this.#init.askTimeoutMs).then(
        (health) => {
          const reply: RemoteHealthReply = { type: 'cluster.game-health', health: { name: health.name, players: health.players, capacity: health.capacity, status: health.status } };
          replyTo.tell(reply);
        },
        () => {},
      );
    },
    'pool.grant-login-key': (m) => this.#init.server.tell(m),
    'pool.drain': (m) => this.#init.server.tell(m),
    'pool.kick': (m) => this.#init.server.tell(m),
    'pool.unregister': ({ name }) => {
      this.#proxy?.tell({ type: 'pool.unregister', name }, this.context.self);
      this.context.stop();
    },
  };

  #attempt(): void {
    const info = this.#info;
    const directory = this.#directory;
    if (info === undefined || directory === undefined || this.#inFlight || this.#proxy !== undefined || this.#refused) return;
    this.#inFlight = true;
    this.#attempts++;
    this.context.timers.cancel('retry');
    const link = this.context.self;
    this.context.pipeToSelf(
      directory.ask<RemoteRegisterReply>((r) => ({ type: 'cluster.game-register', info, link, replyTo: r }), this.#init.askTimeoutMs),
      (result): LinkOutcome => ({ type: 'server-link.outcome', reply: result.ok ? result.value : undefined, error: result.ok ? undefined : errorText(result.error) }),
    );
  }

  #outcome({ reply, error }: LinkOutcome): void {
    this.#inFlight = false;
    const log = this.context.log;
    const name = this.#info?.name;
    if (reply?.type === 'cluster.game-registered') {
      this.#proxy = reply.proxy;
      this.context.watch(reply.proxy, { type: 'server-link.proxy-gone', proxy: reply.proxy });
      log.info({ server: name, proxy: reply.proxy.path, attempts: this.#attempts }, 'registered with the login server across the cluster');
      this.#attempts = 0;
      // Only the game server's pending request is answered; a registration again later is this link's own affair.
      this.#replyTo?.tell({ type: 'pool.registered', name: reply.name });
      this.#replyTo = undefined;
      return;
    }
    if (reply?.type === 'pool.register-refused') {
      this.#refused = true;
      log.error({ server: name, reason: reply.reason, detail: reply.detail }, 'the login server refused this game server');
      this.#replyTo?.tell({ type: 'pool.register-refused', reason: reply.reason, detail: reply.detail });
      this.#replyTo = undefined;
      return;
    }
    const reason = reply?.type === 'cluster.game-register-later' ? reply.reason : (error ?? 'unexpected reply');
    logRetry(log, this.#attempts, { server: name, attempt: this.#attempts, retryMs: this.#init.retryMs, reason }, 'registration across the cluster not done; retrying');
    this.context.timers.startSingle('retry', { type: 'server-link.retry' }, this.#init.retryMs);
  }
}

export function serverLinkProps(init: ServerLinkInit): Props<ServerLinkMessage> {
  return props<ServerLinkMessage>((c) => new ServerLink(c, init), { kind: 'ServerLink' });
}
