// Session ids: u16s unique among a server's live sessions (wire-protocol.md section 2).
import { NetConfigError } from './errors.js';

export interface SessionIdRange {
  readonly min: number;
  readonly max: number;
}

export const DEFAULT_SESSION_ID_RANGE: SessionIdRange = { min: 1, max: 0xffff };

/**
 * Hands out free ids from a range, round robin: a freed id is reused only after the rest of the
 * range, so a late message addressed to an ended session's id is unlikely to meet its successor.
 */
export class SessionIds {
  readonly #used: Uint8Array;
  readonly #min: number;
  readonly #size: number;
  #cursor = 0;
  #inUse = 0;

  constructor(range: SessionIdRange = DEFAULT_SESSION_ID_RANGE) {
    const { min, max } = range;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max > 0xffff || min > max) {
      throw new NetConfigError(`session id range must be integers with 0 <= min <= max <= 65535, got ${min}..${max}`);
    }
    this.#min = min;
    this.#size = max - min + 1;
    this.#used = new Uint8Array(this.#size);
  }

  get inUse(): number {
    return this.#inUse;
  }

  get capacity(): number {
    return this.#size;
  }

  /** A free id, or undefined when all are taken. */
  allocate(): number | undefined {
    if (this.#inUse === this.#size) return undefined;
    let at = this.#cursor;
    while (this.#used[at] === 1) at = at + 1 === this.#size ? 0 : at + 1;
    this.#used[at] = 1;
    this.#inUse++;
    this.#cursor = at + 1 === this.#size ? 0 : at + 1;
    return this.#min + at;
  }

  release(id: number): void {
    const at = id - this.#min;
    if (at < 0 || at >= this.#size || this.#used[at] === 0) return;
    this.#used[at] = 0;
    this.#inUse--;
  }
}
