import { innerMessage, ReceiveTimeoutTick } from './internal-messages.js';
import type { Scheduler } from './scheduler.js';
import type { Cancellable } from './timer-heap.js';
import type { TimerOwner } from './timers.js';

// Delivers a message after `ms` without user messages. Each message only records the time; the timer re-arms
// itself for the remainder when it fires early, so a busy actor does not reschedule a timer per message.
// Messages whose type is in `ignored` (e.g. a periodic flush tick) do not count as activity.
export class ReceiveTimeout {
  #ms = 0;
  #message: unknown = undefined;
  #ignored: ReadonlySet<string> | undefined = undefined;
  #last = 0;
  #generation = 0;
  #handle: Cancellable | undefined = undefined;

  constructor(private readonly owner: TimerOwner, private readonly scheduler: Scheduler) {}

  set(ms: number, message: unknown, ignored: readonly string[] | undefined): void {
    if (!(ms > 0)) throw new RangeError(`a receive timeout must be above 0 ms, got ${ms}`);
    this.cancel();
    this.#ms = ms;
    this.#message = message;
    this.#ignored = ignored === undefined || ignored.length === 0 ? undefined : new Set(ignored);
    this.touch();
    this.#arm(ms);
  }

  cancel(): void {
    this.#handle?.cancel();
    this.#handle = undefined;
    this.#generation++;
  }

  touch(): void {
    this.#last = this.scheduler.now();
  }

  // A user message arrived: it counts as activity unless its type is ignored.
  touchBy(message: any): void {
    if (this.#ignored !== undefined && this.#ignored.has(innerMessage(message)?.type)) return;
    this.#last = this.scheduler.now();
  }

  // The message to deliver for a tick at the head of the mailbox, or undefined when the tick is stale.
  accept(tick: ReceiveTimeoutTick): unknown {
    if (tick.generation !== this.#generation || tick.incarnation !== this.owner.incarnation) return undefined;
    this.touch();
    this.#arm(this.#ms);
    return this.#message;
  }

  #arm(delayMs: number): void {
    const generation = this.#generation;
    this.#handle = this.scheduler.schedule(delayMs, () => {
      if (generation !== this.#generation) return;
      const idle = this.scheduler.now() - this.#last;
      if (idle < this.#ms) {
        this.#arm(this.#ms - idle);
        return;
      }
      this.#handle = undefined;
      this.owner.enqueueSelf(new ReceiveTimeoutTick(generation, this.owner.incarnation));
    });
  }
}
