// The GameServerProxy: a child of the login server's GameServerPool that stands for a game server of another
// process (docs/cluster.md). The pool sees a child that speaks pool-protocol.ts like a local game server; the
// proxy relays its commands to the game process's ServerLink and watches it: a dead game process (its node
// declared down) stops the proxy, so the pool removes the server and clears its online players.
import { Actor, props, type ActorContext, type ActorRef, type Handlers, type Props } from '../../runtime/index.js';
import type { RemoteHealthReply, RemoteRegisterReply } from '../shared/cluster-messages.js';
import type {
  DrainGameServer,
  GameServerCommand,
  GameServerInfo,
  GrantLoginKey,
  KickPlayer,
  QueryHealth,
  RegisterGameServer,
  RegisterReply,
  UnregisterGameServer,
} from '../shared/pool-protocol.js';

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Proxy -> the directory that created it: it has ended. */
export interface ProxyEnded {
  readonly type: 'directory.proxy-ended';
  readonly name: string;
  readonly proxy: ActorRef;
}

export interface ProxyInit {
  readonly info: GameServerInfo;
  readonly link: ActorRef;
  readonly replyTo: ActorRef<RemoteRegisterReply>;
  readonly directory: ActorRef<ProxyEnded>;
  readonly askTimeoutMs: number;
}

interface RegisterAgain {
  readonly type: 'proxy.register-again';
  readonly info: GameServerInfo;
  readonly replyTo: ActorRef<RemoteRegisterReply>;
}

interface PoolAnswered {
  readonly type: 'proxy.pool-answered';
  readonly reply: RegisterReply | undefined;
  readonly error: string | undefined;
  readonly replyTo: ActorRef<RemoteRegisterReply>;
}

interface LinkGone {
  readonly type: 'proxy.link-gone';
}

export type ProxyMessage = QueryHealth | GrantLoginKey | DrainGameServer | KickPlayer | UnregisterGameServer | RegisterAgain | PoolAnswered | LinkGone;

/**
 * Stands for a game server of another process as a child of the GameServerPool. It registers itself with the pool under the remote
 * server's info and relays the pool's commands to the game process.
 */
export class GameServerProxy extends Actor<ProxyMessage> {
  readonly #init: ProxyInit;
  #info: GameServerInfo;

  constructor(context: ActorContext<ProxyMessage>, init: ProxyInit) {
    super(context);
    this.#init = init;
    this.#info = init.info;
  }

  override preStart(): void {
    this.context.watch(this.#init.link, { type: 'proxy.link-gone' });
    this.#registerWithPool(this.#init.replyTo);
  }

  override postStop(): void {
    this.#init.directory.tell({ type: 'directory.proxy-ended', name: this.#info.name, proxy: this.context.self });
  }

  readonly receive: Handlers<ProxyMessage> = {
    'pool.health': ({ replyTo }) => {
      // The remote health reply comes wrapped (a bare GameServerHealth has no type to cross a process); the pool
      // gets it bare, like from a local server. No answer in time: the pool's own ask counts the miss.
      this.#init.link.ask<RemoteHealthReply>((r) => ({ type: 'pool.health', replyTo: r }), this.#init.askTimeoutMs).then(
        (reply) => replyTo.tell(reply.health),
        () => {},
      );
    },
    'pool.grant-login-key': (m) => this.#init.link.tell(m),
    'pool.drain': (m) => this.#init.link.tell(m),
    'pool.kick': (m) => this.#init.link.tell(m),
    'pool.unregister': () => {
      // Only the game process's link takes its server out; anything else would be a stray message.
      if (this.context.sender?.path !== this.#init.link.path) return;
      this.context.log.info({ server: this.#info.name }, 'remote game server unregistered');
      this.context.parent.tell({ type: 'pool.unregister', name: this.#info.name });
      this.context.stop();
    },
    'proxy.register-again': ({ info, replyTo }) => {
      this.#info = info;
      this.#registerWithPool(replyTo);
    },
    'proxy.pool-answered': ({ reply, error, replyTo }) => {
      if (reply?.type === 'pool.registered') {
        replyTo.tell({ type: 'cluster.game-registered', name: this.#info.name, proxy: this.context.self });
        return;
      }
      if (reply?.type === 'pool.register-refused') replyTo.tell({ type: 'pool.register-refused', reason: reply.reason, detail: reply.detail });
      else replyTo.tell({ type: 'cluster.game-register-later', reason: error ?? 'unexpected reply from the pool' });
      this.context.stop();
    },
    'proxy.link-gone': () => {
      this.context.log.warn({ server: this.#info.name, link: this.#init.link.path }, 'remote game server gone (its process stopped or its node is down)');
      this.context.stop();
    },
  };

  #registerWithPool(replyTo: ActorRef<RemoteRegisterReply>): void {
    const info = this.#info;
    const self = this.context.self as ActorRef<GameServerCommand>;
    this.context.pipeToSelf(
      this.context.parent.ask<RegisterReply>((r) => ({ type: 'pool.register', info, server: self, replyTo: r }) satisfies RegisterGameServer, this.#init.askTimeoutMs),
      (result): PoolAnswered => ({ type: 'proxy.pool-answered', reply: result.ok ? result.value : undefined, error: result.ok ? undefined : errorText(result.error), replyTo }),
    );
  }
}

export function gameServerProxyProps(init: ProxyInit): Props<ProxyMessage> {
  return props((context) => new GameServerProxy(context, init), { kind: 'GameServerProxy' });
}
