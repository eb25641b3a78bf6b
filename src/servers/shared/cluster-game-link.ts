// How a game server in one process joins the GameServerPool of a login server in another (issue 10, point 3).
//
//   login process                                          game process
//   /user/cluster            ClusterDirectory  ◄─identify── /user/pool-link          PoolLink (the game servers' "pool")
//   .../pool                 GameServerPool                   └─ server-<name>         ServerLink ──► the GameServer
//     └─ game-<name>         GameServerProxy  ◄──NATS──►         (one per game server of the process)
//
// The pool sees a child that speaks pool-protocol.ts like a local game server; the game server sees a local
// actor that answers `pool.register` like the pool. Only the two link actors talk across processes, with the
// messages of cluster-messages.ts. Each watches the other: a dead game process (its node declared down) stops
// the proxy, so the pool removes the server and clears its online players; a lost proxy (the login process
// restarted, or the pool dropped the server) makes the ServerLink register again.
import { Actor, props, type ActorContext, type ActorRef, type Handlers, type Props } from '../../runtime/index.js';
import type { IdentifyNode, NodeIdentity, RegisterRemoteGameServer, RemoteHealthReply, RemoteRegisterReply } from './cluster-messages.js';
import {
  RegisterRefusal,
  type DrainGameServer,
  type GameServerCommand,
  type GameServerHealth,
  type GameServerInfo,
  type GrantLoginKey,
  type KickPlayer,
  type QueryHealth,
  type RegisterGameServer,
  type RegisterReply,
  type UnregisterGameServer,
} from './pool-protocol.js';

/** The path of the ClusterDirectory on every node of a cluster. */
export const CLUSTER_DIRECTORY_NAME = 'cluster';
/** The path of the PoolLink on a game-role node. */
export const POOL_LINK_NAME = 'pool-link';

// The pool's own spawn command (servers/login/pool-messages.ts): servers/shared may not import the login server,
// so the shape is restated here; it never crosses a process.
interface SpawnInPool {
  readonly type: 'pool.spawn-local';
  readonly name: string;
  readonly props: Props<any>;
  readonly replyTo?: ActorRef<SpawnOutcome>;
}
type SpawnOutcome =
  | { readonly type: 'pool.spawned'; readonly name: string; readonly ref: ActorRef }
  | { readonly type: 'pool.spawn-failed'; readonly name: string; readonly error: string };

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---- every node: the directory ----------------------------------------------------------------------------

export interface ClusterDirectoryInit {
  /** The process's role (`login`, `game`, `patch`, `all`). */
  readonly role: string;
  readonly databaseSchema: string | null;
  /** The GameServerPool of this process, if it runs one (it starts after the directory). */
  readonly findPool: () => ActorRef | undefined;
  /** Whether a node is up in the cluster's membership. */
  readonly isNodeUp: (node: string) => boolean;
  readonly askTimeoutMs: number;
}

interface ProxyEnded {
  readonly type: 'directory.proxy-ended';
  readonly name: string;
  readonly proxy: ActorRef;
}

interface SpawnResult {
  readonly type: 'directory.spawn-result';
  readonly name: string;
  readonly outcome: { readonly type: 'pool.spawned'; readonly name: string; readonly poolPath: string } | Extract<SpawnOutcome, { type: 'pool.spawn-failed' }> | undefined;
  readonly error: string | undefined;
  readonly replyTo: ActorRef<RemoteRegisterReply>;
}

type DirectoryMessage = IdentifyNode | RegisterRemoteGameServer | ProxyEnded | SpawnResult;

const HOSTS_POOL: ReadonlySet<string> = new Set(['login', 'all']);

/**
 * Answers "what do you run?" for the game processes looking for the login server, and, on a node with a pool,
 * turns a remote game server's registration into a GameServerProxy child of the pool.
 */
export class ClusterDirectory extends Actor<DirectoryMessage> {
  readonly #init: ClusterDirectoryInit;
  // The proxies this directory created, by server name, with the game process's link each stands for.
  readonly #proxies = new Map<string, { readonly proxy: ActorRef<ProxyMessage>; link: ActorRef }>();
  // Proxies asked of the pool and not confirmed yet, with the link each will stand for.
  readonly #spawning = new Map<string, ActorRef>();

