// Who may use the admin console: the bearer token, an administrator account (HTTP Basic on the API, or a sign-in
// that opens a console session held in an HttpOnly cookie). Secrets are compared in constant time, passwords against
// the account's scrypt verifier, and wrong credentials slow down further attempts per address and per account
// (the AttemptLimiter: spacing, never the whole table forgotten at once).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AttemptLimiter, type AttemptRule, type KeyedRule } from '../net/index.js';
import { AccessLevel, checkConsoleVerifier, createConsoleVerifier, nameKey, type Store } from '../store/index.js';
import type { Logger } from '../runtime/index.js';
import { TooManyAttemptsError, UnauthorizedError } from './errors.js';

export interface Principal {
  /** Who acts: "token" for the bearer token, the username for an account. Written as `admin` on action log lines. */
  readonly who: string;
  readonly via: 'token' | 'account';
}

export interface SignedIn {
  readonly principal: Principal;
  readonly sessionId: string;
  readonly maxAgeSeconds: number;
}

export interface AdminAuthOptions {
  /** The bearer token; undefined: administrator accounts only. */
  readonly token: string | undefined;
  readonly store: Store | undefined;
  readonly log: Logger;
  readonly now?: () => number;
  readonly sessionTtlMs?: number;
  readonly maxSessions?: number;
  /** Wrong credentials from one address within `failureWindowMs` before its attempts are spaced out (429 meanwhile). */
  readonly maxFailures?: number;
  /** Wrong passwords for one account (from any address) before its attempts are spaced out. */
  readonly maxAccountFailures?: number;
  readonly failureWindowMs?: number;
  /** Addresses remembered at most (the least recent are forgotten one at a time past it). Default 10,000. */
  readonly maxTrackedAddresses?: number;
  /** The first spacing past a limit, doubling with each further failure up to the window. Default 1 s. */
  readonly firstSpacingMs?: number;
}

export const SESSION_COOKIE = 'imlight_admin';

interface AttemptKeys {
  readonly address: KeyedRule;
  readonly account: KeyedRule | undefined;
}

const MAX_USERNAME = 64;
const MAX_PASSWORD = 1024;
const MAX_TRACKED_KEYS = 10_000;
/** The first spacing past a limit (doubling with each further failure, up to the window). */
const FIRST_SPACING_MS = 1_000;

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The value of one cookie in a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function remoteOf(request: IncomingMessage): string {
  return request.socket.remoteAddress ?? 'unknown';
}

export class AdminAuth {
  readonly #token: Buffer | undefined;
  readonly #store: Store | undefined;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #sessionTtlMs: number;
  readonly #maxSessions: number;
  // Addresses and accounts in separate tables: spraying addresses cannot push an account's state out, and only
  // existing accounts are counted, so made-up names cannot either.
  readonly #limiter: AttemptLimiter;
  readonly #accounts: AttemptLimiter;
  readonly #addressRule: AttemptRule;
  readonly #accountRule: AttemptRule;
  readonly #sessions = new Map<string, { principal: Principal; expiresAt: number }>();
  // Checked for unknown usernames, so the time of a refusal does not tell which accounts exist.
  #dummyVerifier: Promise<string> | undefined;

  constructor(options: AdminAuthOptions) {
    this.#token = options.token === undefined ? undefined : digest(options.token);
    this.#store = options.store;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.#sessionTtlMs = options.sessionTtlMs ?? 12 * 60 * 60 * 1000;
    this.#maxSessions = options.maxSessions ?? 256;
    const windowMs = options.failureWindowMs ?? 5 * 60 * 1000;
    this.#limiter = new AttemptLimiter({ windowMs, maxWaitMs: 0, maxTracked: options.maxTrackedAddresses ?? MAX_TRACKED_KEYS });
    this.#accounts = new AttemptLimiter({ windowMs, maxWaitMs: 0, maxTracked: MAX_TRACKED_KEYS });
    const baseDelayMs = options.firstSpacingMs ?? FIRST_SPACING_MS;
    this.#addressRule = { freeFailures: options.maxFailures ?? 20, baseDelayMs, maxDelayMs: windowMs };
    this.#accountRule = { freeFailures: options.maxAccountFailures ?? 10, baseDelayMs, maxDelayMs: windowMs };
  }

  /** The caller of an API request, from its Authorization header or its console-session cookie. */
  async authenticate(request: IncomingMessage): Promise<Principal> {
    const remote = remoteOf(request);
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const space = authorization.indexOf(' ');
      const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
      const value = space < 0 ? '' : authorization.slice(space + 1).trim();
      if (scheme === 'bearer') {
        const keys = this.#admit(remote, undefined);
        return this.#checked(keys, remote, 'bearer token', this.#checkToken(value), false);
      }
      if (scheme === 'basic') {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        const username = colon < 0 ? undefined : decoded.slice(0, colon);
        const keys = this.#admit(remote, username);
        const checked = username === undefined ? { known: false } : await this.#checkAccount(username, decoded.slice(colon + 1));
        return this.#checked(keys, remote, 'account', checked.principal, checked.known);
      }
      throw new UnauthorizedError('unsupported Authorization scheme: use Bearer or Basic');
    }
    const sessionId = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (sessionId !== undefined) {
      const session = this.#sessions.get(sessionId);
      if (session !== undefined && session.expiresAt > this.#now()) return session.principal;
      this.#sessions.delete(sessionId);
      throw new UnauthorizedError('the console session has expired: sign in again');
    }
    throw new UnauthorizedError();
  }

