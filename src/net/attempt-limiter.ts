// Failure-driven slowing of attempts (docs/login-server.md, "Throttling"; docs/admin.md): each key (an
// account on one address, an address, an account) may fail `freeFailures` times within the window;
// past that, its attempts are spaced out, the spacing doubling with each further failure up to
// `maxDelayMs`. Spacing is a schedule, not a sleep per reply: concurrent attempts on one key each
// take the next slot, so opening more connections does not buy more guesses. An attempt whose slot
// is further away than `maxWaitMs` is refused for now (told when to come back); nothing refuses a
// key for longer than its spacing. Pure: time comes in as an argument.

export interface AttemptRule {
  /** Failures within the window before attempts are spaced out. */
  readonly freeFailures: number;
  /** Spacing after the first failure past `freeFailures`; it doubles with each further failure. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface AttemptLimiterSettings {
  /** How long a failure counts. */
  readonly windowMs: number;
  /** An attempt waits at most this long for its slot; past it, it is refused. 0: never wait. */
  readonly maxWaitMs: number;
  /** Keys remembered at most; past it the least recently touched are forgotten, one at a time. */
  readonly maxTracked: number;
}

export interface KeyedRule {
  readonly key: string;
  readonly rule: AttemptRule;
}

export type Admission =
  | { readonly allowed: true; readonly waitMs: number }
  | { readonly allowed: false; readonly retryAfterMs: number; readonly key: string };

interface KeyState {
  /** Times of the failures inside the window, oldest first (at most `MAX_REMEMBERED`). */
  failures: number[];
  /** The earliest time the next attempt may run. */
  nextAt: number;
}

/** Past this many failures the spacing is at its maximum anyway (2^40 x the base). */
const MAX_REMEMBERED = 64;
/** Oldest keys looked at for expiry when the table is full: bounded work per new key. */
const EVICTION_SCAN = 32;

function spacing(rule: AttemptRule, failures: number): number {
  const excess = failures - rule.freeFailures;
  if (excess < 0) return 0;
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.min(excess, 40));
}

export class AttemptLimiter {
  readonly #settings: AttemptLimiterSettings;
  // Insertion order is recency: a touched key is moved to the end, the front is evicted first.
  readonly #keys = new Map<string, KeyState>();

  constructor(settings: AttemptLimiterSettings) {
    this.#settings = settings;
  }

  get tracked(): number {
    return this.#keys.size;
  }

  /** May an attempt on all these keys run, and after how long? Allowed attempts take their slots. */
  admit(checks: readonly KeyedRule[], now: number): Admission {
    let waitMs = 0;
    const slotted: Array<{ state: KeyState; slot: number; rule: AttemptRule }> = [];
    for (const { key, rule } of checks) {
      const state = this.#keys.get(key);
      if (state === undefined) continue;
      this.#prune(state, now);
      if (state.failures.length < rule.freeFailures) continue;
      const slot = Math.max(now, state.nextAt);
      if (slot - now > this.#settings.maxWaitMs) return { allowed: false, retryAfterMs: slot - now, key };
      waitMs = Math.max(waitMs, slot - now);
      slotted.push({ state, slot, rule });
    }
    for (const { state, slot, rule } of slotted) state.nextAt = slot + spacing(rule, state.failures.length);
    return { allowed: true, waitMs };
  }

  /** Records a failure on each key; returns the keys this failure started to space out. */
  fail(checks: readonly KeyedRule[], now: number): string[] {
    const started: string[] = [];
    for (const { key, rule } of checks) {
      const state = this.#touch(key, now);
      state.failures.push(now);
      if (state.failures.length > MAX_REMEMBERED) state.failures.shift();
      const n = state.failures.length;
      if (n >= rule.freeFailures) {
        state.nextAt = Math.max(state.nextAt, now + spacing(rule, n));
        if (n === rule.freeFailures) started.push(key);
      }
    }
    return started;
  }

  /** Forgets these keys' failures (a success on them). */
  succeed(keys: readonly string[]): void {
    for (const key of keys) this.#keys.delete(key);
  }

  /** The failures a key has inside the window (for tests and logs). */
  failuresOf(key: string, now: number): number {
    const state = this.#keys.get(key);
    if (state === undefined) return 0;
    this.#prune(state, now);
    return state.failures.length;
  }

  /** Forgets keys with nothing left to remember. */
  sweep(now: number): void {
    for (const [key, state] of this.#keys) {
      this.#prune(state, now);
      if (state.failures.length === 0 && state.nextAt <= now) this.#keys.delete(key);
    }
  }

  #touch(key: string, now: number): KeyState {
    let state = this.#keys.get(key);
    if (state !== undefined) {
      this.#keys.delete(key);
      this.#prune(state, now);
    } else {
      state = { failures: [], nextAt: 0 };
      this.#makeRoom(now);
    }
    this.#keys.set(key, state);
    return state;
  }

  #prune(state: KeyState, now: number): void {
    const from = now - this.#settings.windowMs;
    let drop = 0;
    while (drop < state.failures.length && state.failures[drop]! <= from) drop++;
    if (drop > 0) state.failures.splice(0, drop);
  }

  #makeRoom(now: number): void {
    if (this.#keys.size < this.#settings.maxTracked) return;
    // Never the whole table at once, so an attacker spraying keys cannot wipe the state of the keys
    // under attack: expired keys among the oldest few go first, else the least recently touched one.
    let scanned = 0;
    for (const [key, state] of this.#keys) {
      if (scanned++ >= EVICTION_SCAN) break;
      this.#prune(state, now);
      if (state.failures.length === 0 && state.nextAt <= now) this.#keys.delete(key);
    }
    if (this.#keys.size >= this.#settings.maxTracked) this.#keys.delete(this.#keys.keys().next().value!);
  }
}
