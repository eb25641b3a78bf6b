// Failed-login throttling that slows guessing without locking a player out (docs/login-server.md,
// "Throttling"). Three keys, each spaced out by the AttemptLimiter (src/net) once it has failed too
// often within the window:
// - the account on one address (`maxFailures`): a guesser at one address is slowed on that account;
// - the address (`addressMaxFailures`): a guesser trying many accounts is slowed;
// - the account (`accountMaxFailures`, failures from any address): guessing spread over many
//   addresses is slowed, but only for machines that never logged in to the account, so its owner
//   (at home, on a known machine) is never held back by an attacker elsewhere.
// Accounts are keyed by the store's normalized name (nameKey), so no other spelling of a name gets
// fresh guesses. Account keys live in a table of their own and only for accounts that exist: an
// attacker spraying addresses or made-up names fills the other table, and can never push the state
// of an account under attack out of memory. Pure: time comes in as an argument.
import { AttemptLimiter, type AttemptRule, type KeyedRule } from '../../net/index.js';
import type { ThrottleSettings } from './login-settings.js';

export interface ThrottleVerdict {
  /** Above 0: refused for now; the client may try again after this long. */
  readonly refusedForMs: number;
  /** Wait this long before checking the password (the attempt's slot). */
  readonly waitMs: number;
  /**
   * The account is under pressure from many addresses: ask again saying whether this machine has
   * logged in to the account before (nothing was reserved by this check).
   */
  readonly needsMachine: boolean;
}

export class Throttle {
  readonly #limiter: AttemptLimiter;
  readonly #accounts: AttemptLimiter;
  readonly #pair: AttemptRule;
  readonly #address: AttemptRule;
  readonly #account: AttemptRule;

  constructor(settings: ThrottleSettings) {
    this.#limiter = new AttemptLimiter({ windowMs: settings.windowMs, maxWaitMs: settings.maxWaitMs, maxTracked: settings.maxTracked });
    this.#accounts = new AttemptLimiter({ windowMs: settings.windowMs, maxWaitMs: settings.maxWaitMs, maxTracked: settings.maxTracked });
    const spacing = { baseDelayMs: settings.delayStepMs, maxDelayMs: settings.lockoutMs };
    this.#pair = { freeFailures: settings.maxFailures, ...spacing };
    this.#address = { freeFailures: settings.addressMaxFailures, ...spacing };
    this.#account = { freeFailures: settings.accountMaxFailures, ...spacing };
  }

  get tracked(): number {
    return this.#limiter.tracked + this.#accounts.tracked;
  }

  /** `machineKnown`: undefined until the verdict asks for it. */
  check(account: string, address: string, machineKnown: boolean | undefined, now: number): ThrottleVerdict {
    const [pair, addressKey, accountKey] = this.#keys(account, address);
    const pressed = this.#accounts.failuresOf(accountKey!.key, now) >= this.#account.freeFailures;
    if (machineKnown === undefined && pressed) return { refusedForMs: 0, waitMs: 0, needsMachine: true };
    // The account's slot is taken only if the address allows the attempt (both refusals say when to come back).
    const byAddress = this.#limiter.admit([pair!, addressKey!], now);
    if (!byAddress.allowed) return { refusedForMs: byAddress.retryAfterMs, waitMs: 0, needsMachine: false };
    if (machineKnown === true || !pressed) return { refusedForMs: 0, waitMs: byAddress.waitMs, needsMachine: false };
    const byAccount = this.#accounts.admit([accountKey!], now);
    return byAccount.allowed
      ? { refusedForMs: 0, waitMs: Math.max(byAddress.waitMs, byAccount.waitMs), needsMachine: false }
      : { refusedForMs: byAccount.retryAfterMs, waitMs: 0, needsMachine: false };
  }

  /**
   * Records a failed attempt; returns the keys ("pair:...", "address:...", "account:...") it started to slow.
   * `accountExists`: only real accounts get an account-wide count (made-up names must not fill that table).
   */
  fail(account: string, address: string, accountExists: boolean, now: number): string[] {
    const [pair, addressKey, accountKey] = this.#keys(account, address);
    const started = this.#limiter.fail(account === '' ? [addressKey!] : [pair!, addressKey!], now);
    if (accountExists) started.push(...this.#accounts.fail([accountKey!], now));
    return started;
  }

  /** A success clears the failures of the account on this address only: an attacker elsewhere stays slowed. */
  succeed(account: string, address: string): void {
    this.#limiter.succeed([this.#keys(account, address)[0]!.key]);
  }

  sweep(now: number): void {
    this.#limiter.sweep(now);
    this.#accounts.sweep(now);
  }

  #keys(account: string, address: string): KeyedRule[] {
    return [
      { key: `pair:${account}|${address}`, rule: this.#pair },
      { key: `address:${address}`, rule: this.#address },
      { key: `account:${account}`, rule: this.#account },
    ];
  }
}