  /** Opens a console session for the token or an administrator account. */
  async signIn(request: IncomingMessage, body: { token?: unknown; username?: unknown; password?: unknown }): Promise<SignedIn> {
    const remote = remoteOf(request);
    let checked: { principal?: Principal | undefined; known: boolean };
    let what: string;
    let keys: AttemptKeys;
    if (typeof body.token === 'string') {
      what = 'bearer token';
      keys = this.#admit(remote, undefined);
      checked = { principal: this.#checkToken(body.token), known: false };
    } else if (typeof body.username === 'string' && typeof body.password === 'string') {
      what = 'account';
      keys = this.#admit(remote, body.username);
      checked = await this.#checkAccount(body.username, body.password);
    } else {
      throw new UnauthorizedError('send { "token" } or { "username", "password" }');
    }
    const principal = this.#checked(keys, remote, what, checked.principal, checked.known);
    const sessionId = randomBytes(32).toString('base64url');
    if (this.#sessions.size >= this.#maxSessions) this.#sessions.delete(this.#sessions.keys().next().value!);
    this.#sessions.set(sessionId, { principal, expiresAt: this.#now() + this.#sessionTtlMs });
    this.#log.info({ admin: principal.who, via: principal.via, remote }, 'admin console sign-in');
    return { principal, sessionId, maxAgeSeconds: Math.floor(this.#sessionTtlMs / 1000) };
  }

  signOut(request: IncomingMessage): void {
    const sessionId = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (sessionId !== undefined) this.#sessions.delete(sessionId);
  }

  /** The throttle's keys of this attempt; throws 429 while the address or the account must wait. */
  #admit(remote: string, username: string | undefined): AttemptKeys {
    const address: KeyedRule = { key: `address:${remote}`, rule: this.#addressRule };
    // The store's own key of the name: no other spelling of an account gets fresh guesses.
    const account: KeyedRule | undefined = username === undefined || username.length > MAX_USERNAME
      ? undefined : { key: `account:${nameKey(username)}`, rule: this.#accountRule };
    const now = this.#now();
    let admission = account === undefined ? { allowed: true as const, waitMs: 0 } : this.#accounts.admit([account], now);
    if (admission.allowed) admission = this.#limiter.admit([address], now);
    if (!admission.allowed) {
      this.#log.warn({ remote, key: admission.key, retryAfterMs: admission.retryAfterMs }, 'admin console: sign-in refused, too many failures');
      throw new TooManyAttemptsError(Math.ceil(admission.retryAfterMs / 1000));
    }
    return { address, account };
  }

  #checked(keys: AttemptKeys, remote: string, what: string, principal: Principal | undefined, accountExists: boolean): Principal {
    if (principal !== undefined) {
      // The account's failures are forgotten; the address's are not (it may be guessing others).
      if (keys.account !== undefined) this.#accounts.succeed([keys.account.key]);
      return principal;
    }
    const now = this.#now();
    this.#limiter.fail([keys.address], now);
    if (keys.account !== undefined && accountExists) this.#accounts.fail([keys.account], now);
    this.#log.warn({ remote, credential: what }, 'admin console: credential refused');
    throw new UnauthorizedError('the credential was refused');
  }

  #checkToken(presented: string): Principal | undefined {
    if (this.#token === undefined) return undefined;
    return timingSafeEqual(digest(presented), this.#token) ? { who: 'token', via: 'token' } : undefined;
  }

  // The password is checked against the account's scrypt verifier (store: checkConsolePassword). An unknown user costs
  // the same scrypt, so timing does not tell names apart.
  async #checkAccount(username: string, password: string): Promise<{ principal?: Principal; known: boolean }> {
    if (this.#store === undefined || username.length === 0 || username.length > MAX_USERNAME || password.length > MAX_PASSWORD) return { known: false };
    const account = await this.#store.accounts.findByUsername(username);
    if (account === undefined) {
      this.#dummyVerifier ??= createConsoleVerifier(randomBytes(16).toString('hex'));
      await checkConsoleVerifier(await this.#dummyVerifier, password);
      return { known: false };
    }
    if (!(await this.#store.accounts.checkConsolePassword(account.id, password))) return { known: true };
    if (account.accessLevel !== AccessLevel.Administrator || account.locked) {
      this.#log.warn({ username: account.username, accessLevel: account.accessLevel, locked: account.locked }, 'admin console: account without administrator rights refused');
      return { known: true };
    }
    const bans = await this.#store.bans.activeBansFor({ accountId: account.id }, new Date(this.#now()));
    if (bans.length > 0) return { known: true };
    return { principal: { who: account.username, via: 'account' }, known: true };
  }
}
