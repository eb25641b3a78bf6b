import type { ActorRef, SystemMessage } from './actor-ref.js';
import type { Cell } from './cell.js';
import type { Mailbox } from './mailbox.js';

// The ref of an actor in this process. It holds the mailbox directly: tell is one call.
export class LocalActorRef<M = any> implements ActorRef<M> {
  readonly #cell: Cell<any>;
  readonly #mailbox: Mailbox;

  constructor(cell: Cell<any>, mailbox: Mailbox) {
    this.#cell = cell;
    this.#mailbox = mailbox;
  }

  static cellOf(ref: ActorRef): Cell<any> | undefined {
    return ref instanceof LocalActorRef ? ref.#cell : undefined;
  }

  get path(): string {
    return this.#cell.path;
  }

  tell(message: M, sender?: ActorRef): void {
    this.#mailbox.post(message, sender);
  }

  ask<R>(build: (replyTo: ActorRef<R>) => M, timeoutMs: number): Promise<R> {
    return this.#cell.runtime.ask(this, build, timeoutMs);
  }

  sendSystem(message: SystemMessage): void {
    this.#cell.sendSystem(message);
  }

  toString(): string {
    return `ActorRef(${this.#cell.path})`;
  }
}
