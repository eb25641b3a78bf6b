// Repeated warnings, rate-limited: a flood of the same warning (a client sending garbage in a loop, an unreachable
// database) must not drown every other line nor fill the disk. Per message text, the first `burst` lines of a window
// are written; the rest are counted, and one line at the end of the window says how many were suppressed.

export interface RateLimitOptions {
  /** Lines of one message written per window. Default 10. */
  readonly burst?: number;
  /** Default 60,000 ms. */
  readonly windowMs?: number;
  /** Distinct messages tracked at most; past it the oldest window is flushed. Default 1,000. */
  readonly maxKeys?: number;
  readonly now?: () => number;
}

interface Window {
  start: number;
  written: number;
  suppressed: number;
}

export class LogRateLimiter {
  readonly #burst: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, Window>();
  readonly #report: (message: string, suppressed: number, windowMs: number) => void;

  /** `report` writes the summary line of a window that suppressed lines. */
  constructor(report: (message: string, suppressed: number, windowMs: number) => void, options: RateLimitOptions = {}) {
    this.#report = report;
    this.#burst = options.burst ?? 10;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxKeys = options.maxKeys ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  /** True when a line with this message may be written now. */
  allow(message: string): boolean {
    const now = this.#now();
    let window = this.#windows.get(message);
    if (window !== undefined && now - window.start >= this.#windowMs) {
      this.#close(message, window);
      window = undefined;
    }
    if (window === undefined) {
      if (this.#windows.size >= this.#maxKeys) {
        const [oldest, oldestWindow] = this.#windows.entries().next().value as [string, Window];
        this.#close(oldest, oldestWindow);
      }
      window = { start: now, written: 0, suppressed: 0 };
      this.#windows.set(message, window);
    }
    if (window.written < this.#burst) {
      window.written++;
      return true;
    }
    window.suppressed++;
    return false;
  }

  /** Reports and closes every window that has ended (call it periodically), or all of them with `all`. */
  flush(all = false): void {
    const now = this.#now();
    for (const [message, window] of [...this.#windows]) if (all || now - window.start >= this.#windowMs) this.#close(message, window);
  }

  #close(message: string, window: Window): void {
    this.#windows.delete(message);
    if (window.suppressed > 0) this.#report(message, window.suppressed, this.#windowMs);
  }
}
