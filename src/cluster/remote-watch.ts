// Death watch across processes (docs/cluster.md, "Death watch"): the watches this node's actors hold on other
// nodes' actors, and those other nodes' actors hold on ours. A Terminated comes from the watched actor's node, or,
// when that node is declared down, from here for every watch on it.
import type { ActorRef } from '../runtime/index.js';
import { nodeOfPath } from './address.js';
import { FrameKind } from './codec.js';
import { InvalidMessageError } from './errors.js';
import type { RefTable } from './ref-table.js';
import type { RemoteActorRef } from './remote-ref.js';

interface OutWatch {
  readonly ref: RemoteActorRef;
  readonly watcher: ActorRef;
}

interface InWatch {
  readonly target: ActorRef;
  readonly watcher: RemoteActorRef;
}

/** What the watches need of their node. */
export interface WatchHost {
  readonly refs: RefTable;
  /** Appends a frame to the batch for `node`. */
  sendFrame(node: string, frame: unknown[]): void;
  /** The membership says `node` is down. */
  isDown(node: string): boolean;
  /** The failure detector must expect heartbeats from `node`. */
  expect(node: string): void;
  /** The actor of this node a frame names (undefined when it is gone). */
  localTarget(path: unknown): ActorRef | undefined;
}

export class RemoteWatches {
  readonly #host: WatchHost;
  // node -> watched path -> watcher path -> watch
  readonly #outWatches = new Map<string, Map<string, Map<string, OutWatch>>>();
  // node -> target and watcher paths -> watch
  readonly #inWatches = new Map<string, Map<string, InWatch>>();

  constructor(host: WatchHost) {
    this.#host = host;
  }

  /** A local `watcher` watches a remote actor. `gone`: the node is stopping or the actor's node is down. */
  watch(ref: RemoteActorRef, watcher: ActorRef, gone: boolean): void {
    if (gone || this.#host.isDown(ref.node)) {
      watcher.sendSystem({ type: 'terminated', ref });
      return;
    }
    let byRef = this.#outWatches.get(ref.node);
    if (byRef === undefined) this.#outWatches.set(ref.node, (byRef = new Map()));
    let watchers = byRef.get(ref.path);
    if (watchers === undefined) byRef.set(ref.path, (watchers = new Map()));
    watchers.set(watcher.path, { ref, watcher });
    this.#host.expect(ref.node);
    this.#host.sendFrame(ref.node, [FrameKind.Watch, ref.path, this.#host.refs.export(watcher)]);
  }

  unwatch(ref: RemoteActorRef, watcher: ActorRef): void {
    const removed = this.#removeOutWatch(ref.node, ref.path, watcher.path);
    if (removed !== undefined && !this.#host.isDown(ref.node)) this.#host.sendFrame(ref.node, [FrameKind.Unwatch, ref.path, this.#host.refs.export(watcher)]);
  }

  /** One of our actors (`target`) stopped while `watcher`, on another node, watched it. */
  targetTerminated(watcher: RemoteActorRef, target: ActorRef): void {
    this.#inWatches.get(watcher.node)?.delete(inWatchKey(target.path, watcher.path));
    if (!this.#host.isDown(watcher.node)) this.#host.sendFrame(watcher.node, [FrameKind.Terminated, watcher.path, this.#host.refs.export(target)]);
  }

  /** `node` is down: every watch on its actors fires; the watches its actors held on ours are released. */
  nodeDown(node: string): void {
    const byRef = this.#outWatches.get(node);
    this.#outWatches.delete(node);
    if (byRef !== undefined) for (const watchers of byRef.values()) for (const { ref, watcher } of watchers.values()) watcher.sendSystem({ type: 'terminated', ref });
    // Its actors watched ours: nobody will read those Terminated, so release the watches.
    const inbound = this.#inWatches.get(node);
    this.#inWatches.delete(node);
    if (inbound !== undefined) for (const { target, watcher } of inbound.values()) target.sendSystem({ type: 'unwatch', watcher });
  }

  /** A Watch or Unwatch frame from `from`. */
  onWatchFrame(from: string, frame: unknown[], watch: boolean): void {
    const [, target, watcherPath] = frame;
    if (typeof target !== 'string' || typeof watcherPath !== 'string' || nodeOfPath(watcherPath) !== from) throw new InvalidMessageError('watch frame fields');
    const watcher = this.#host.refs.remote(watcherPath, from);
    const key = inWatchKey(target, watcher.path);
    const ref = this.#host.localTarget(target);
    if (!watch) {
      this.#inWatches.get(from)?.delete(key);
      ref?.sendSystem({ type: 'unwatch', watcher });
      return;
    }
    if (ref === undefined) {
      this.#host.sendFrame(from, [FrameKind.Terminated, watcher.path, target]);
      return;
    }
    let inbound = this.#inWatches.get(from);
    if (inbound === undefined) this.#inWatches.set(from, (inbound = new Map()));
    inbound.set(key, { target: ref, watcher });
    ref.sendSystem({ type: 'watch', watcher });
  }

  /** A Terminated frame from `from`: one of its actors we watched has stopped. */
  onTerminatedFrame(from: string, frame: unknown[]): void {
    const [, watcherPath, refPath] = frame;
    if (typeof watcherPath !== 'string' || typeof refPath !== 'string' || nodeOfPath(refPath) !== from) throw new InvalidMessageError('terminated frame fields');
    // Only a watch still registered fires, so a Terminated already given by the failure detector is not repeated.
    const entry = this.#removeOutWatch(from, refPath, watcherPath);
    entry?.watcher.sendSystem({ type: 'terminated', ref: entry.ref });
  }

  #removeOutWatch(node: string, refPath: string, watcherPath: string): OutWatch | undefined {
    const byRef = this.#outWatches.get(node);
    const watchers = byRef?.get(refPath);
    const entry = watchers?.get(watcherPath);
    if (byRef === undefined || watchers === undefined || entry === undefined) return undefined;
    watchers.delete(watcherPath);
    if (watchers.size === 0) byRef.delete(refPath);
    if (byRef.size === 0) this.#outWatches.delete(node);
    return entry;
  }
}

function inWatchKey(target: string, watcher: string): string {
  return `${target}\n${watcher}`;
}
