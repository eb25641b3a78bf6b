// The refs of a cluster node (docs/cluster.md, "Refs across processes"): the proxies for other nodes' actors, the
// refs of this node that travel in messages (an ask's reply slot, a probe: kept weakly by path so a remote reply
// finds them while anything can still answer them), and the resolution of a path read from the wire.
import type { ActorRef, ActorSystem, SystemMessage } from '../runtime/index.js';
import { nodeAddress, nodeOfPath } from './address.js';
import { RemoteActorRef, type RemoteHost } from './remote-ref.js';

const REF_CACHE_LIMIT = 10_000;

export class RefTable {
  readonly #system: ActorSystem;
  readonly #name: string;
  readonly #host: RemoteHost;
  /** `imlight://<node>/`: the paths of this node. */
  readonly ownPrefix: string;
  /** `imlight://<node>/user/`: actors found by path. */
  readonly userPrefix: string;
  readonly #deadLettersPath: string;
  readonly #remoteRefs = new Map<string, RemoteActorRef>();
  readonly #exports = new Map<string, WeakRef<ActorRef>>();
  readonly #finalizer = new FinalizationRegistry<string>((path) => {
    if (this.#exports.get(path)?.deref() === undefined) this.#exports.delete(path);
  });
  readonly #lookupMemo = new Map<string, ActorRef | undefined>();
  #inBatch = false;

  constructor(system: ActorSystem, host: RemoteHost) {
    this.#system = system;
    this.#name = system.name;
    this.#host = host;
    this.ownPrefix = `${nodeAddress(this.#name)}/`;
    this.userPrefix = `${this.ownPrefix}user/`;
    this.#deadLettersPath = `${this.ownPrefix}deadLetters`;
  }

  get exportedCount(): number {
    return this.#exports.size;
  }

  /** The proxy for an actor of another node (cached: a burst to one path makes one object). */
  remote(path: string, node: string): RemoteActorRef {
    let ref = this.#remoteRefs.get(path);
    if (ref === undefined) {
      if (this.#remoteRefs.size >= REF_CACHE_LIMIT) this.#remoteRefs.clear();
      ref = new RemoteActorRef(path, node, this.#host);
      this.#remoteRefs.set(path, ref);
    }
    return ref;
  }

  /** The actor system's ref provider for the cluster scheme: other nodes' paths only. */
  provide(path: string): ActorRef | undefined {
    const node = nodeOfPath(path);
    return node === undefined || node === this.#name ? undefined : this.remote(path, node);
  }

  /** A ref about to be written to the wire: its path, kept weakly when a path alone cannot find it again. */
  export(ref: ActorRef): string {
    const path = ref.path;
    if (!path.startsWith(this.ownPrefix) || path.startsWith(this.userPrefix) || path === this.#deadLettersPath) return path;
    if (this.#exports.get(path)?.deref() !== ref) {
      this.#exports.set(path, new WeakRef(ref));
      this.#finalizer.register(ref, path);
    }
    return path;
  }

  /** An exported ref of this node, if it is still alive. */
  exported(path: string): ActorRef | undefined {
    return this.#exports.get(path)?.deref();
  }

  /** The ref for a path read from the wire (or asked for by path): another node's proxy, or an actor here. */
  revive(path: string): ActorRef | undefined {
    const node = nodeOfPath(path);
    if (node === undefined) return undefined;
    if (node !== this.#name) return this.remote(path, node);
    return this.local(path);
  }

  /** The actor at a path of this node, or a ref that finds it once it exists (dead letters until then). */
  local(path: string): ActorRef {
    return this.resolveLocal(path) ?? new UnresolvedLocalRef(path, this, this.#system);
  }

  /** While a batch is read, one tree walk per target: a burst to one actor costs one lookup. */
  beginBatch(): void {
    this.#inBatch = true;
  }

  endBatch(): void {
    this.#inBatch = false;
    this.#lookupMemo.clear();
  }

  // Outside a batch there is no memo, so a new actor is found.
  resolveLocal(path: string): ActorRef | undefined {
    if (path.startsWith(this.userPrefix)) {
      if (!this.#inBatch) return this.#system.lookup(path);
      const memo = this.#lookupMemo;
      if (memo.has(path)) return memo.get(path);
      const ref = this.#system.lookup(path);
      memo.set(path, ref);
      return ref;
    }
    if (path === this.#deadLettersPath) return this.#system.deadLetters;
    return this.#exports.get(path)?.deref();
  }
}

// A path of this node whose actor was not alive when the ref was read (e.g. inside a message): it looks the actor
// up again on each use, and dead-letters when there is none.
class UnresolvedLocalRef implements ActorRef {
  constructor(readonly path: string, private readonly refs: RefTable, private readonly system: ActorSystem) {}

  tell(message: unknown, sender?: ActorRef): void {
    const ref = this.refs.resolveLocal(this.path);
    if (ref !== undefined) ref.tell(message, sender);
    else this.system.recordDeadLetter(this.path, message, sender);
  }

  ask<R>(build: (replyTo: ActorRef<R>) => unknown, timeoutMs: number): Promise<R> {
    return this.system.ask(this, build, timeoutMs);
  }

  sendSystem(message: SystemMessage): void {
    const ref = this.refs.resolveLocal(this.path);
    if (ref !== undefined) ref.sendSystem(message);
    else if (message.type === 'watch') message.watcher.sendSystem({ type: 'terminated', ref: this });
  }
}
