import type { ActorRef, SystemMessage } from './actor-ref.js';
import { AskTimeoutError, DeadLetterError, InvalidTimeoutError } from './errors.js';
import type { SystemRuntime } from './system-runtime.js';
import type { Cancellable } from './timer-heap.js';

// The temporary reply slot of one ask: the first message told to it answers the ask; later ones are dead letters.
export class AskRef<R> implements ActorRef<R> {
  readonly promise: Promise<R>;
  #resolve!: (value: R) => void;
  #reject!: (error: unknown) => void;
  #timer: Cancellable | undefined = undefined;
  #done = false;
  readonly #id: number;
  readonly #started: number;

  constructor(private readonly runtime: SystemRuntime, private readonly target: ActorRef, timeoutMs: number) {
    this.#id = runtime.nextTempId();
    this.#started = runtime.scheduler.now();
    this.promise = new Promise<R>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    if (!(timeoutMs > 0 && timeoutMs < Infinity)) {
      this.fail(new InvalidTimeoutError(timeoutMs));
      return;
    }
    this.#timer = runtime.scheduler.schedule(timeoutMs, () => {
      this.#timer = undefined;
      this.fail(new AskTimeoutError(this.target.path, this.runtime.scheduler.now() - this.#started));
    });
  }

  get path(): string {
    return this.runtime.tempPrefix + this.#id;
  }

  tell(message: R, sender?: ActorRef): void {
    if (this.#done) {
      this.runtime.deadLetter(message, sender, this.path, 'unmatched-reply');
      return;
    }
    this.#done = true;
    this.#timer?.cancel();
    this.#resolve(message);
  }

  ask<R2>(build: (replyTo: ActorRef<R2>) => R, timeoutMs: number): Promise<R2> {
    return this.runtime.ask(this, build, timeoutMs);
  }

  sendSystem(message: SystemMessage): void {
    // A reply slot cannot be watched for long; it is as good as terminated for a watcher once answered.
    if (message.type === 'watch' && this.#done) message.watcher.sendSystem({ type: 'terminated', ref: this });
  }

  fail(error: unknown): void {
    if (this.#done) return;
    this.#done = true;
    this.#timer?.cancel();
    this.#reject(error);
  }

  failDeadLetter(recipient: string): void {
    this.fail(new DeadLetterError(recipient === this.target.path ? recipient : `${this.target.path} (via ${recipient})`));
  }
}
