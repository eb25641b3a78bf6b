import type { ActorRef, SystemMessage } from '../runtime/index.js';

// What a remote ref needs from its cluster node.
export interface RemoteHost {
  sendUser(ref: RemoteActorRef, message: unknown, sender: ActorRef | undefined): void;
  sendSystem(ref: RemoteActorRef, message: SystemMessage): void;
  ask<R>(ref: RemoteActorRef, build: (replyTo: ActorRef<R>) => unknown, timeoutMs: number): Promise<R>;
}

// The proxy process for an actor on another node: tell, ask and system messages become frames for that node.
// It holds no state of the actor, so any number of these objects may stand for one path.
export class RemoteActorRef<M = any> implements ActorRef<M> {
  readonly #host: RemoteHost;

  constructor(readonly path: string, readonly node: string, host: RemoteHost) {
    this.#host = host;
  }

  tell(message: M, sender?: ActorRef): void {
    this.#host.sendUser(this, message, sender);
  }

  ask<R>(build: (replyTo: ActorRef<R>) => M, timeoutMs: number): Promise<R> {
    return this.#host.ask(this, build, timeoutMs);
  }

  sendSystem(message: SystemMessage): void {
    this.#host.sendSystem(this, message);
  }

  toString(): string {
    return `RemoteActorRef(${this.path})`;
  }
}
