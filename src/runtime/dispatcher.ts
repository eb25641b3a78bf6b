import { RingQueue } from './ring-queue.js';

export interface Runnable {
  // Processes some messages and returns how many; never throws.
  run(): number;
}

// Runs ready mailboxes one after another in a single microtask, so a message sent from inside a handler costs a
// queue push, not a new task. Past `yieldAfter` messages in one turn it continues from setImmediate, letting
// I/O callbacks run between batches.
export class Dispatcher {
  readonly #ready = new RingQueue<Runnable>();
  #pending = false;
  #running = false;

  constructor(readonly yieldAfter: number = 5_000) {}

  schedule(mailbox: Runnable): void {
    this.#ready.push(mailbox, undefined);
    if (!this.#running && !this.#pending) {
      this.#pending = true;
      queueMicrotask(this.#drain);
    }
  }

  readonly #drain = (): void => {
    this.#pending = false;
    this.#running = true;
    let budget = this.yieldAfter;
    try {
      while (this.#ready.size > 0) {
        budget -= this.#ready.shift().run() + 1;
        if (budget <= 0 && this.#ready.size > 0) {
          this.#pending = true;
          setImmediate(this.#drain);
          return;
        }
      }
    } finally {
      this.#running = false;
    }
  };
}
