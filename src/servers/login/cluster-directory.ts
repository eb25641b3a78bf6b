// The ClusterDirectory (docs/cluster.md, "Game servers across processes"): spawned on every node of a cluster,
// it answers "what do you run?" for the game processes looking for the login server and, on a node whose login
// server hands it its GameServerPool, turns a remote game server's registration into a GameServerProxy child of
// the pool. The game side of the same exchange is servers/game/pool-link.ts.
//
//   login process                                          game process
//   /user/cluster            ClusterDirectory  ◄─identify── /user/pool-link          PoolLink (the game servers' "pool")
//   .../pool                 GameServerPool                   └─ server-<name>         ServerLink ──► the GameServer
//     └─ game-<name>         GameServerProxy  ◄──NATS──►         (one per game server of the process)
import { Actor, props, refOfProps, type ActorContext, type ActorRef, type Handlers, type Props } from '../../runtime/index.js';
import type { IdentifyNode, NodeIdentity, RegisterRemoteGameServer, RemoteRegisterReply } from '../shared/cluster-messages.js';
import { RegisterRefusal, type LocalPoolMessage, type SpawnReply } from '../shared/pool-protocol.js';
import { errorText, gameServerProxyProps, type ProxyEnded, type ProxyMessage } from './game-server-proxy.js';

export interface ClusterDirectoryInit {
  /** The process's role (`login`, `game`, `patch`, `all`). */
  readonly role: string;
  readonly databaseSchema: string | null;
  /** Whether a node is up in the cluster's membership. */
  readonly isNodeUp: (node: string) => boolean;
  readonly askTimeoutMs: number;
}

interface SpawnResult {
  readonly type: 'directory.spawn-result';
  readonly name: string;
  readonly proxy: ActorRef<ProxyMessage> | undefined;
  readonly failure: string | undefined;
  readonly replyTo: ActorRef<RemoteRegisterReply>;
}

/**
 * The composition root hands the directory the GameServerPool of this process once the login part has started it
 * (the directory starts with the cluster node, before the servers, so other nodes get an answer at once).
 */
export interface HostPool {
  readonly type: 'directory.host-pool';
  readonly pool: ActorRef<LocalPoolMessage>;
}

export type ClusterDirectoryMessage = IdentifyNode | RegisterRemoteGameServer | ProxyEnded | SpawnResult | HostPool;
type DirectoryMessage = ClusterDirectoryMessage;

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
  #pool: ActorRef<LocalPoolMessage> | undefined = undefined;

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
    'directory.host-pool': ({ pool }) => {
      this.#pool = pool;
    },
    'cluster.game-register': (m) => this.#register(m),
    'directory.spawn-result': ({ name, proxy, failure, replyTo }) => {
      const link = this.#spawning.get(name);
      this.#spawning.delete(name);
      if (proxy !== undefined) {
        // The proxy may have ended already (refused by the pool, or its game process died meanwhile): its
        // directory.proxy-ended, sent after this reply, removes it again.
        if (link !== undefined) this.#proxies.set(name, { proxy, link });
        return;
      }
      // Most likely the name of a proxy still stopping: the game process retries.
      const reason = failure ?? 'no answer from the pool';
      this.context.log.warn({ server: name, reason }, 'cannot create the proxy of a remote game server');
      replyTo.tell({ type: 'cluster.game-register-later', reason });
    },
    'directory.proxy-ended': ({ name, proxy }) => {
      if (this.#proxies.get(name)?.proxy.path === proxy.path) this.#proxies.delete(name);
    },
  };

  #register({ info, link, replyTo }: RegisterRemoteGameServer): void {
    const pool = this.#pool;
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
    const proxyProps = gameServerProxyProps({ info, link, replyTo, directory, askTimeoutMs: this.#init.askTimeoutMs });
    this.#spawning.set(name, link);
    this.context.pipeToSelf(
      pool.ask<SpawnReply>((r) => ({ type: 'pool.spawn-local', name, props: proxyProps, replyTo: r }), this.#init.askTimeoutMs),
      (result): SpawnResult => ({
        type: 'directory.spawn-result',
        name,
        proxy: result.ok && result.value.type === 'pool.spawned' ? refOfProps(result.value.ref, proxyProps) : undefined,
        failure: result.ok ? (result.value.type === 'pool.spawn-failed' ? result.value.error : undefined) : errorText(result.error),
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
