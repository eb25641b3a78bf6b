import type { Scheduler } from '../scheduler.js';
import { TimerHeap, type Cancellable } from '../timer-heap.js';

// Lets the event loop run everything already queued: microtasks, and the setImmediate turns the dispatcher
// uses to yield, so actors finish their work before virtual time moves on.
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

// Time that moves only when a test says so. advance(ms) runs due callbacks in time order, settling between them.
export class VirtualScheduler implements Scheduler {
  #now = 0;
  readonly #heap = new TimerHeap();

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  get pending(): number {
    return this.#heap.live;
  }

  schedule(delayMs: number, fn: () => void): Cancellable {
    return this.#heap.push(this.#now + (delayMs > 0 ? delayMs : 0), fn);
  }

  // Moves time forward by `ms`; stops early (at the time of the callback that made it true) when `until` holds.
  async advance(ms: number, until?: () => boolean): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`advance needs a duration >= 0, got ${ms}`);
    const target = this.#now + ms;
    await settle();
    if (until?.()) return;
    while (true) {
      const next = this.#heap.peek();
      if (next === undefined || next.at > target) break;
      this.#heap.pop();
      this.#now = next.at;
      next.fn();
      await settle();
      if (until?.()) return;
    }
    this.#now = target;
    await settle();
  }
}
