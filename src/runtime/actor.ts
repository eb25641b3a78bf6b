import type { ActorContext } from './actor-context.js';
import type { ActorRef } from './actor-ref.js';
import { DeathPactError } from './errors.js';
import type { Handlers, Message } from './message.js';
import type { SupervisorStrategy } from './supervision.js';

// Subclass it, declare `receive` as an object of arrow functions (one per message type), spawn it through props().
export abstract class Actor<M extends Message> {
  constructor(protected readonly context: ActorContext<M>) {}

  abstract readonly receive: Handlers<M>;

  // For this actor's children; when absent, one-for-one restart with 10 restarts within 60 s.
  declare readonly supervisorStrategy?: SupervisorStrategy;

  preStart(): void | Promise<void> {}

  postStop(): void | Promise<void> {}

  // On the failed instance; by default it stops every child, then runs postStop. The restart waits for the
  // children it stopped; those it did not stop survive and are restarted after the fresh instance's postRestart.
  preRestart(_error: unknown, _message: M | undefined): void | Promise<void> {
    for (const child of this.context.children) this.context.stop(child);
    return this.postStop();
  }

  // On the fresh instance; by default it runs preStart.
  postRestart(_error: unknown): void | Promise<void> {
    return this.preStart();
  }

  // For watch(ref) without a message. Not handling it is a death pact: by default the watcher fails with
  // DeathPactError (stopped by the default strategy).
  onTerminated(ref: ActorRef): void | Promise<void> {
    throw new DeathPactError(this.context.path, ref.path);
  }
}
