import type { ActorRef } from './actor-ref.js';

// Who watches this actor and whom it watches, keyed by path (a remote ref may be a new object each time).
export class DeathWatch {
  readonly #watchers = new Map<string, ActorRef>();
  readonly #watching = new Map<string, { readonly ref: ActorRef; readonly message: unknown }>();

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

  unwatch(ref: ActorRef): boolean {
    return this.#watching.delete(ref.path);
  }

  // Consumes the watch for a Terminated; undefined when it was unwatched (the Terminated must then be dropped).
  takeWatch(ref: ActorRef): { readonly ref: ActorRef; readonly message: unknown } | undefined {
    const entry = this.#watching.get(ref.path);
    if (entry !== undefined) this.#watching.delete(ref.path);
    return entry;
  }

  // On stop: tells watchers this actor terminated and releases the watches it held.
  terminate(self: ActorRef): void {
    for (const watcher of this.#watchers.values()) watcher.sendSystem({ type: 'terminated', ref: self });
    this.#watchers.clear();
    for (const { ref } of this.#watching.values()) ref.sendSystem({ type: 'unwatch', watcher: self });
    this.#watching.clear();
  }
}
