// Counts events in fixed windows of time: what a client may do per window (chat lines, zone changes) is checked
// against the count. The clock is the caller's (the actor system's scheduler), so tests run it on virtual time.

export class RateWindow {
  readonly #windowMs: number;
  #start = 0;
  #count = 0;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Counts one event at `now` (ms) and returns how many the current window holds, this one included. */
  count(now: number): number {
    if (now - this.#start >= this.#windowMs) {
      this.#start = now;
      this.#count = 0;
    }
    return ++this.#count;
  }
}
