import type { ActorRef, SystemMessage } from './actor-ref.js';
import type { ActorSystem } from './actor-system.js';
import { AskRef } from './ask-ref.js';
import { DeadLetterLog, type DeadLetterLogOptions } from './dead-letter-log.js';
import { DeadLettersRef } from './dead-letters-ref.js';
import type { Dispatcher } from './dispatcher.js';
import { InvalidTimeoutError } from './errors.js';
import type { DeadLetterEvent, EventStream } from './event-stream.js';
import type { Logger } from './logger.js';
import { PoisonPill } from './message.js';
import type { Scheduler } from './scheduler.js';

// What cells and refs of one system share; internal, the public face is ActorSystem.
export class SystemRuntime {
  #deadLetterCount = 0;
  #tempIds = 0;
  readonly tempPrefix: string;
  readonly deadLetters: ActorRef;
  readonly #deadLetterLog: DeadLetterLog | undefined;

  constructor(
    readonly system: ActorSystem,
    readonly address: string,
    readonly dispatcher: Dispatcher,
    readonly scheduler: Scheduler,
    readonly eventStream: EventStream,
    readonly log: Logger,
    deadLetterLog: DeadLetterLogOptions | false = {},
  ) {
    this.tempPrefix = `${address}/temp/$`;
    this.deadLetters = new DeadLettersRef(this);
    this.#deadLetterLog = deadLetterLog === false ? undefined : new DeadLetterLog(log, scheduler, deadLetterLog);
  }

  get deadLetterCount(): number {
    return this.#deadLetterCount;
  }

  nextTempId(): number {
    return ++this.#tempIds;
  }

  // Every undeliverable message ends here: counted, logged (throttled), published, and an ask waiting for it
  // fails at once.
  deadLetter(message: unknown, sender: ActorRef | undefined, recipient: string, reason: DeadLetterEvent['reason']): void {
    this.#deadLetterCount++;
    if (sender instanceof AskRef) sender.failDeadLetter(recipient);
    const published = this.eventStream.hasSubscribers('dead-letter');
    if (!published && this.#deadLetterLog === undefined) return;
    const event: DeadLetterEvent = { recipient, message, sender, reason };
    this.#deadLetterLog?.record(event, this.#deadLetterCount);
    if (published) this.eventStream.publish('dead-letter', event);
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

  // Watches `target`, sends it PoisonPill and resolves true once it terminated, false when `timeoutMs` passed first.
  gracefulStop(target: ActorRef, timeoutMs: number): Promise<boolean> {
    if (!(timeoutMs > 0 && timeoutMs < Infinity)) return Promise.reject(new InvalidTimeoutError(timeoutMs));
    return new Promise<boolean>((resolve) => {
      let done = false;
      const watcher: ActorRef = {
        path: this.tempPrefix + this.nextTempId(),
        tell: (message, sender) => this.deadLetter(message, sender, watcher.path, 'no-actor'),
        ask: (build, ms) => this.ask(watcher, build, ms),
        sendSystem: (message: SystemMessage) => {
          if (done || message.type !== 'terminated' || message.ref.path !== target.path) return;
          done = true;
          timer.cancel();
          resolve(true);
        },
      };
      const timer = this.scheduler.schedule(timeoutMs, () => {
        if (done) return;
        done = true;
        target.sendSystem({ type: 'unwatch', watcher });
        resolve(false);
      });
      target.sendSystem({ type: 'watch', watcher });
      target.tell(PoisonPill);
    });
  }
}
