import { performance } from 'node:perf_hooks';
import { TimerHeap, type Cancellable, type TimerEntry } from './timer-heap.js';

// All time in the runtime goes through this, so tests can swap in the VirtualScheduler.
export interface Scheduler {
  now(): number;
  schedule(delayMs: number, fn: () => void): Cancellable;
}

// Wall-clock scheduler: one Node timer armed for the earliest deadline, whatever the number of pending callbacks.
// With nothing pending no Node timer exists, so an idle system does not keep the process alive.
export class RealScheduler implements Scheduler {
  readonly #heap = new TimerHeap(() => this.#disarm());
  #timer: NodeJS.Timeout | undefined = undefined;
  #armedAt = Infinity;
  readonly #onError: (error: unknown) => void;

  constructor(options: { onError?: (error: unknown) => void } = {}) {
    this.#onError = options.onError ?? ((error) => console.error('scheduled callback failed', error));
  }

  now(): number {
    return performance.now();
  }

  schedule(delayMs: number, fn: () => void): Cancellable {
    const at = this.now() + (delayMs > 0 ? delayMs : 0);
    const entry = this.#heap.push(at, fn);
    if (at < this.#armedAt) this.#arm(at);
    return entry;
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedAt = at;
    this.#timer = setTimeout(this.#fire, Math.max(0, Math.ceil(at - this.now())));
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedAt = Infinity;
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    this.#armedAt = Infinity;
    // Node rounds timers to whole milliseconds, so allow firing up to 1 ms early rather than spinning.
    const horizon = this.now() + 1;
    let next: TimerEntry | undefined;
    while ((next = this.#heap.peek()) !== undefined && next.at <= horizon) {
      this.#heap.pop();
      try {
        next.fn();
      } catch (error) {
        this.#onError(error);
      }
    }
    const following = this.#heap.peek();
    if (following !== undefined && following.at < this.#armedAt) this.#arm(following.at);
  };
}
