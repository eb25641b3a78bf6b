// The PoolLink (docs/cluster.md, "Game servers across processes"): on a game-role node of a cluster, the pool the
// game servers of this process register with. It finds the login server's ClusterDirectory
// (servers/login/cluster-directory.ts) and keeps one ServerLink (server-link.ts) per game server.
import { Actor, props, type ActorContext, type ActorRef, type Handlers, type Props } from '../../runtime/index.js';
import type { IdentifyNode, NodeIdentity, RegisterRemoteGameServer } from '../shared/cluster-messages.js';
import type { LocalPoolMessage, RegisterGameServer } from '../shared/pool-protocol.js';
import { errorText, serverLinkProps, type LoginChanged, type ServerLinkInit, type ServerLinkMessage } from './server-link.js';

/** The name of the PoolLink on a game-role node. */
export const POOL_LINK_NAME = 'pool-link';

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

export type PoolLinkMessage = LocalPoolMessage | MemberUp | MemberDown | Identified | Reprobe;

const MAX_PROBES = 5;

/**
 * The pool as the game servers of a game-role process see it: it finds the login server in the cluster (the node
 * whose directory says it hosts the pool, on the same database schema) and keeps one ServerLink per game server.
 * It takes the pool's place in this process: it answers the same `pool.spawn-local` and `pool.register` commands,
 * so the composition root hands it to the game part, which creates its game servers under it as it would under a
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
      child = this.context.spawn(serverLinkProps(init), name);
    }
    child.tell({ type: 'server-link.request', info: request.info, server: request.server, replyTo: request.replyTo });
  }
}

export function poolLinkProps(init: PoolLinkInit): Props<PoolLinkMessage> {
  return props((context) => new PoolLink(context, init), { kind: 'PoolLink' });
}

function linkName(serverName: string): string {
  return `server-${serverName.replaceAll('/', '_')}`;
}
