import type { ActorContext } from './actor-context.js';
import type { ActorRef } from './actor-ref.js';
import type { Handlers, Message } from './message.js';
import type { Directive, SupervisorStrategy } from './supervision.js';

// Subclass it, declare `receive` as an object of arrow functions (one per message type), spawn it through props().
export abstract class Actor<M extends Message> {
  constructor(protected readonly context: ActorContext<M>) {}

  abstract readonly receive: Handlers<M>;

  // For this actor's children; when absent, one-for-one restart with 10 restarts within 60 s.
  declare readonly supervisorStrategy?: SupervisorStrategy;

  preStart(): void | Promise<void> {}

  postStop(): void | Promise<void> {}

  // On the failed instance; by default it runs postStop. Children are stopped after it, whatever it does.
  preRestart(_error: unknown, _message: M | undefined): void | Promise<void> {
    return this.postStop();
  }

  // On the fresh instance; by default it runs preStart.
  postRestart(_error: unknown): void | Promise<void> {
    return this.preStart();
  }

  // For watch(ref) without a message.
  onTerminated(_ref: ActorRef): void | Promise<void> {}

  // The supervisor's failure hook: runs after the strategy's decider chose `directive` for a failed child, before the
  // directive is applied. The decider only decides; what this actor must do about a failure (tell someone) goes here.
  onChildFailure(_child: ActorRef, _error: unknown, _directive: Directive): void {}
}
