import type { ActorRef } from './actor-ref.js';
import type { WatchMessage } from './internal-messages.js';

// Who watches this actor and whom it watches, keyed by path (a remote ref may be a new object each time).
export class DeathWatch {
  readonly #watchers = new Map<string, ActorRef>();
  readonly #watching = new Map<string, { readonly ref: ActorRef; readonly message: unknown }>();
  // Watch messages queued in the mailbox and still wanted; unwatch removes them, so they are dropped on arrival.
  #queued: Map<string, WatchMessage> | undefined = undefined;

  addWatcher(watcher: ActorRef): void {
    this.#watchers.set(watcher.path, watcher);
  }

  removeWatcher(watcher: ActorRef): void {
    this.#watchers.delete(watcher.path);
  }

  watch(ref: ActorRef, message: unknown): boolean {
    const fresh = !this.#watching.has(ref.path);
    this.#watching.set(ref.path, { ref, message });
    return fresh;
  }

  // True when `ref` was still watched (the watched actor must then be told); a queued watch message is dropped.
  unwatch(ref: ActorRef): boolean {
    this.#queued?.delete(ref.path);
    return this.#watching.delete(ref.path);
  }

  // Consumes the watch for a Terminated; undefined when it was unwatched (the Terminated must then be dropped).
  takeWatch(ref: ActorRef): { readonly ref: ActorRef; readonly message: unknown } | undefined {
    const entry = this.#watching.get(ref.path);
    if (entry !== undefined) this.#watching.delete(ref.path);
    return entry;
  }

  queued(envelope: WatchMessage): void {
    (this.#queued ??= new Map()).set(envelope.ref.path, envelope);
  }

  // Whether a watch message that reached the head of the mailbox is still wanted; consumes it.
  takeQueued(envelope: WatchMessage): boolean {
    if (this.#queued?.get(envelope.ref.path) !== envelope) return false;
    this.#queued.delete(envelope.ref.path);
    return true;
  }

  // On stop: tells watchers this actor terminated and releases the watches it held.
  terminate(self: ActorRef): void {
    for (const watcher of this.#watchers.values()) watcher.sendSystem({ type: 'terminated', ref: self });
    this.#watchers.clear();
    for (const { ref } of this.#watching.values()) ref.sendSystem({ type: 'unwatch', watcher: self });
    this.#watching.clear();
    this.#queued = undefined;
  }
}
