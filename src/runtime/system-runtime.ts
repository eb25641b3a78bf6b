import type { ActorRef } from './actor-ref.js';
import type { ActorSystem } from './actor-system.js';
import { AskRef } from './ask-ref.js';
import type { Dispatcher } from './dispatcher.js';
import { InvalidTimeoutError } from './errors.js';
import type { DeadLetterEvent, EventStream } from './event-stream.js';
import type { Logger } from './logger.js';
import type { Scheduler } from './scheduler.js';

// What cells and refs of one system share; internal, the public face is ActorSystem.
export class SystemRuntime {
  #deadLetterCount = 0;
  #tempIds = 0;
  readonly tempPrefix: string;

  constructor(
    readonly system: ActorSystem,
    readonly address: string,
    readonly dispatcher: Dispatcher,
    readonly scheduler: Scheduler,
    readonly eventStream: EventStream,
    readonly log: Logger,
  ) {
    this.tempPrefix = `${address}/temp/$`;
  }

  get deadLetterCount(): number {
    return this.#deadLetterCount;
  }

  nextTempId(): number {
    return ++this.#tempIds;
  }

  // Every undeliverable message ends here: counted, published, and an ask waiting for it fails at once.
  deadLetter(message: unknown, sender: ActorRef | undefined, recipient: string, reason: DeadLetterEvent['reason']): void {
    this.#deadLetterCount++;
    if (sender instanceof AskRef) sender.failDeadLetter(recipient);
    if (this.eventStream.hasSubscribers('dead-letter')) this.eventStream.publish('dead-letter', { recipient, message, sender, reason });
  }

  ask<R>(target: ActorRef, build: (replyTo: ActorRef<R>) => unknown, timeoutMs: number): Promise<R> {
    if (!(timeoutMs > 0 && timeoutMs < Infinity)) return Promise.reject(new InvalidTimeoutError(timeoutMs));
    const temp = new AskRef<R>(this, target, timeoutMs);
    let message: unknown;
    try {
      message = build(temp);
    } catch (error) {
      temp.fail(error);
      return temp.promise;
    }
    target.tell(message, temp);
    return temp.promise;
  }
}
