// Warnings a hostile or broken peer can cause (bad batches, bad heartbeats, a duplicate node name) and those a
// flood of sends can cause (unregistered types, a full buffer) must not flood the log: one line per kind per
// interval, with the count of the lines held back since the last one.
import { LogThrottle, type Logger } from '../runtime/index.js';

export class ThrottledWarnings {
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #intervalMs: number;
  readonly #byKind = new Map<string, LogThrottle>();

  constructor(log: Logger, now: () => number, intervalMs: number) {
    this.#log = log;
    this.#now = now;
    this.#intervalMs = intervalMs;
  }

  warn(kind: string, fields: object, msg: string): void {
    let throttle = this.#byKind.get(kind);
    if (throttle === undefined) this.#byKind.set(kind, (throttle = new LogThrottle(this.#intervalMs, this.#now)));
    const suppressed = throttle.take();
    if (suppressed !== undefined) this.#log.warn({ ...fields, suppressedSinceLast: suppressed }, msg);
  }
}
