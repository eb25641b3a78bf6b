// Failed-login accounting (flows.md section 2, issue 6 point 2): per key (an account or an
// address), failures within a window delay the replies, and maxFailures of them lock the key out
// for a while. Pure: time comes in as an argument, so it runs on any clock.
import type { ThrottleSettings } from './login-settings.js';

interface KeyState {
  /** Times of the failures still inside the window, oldest first. */
  failures: number[];
  lockedUntil: number;
}

export interface ThrottleCheck {
  readonly lockedForMs: number;
  readonly delayMs: number;
}

export class Throttle {
  readonly #settings: ThrottleSettings;
  // Insertion order doubles as age: re-touched keys are moved to the end, the oldest are evicted.
  readonly #keys = new Map<string, KeyState>();

  constructor(settings: ThrottleSettings) {
    this.#settings = settings;
  }

  get tracked(): number {
    return this.#keys.size;
  }

  check(keys: readonly string[], now: number): ThrottleCheck {
    let lockedForMs = 0;
    let failures = 0;
    for (const key of keys) {
      const state = this.#keys.get(key);
      if (state === undefined) continue;
      this.#prune(state, now);
      if (state.lockedUntil > now) lockedForMs = Math.max(lockedForMs, state.lockedUntil - now);
      failures = Math.max(failures, state.failures.length);
    }
    return { lockedForMs, delayMs: failures * this.#settings.delayStepMs };
  }

  /** Records a failure; returns the keys this failure locked out. */
  fail(keys: readonly string[], now: number): string[] {
    const locked: string[] = [];
    for (const key of keys) {
      let state = this.#keys.get(key);
      if (state === undefined) {
        state = { failures: [], lockedUntil: 0 };
        this.#evictFor(now);
      } else {
        this.#keys.delete(key);
        this.#prune(state, now);
      }
      this.#keys.set(key, state);
      if (state.lockedUntil > now) continue;
      state.failures.push(now);
      if (state.failures.length >= this.#settings.maxFailures) {
        state.lockedUntil = now + this.#settings.lockoutMs;
        state.failures = [];
        locked.push(key);
      }
    }
    return locked;
  }

  /** A success clears the failures of these keys (not a running lock-out). */
  succeed(keys: readonly string[]): void {
    for (const key of keys) {
      const state = this.#keys.get(key);
      if (state !== undefined && state.lockedUntil === 0) this.#keys.delete(key);
      else if (state !== undefined) state.failures = [];
    }
  }

  /** Forgets keys with nothing left to remember. */
  sweep(now: number): void {
    for (const [key, state] of this.#keys) {
      this.#prune(state, now);
      if (state.failures.length === 0 && state.lockedUntil <= now) this.#keys.delete(key);
    }
  }

  #prune(state: KeyState, now: number): void {
    const from = now - this.#settings.windowMs;
    let drop = 0;
    while (drop < state.failures.length && state.failures[drop]! <= from) drop++;
    if (drop > 0) state.failures.splice(0, drop);
  }

  #evictFor(now: number): void {
    if (this.#keys.size < this.#settings.maxTracked) return;
    this.sweep(now);
    // Still full: forget the least recently touched keys (an attacker spraying keys must not grow memory).
    for (const key of this.#keys.keys()) {
      if (this.#keys.size < this.#settings.maxTracked) break;
      this.#keys.delete(key);
    }
  }
}