  constructor(context: ActorContext<DirectoryMessage>, init: ClusterDirectoryInit) {
    super(context);
    this.#init = init;
  }

  readonly receive: Handlers<DirectoryMessage> = {
    'cluster.identify': ({ replyTo }) => {
      const identity: NodeIdentity = {
        type: 'cluster.identity',
        node: this.context.system.name,
        role: this.#init.role,
        hosts: HOSTS_POOL.has(this.#init.role) ? ['pool'] : [],
        databaseSchema: this.#init.databaseSchema,
      };
      replyTo.tell(identity);
    },
    'cluster.game-register': (m) => this.#register(m),
    'directory.spawn-result': ({ name, outcome, error, replyTo }) => {
      const link = this.#spawning.get(name);
      this.#spawning.delete(name);
      if (outcome?.type === 'pool.spawned') {
        // Undefined when the proxy already ended (refused by the pool, or its game process died meanwhile).
        const proxy = this.context.system.lookup(`${outcome.poolPath}/game-${name}`);
        if (proxy !== undefined && link !== undefined) this.#proxies.set(name, { proxy: proxy as ActorRef<ProxyMessage>, link });
        return;
      }
      // Most likely the name of a proxy still stopping: the game process retries.
      const reason = outcome?.type === 'pool.spawn-failed' ? outcome.error : (error ?? 'no answer from the pool');
      this.context.log.warn({ server: name, reason }, 'cannot create the proxy of a remote game server');
      replyTo.tell({ type: 'cluster.game-register-later', reason });
    },
    'directory.proxy-ended': ({ name, proxy }) => {
      if (this.#proxies.get(name)?.proxy.path === proxy.path) this.#proxies.delete(name);
    },
  };

  #register({ info, link, replyTo }: RegisterRemoteGameServer): void {
    const pool = this.#init.findPool();
    if (pool === undefined) {
      replyTo.tell({ type: 'cluster.game-register-later', reason: `node ${this.context.system.name} runs no game server pool (yet)` });
      return;
    }
    const name = info.name;
    if (this.#spawning.has(name)) {
      replyTo.tell({ type: 'cluster.game-register-later', reason: `the proxy of ${name} is being created` });
      return;
    }
    const known = this.#proxies.get(name);
    if (known !== undefined) {
      if (known.link.path === link.path) {
        known.proxy.tell({ type: 'proxy.register-again', info, replyTo });
        return;
      }
      // Another process claims the name. While the first one is alive it is a duplicate; once its node is not up
      // (a game process restarted under a new node name), its proxy ends within the death bound: come back then.
      const holder = nodeOf(known.link.path);
      if (holder !== undefined && this.#init.isNodeUp(holder)) {
        replyTo.tell({ type: 'pool.register-refused', reason: RegisterRefusal.DuplicateName, detail: `a game server named ${name} is already registered from node ${holder}` });
      } else {
        replyTo.tell({ type: 'cluster.game-register-later', reason: `the previous ${name} (node ${holder ?? '?'}) is not removed yet` });
      }
      return;
    }
    if (this.context.system.lookup(`${pool.path}/game-${name}`) !== undefined) {
      // A game server of this very process holds the name.
      replyTo.tell({ type: 'pool.register-refused', reason: RegisterRefusal.DuplicateName, detail: `a game server named ${name} runs in the login process` });
      return;
    }
    const directory = this.context.self;
    const proxyProps = props<ProxyMessage>((c) => new GameServerProxy(c, { info, link, replyTo, directory, askTimeoutMs: this.#init.askTimeoutMs }), { kind: 'GameServerProxy' });
    this.#spawning.set(name, link);
    const poolPath = pool.path;
    this.context.pipeToSelf(
      pool.ask<SpawnOutcome>((r) => ({ type: 'pool.spawn-local', name, props: proxyProps, replyTo: r }) satisfies SpawnInPool, this.#init.askTimeoutMs),
      (result): SpawnResult => ({
        type: 'directory.spawn-result',
        name,
        outcome: result.ok ? (result.value.type === 'pool.spawned' ? { type: 'pool.spawned', name, poolPath } : result.value) : undefined,
        error: result.ok ? undefined : errorText(result.error),
        replyTo,
      }),
    );
  }
}

export function clusterDirectoryProps(init: ClusterDirectoryInit): Props<DirectoryMessage> {
  return props((context) => new ClusterDirectory(context, init), { kind: 'ClusterDirectory' });
}

function nodeOf(path: string): string | undefined {
  const match = /^imlight:\/\/([^/]+)/.exec(path);
  return match?.[1];
}

// ---- login node: the proxy child of the pool ----------------------------------------------------------------

interface ProxyInit {
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

type ProxyMessage = QueryHealth | GrantLoginKey | DrainGameServer | KickPlayer | UnregisterGameServer | RegisterAgain | PoolAnswered | LinkGone;

/**
 * Stands for a game server of another process as a child of the GameServerPool (architecture.md: "a proxy child
 * that stands for a game server in another process"). It registers itself with the pool under the remote
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

// ---- game node: the link ----------------------------------------------------------------------------------

export interface PoolLinkInit {
  readonly databaseSchema: string | null;
  /** The ClusterDirectory of a node. */
  readonly directoryOf: (node: string) => ActorRef<IdentifyNode | RegisterRemoteGameServer>;
  /** The nodes already known when the link starts. */
  readonly nodesUp: () => readonly string[];
  readonly retryMs: number;
  readonly askTimeoutMs: number;
}

interface MemberUp {
  readonly type: 'link.member-up';
  readonly node: string;
}

interface MemberDown {
  readonly type: 'link.member-down';
  readonly node: string;
}

interface Identified {
  readonly type: 'link.identified';
  readonly node: string;
  readonly identity: NodeIdentity | undefined;
  readonly error: string | undefined;
  readonly attempt: number;
}

interface Reprobe {
  readonly type: 'link.reprobe';
  readonly node: string;
  readonly attempt: number;
}

export type PoolLinkMessage = RegisterGameServer | UnregisterGameServer | SpawnInPool | MemberUp | MemberDown | Identified | Reprobe;

const MAX_PROBES = 5;

/**
 * The pool as the game servers of a game-role process see it: it finds the login server in the cluster (the node
 * whose directory says it hosts the pool, on the same database schema) and keeps one ServerLink per game server.
 * It takes the pool's place in this process: the same actor kind and the same `pool.spawn-local` and
 * `pool.register` commands, so the game part finds it and creates its game servers under it as it would under a
 * local pool.
 */
export class PoolLink extends Actor<PoolLinkMessage> {
  readonly #init: PoolLinkInit;
  #login: { readonly node: string; readonly directory: ActorRef<RegisterRemoteGameServer> } | undefined = undefined;

  constructor(context: ActorContext<PoolLinkMessage>, init: PoolLinkInit) {
    super(context);
    this.#init = init;
  }

  override preStart(): void {
    for (const node of this.#init.nodesUp()) this.#probe(node, 1);
  }

  readonly receive: Handlers<PoolLinkMessage> = {
    'pool.register': (m) => this.#register(m),
    'pool.unregister': (m) => this.context.child(linkName(m.name))?.tell(m),
    'pool.spawn-local': ({ name, props: serverProps, replyTo }) => {
      try {
        const ref = this.context.spawn(serverProps, `game-${name}`);
        replyTo?.tell({ type: 'pool.spawned', name, ref });
      } catch (error) {
        this.context.log.error({ server: name, err: error }, 'cannot spawn a game server');
        replyTo?.tell({ type: 'pool.spawn-failed', name, error: errorText(error) });
      }
    },
    'link.member-up': ({ node }) => this.#probe(node, 1),
    'link.member-down': ({ node }) => {
      if (this.#login?.node !== node) return;
      this.context.log.warn({ member: node }, 'the login server\'s node is down; waiting for it to come back');
      this.#login = undefined;
      this.#broadcast();
    },
    'link.reprobe': ({ node, attempt }) => this.#probe(node, attempt),
    'link.identified': (m) => this.#identified(m),
  };

  #probe(node: string, attempt: number): void {
    const directory = this.#init.directoryOf(node);
    this.context.pipeToSelf(directory.ask<NodeIdentity>((r) => ({ type: 'cluster.identify', replyTo: r }), this.#init.askTimeoutMs), (result): Identified => ({
      type: 'link.identified',
      node,
      identity: result.ok ? result.value : undefined,
      error: result.ok ? undefined : errorText(result.error),
      attempt,
    }));
  }

  #identified({ node, identity, error, attempt }: Identified): void {
    const log = this.context.log;
    if (identity === undefined) {
      // A node that just joined may not have its directory yet; a few tries, then it is not a login node.
      if (attempt < MAX_PROBES) this.context.timers.startSingle(`probe-${node}`, { type: 'link.reprobe', node, attempt: attempt + 1 }, this.#init.retryMs);
      else log.debug({ member: node, error }, 'node does not answer identify; not a login server');
      return;
    }
    if (!identity.hosts.includes('pool')) return;
    if (identity.databaseSchema !== this.#init.databaseSchema) {
      log.warn({ member: node, theirSchema: identity.databaseSchema, ourSchema: this.#init.databaseSchema }, 'a login server on another database schema: not registering with it');
      return;
    }
    if (this.#login !== undefined && this.#login.node !== node) {
      log.warn({ member: node, current: this.#login.node }, 'a second login server in the cluster: staying with the current one');
      return;
    }
    log.info({ member: node, role: identity.role }, 'login server found');
    this.#login = { node, directory: this.#init.directoryOf(node) };
    this.#broadcast();
  }

  #broadcast(): void {
    const directory = this.#login?.directory;
    for (const child of this.context.children) child.tell({ type: 'server-link.login', directory } satisfies LoginChanged);
  }

  #register(request: RegisterGameServer): void {
    const name = linkName(request.info?.name ?? '');
    let child = this.context.child(name) as ActorRef<ServerLinkMessage> | undefined;
    if (child === undefined) {
      const init: ServerLinkInit = { server: request.server, directory: this.#login?.directory, retryMs: this.#init.retryMs, askTimeoutMs: this.#init.askTimeoutMs };
      child = this.context.spawn(props<ServerLinkMessage>((c) => new ServerLink(c, init), { kind: 'ServerLink' }), name);
    }
    child.tell({ type: 'server-link.request', info: request.info, server: request.server, replyTo: request.replyTo });
  }
}

/** The kind the game part looks for to find "the pool of this process". */
export const POOL_KIND = 'GameServerPool';

export function poolLinkProps(init: PoolLinkInit): Props<PoolLinkMessage> {
  return props((context) => new PoolLink(context, init), { kind: POOL_KIND });
}

function linkName(serverName: string): string {
  return `server-${serverName.replaceAll('/', '_')}`;
}

interface ServerLinkInit {
  readonly server: ActorRef<GameServerCommand>;
  readonly directory: ActorRef<RegisterRemoteGameServer> | undefined;
  readonly retryMs: number;
  readonly askTimeoutMs: number;
}

interface LinkRequest {
  readonly type: 'server-link.request';
  readonly info: GameServerInfo;
  readonly server: ActorRef<GameServerCommand>;
  readonly replyTo: ActorRef<RegisterReply>;
}

interface LoginChanged {
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

type ServerLinkMessage =
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
    const line = { server: name, attempt: this.#attempts, retryMs: this.#init.retryMs, reason: reply?.type === 'cluster.game-register-later' ? reply.reason : (error ?? 'unexpected reply') };
    if (this.#attempts === 1 || this.#attempts % 10 === 0) log.warn(line, 'registration across the cluster not done; retrying');
    else log.debug(line, 'registration across the cluster not done; retrying');
    this.context.timers.startSingle('retry', { type: 'server-link.retry' }, this.#init.retryMs);
  }
}
