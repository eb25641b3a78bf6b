// Bounds the log lines one kind of event can cause: a connection flood, or a hostile peer's bad frames, must not
// become a log flood.

/** Allows one line per interval; counts what it held back so the next line can say so. */
export class LogThrottle {
  readonly #intervalMs: number;
  readonly #now: () => number;
  #last = -Infinity;
  #suppressed = 0;

  constructor(intervalMs: number, now: () => number) {
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  /** Undefined when this event must not be logged; else how many were held back since the last line. */
  take(): number | undefined {
    const now = this.#now();
    if (now - this.#last < this.#intervalMs) {
      this.#suppressed++;
      return undefined;
    }
    this.#last = now;
    const suppressed = this.#suppressed;
    this.#suppressed = 0;
    return suppressed;
  }
}
