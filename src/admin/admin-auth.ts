// Who may use the admin console: the bearer token, an administrator account (HTTP Basic on the API, or a sign-in
// that opens a console session held in an HttpOnly cookie). Secrets are compared in constant time, and an address
// that keeps presenting wrong credentials is refused for a while.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AccessLevel, passwordHash, type Store } from '../store/index.js';
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
  /** Wrong credentials from one address within `failureWindowMs` before it is refused with 429. */
  readonly maxFailures?: number;
  readonly failureWindowMs?: number;
}

export const SESSION_COOKIE = 'imlight_admin';

const MAX_USERNAME = 64;
const MAX_PASSWORD = 1024;
const MAX_TRACKED_ADDRESSES = 10_000;

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
  readonly #maxFailures: number;
  readonly #failureWindowMs: number;
  readonly #sessions = new Map<string, { principal: Principal; expiresAt: number }>();
  readonly #failures = new Map<string, { count: number; since: number }>();

  constructor(options: AdminAuthOptions) {
    this.#token = options.token === undefined ? undefined : digest(options.token);
    this.#store = options.store;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.#sessionTtlMs = options.sessionTtlMs ?? 12 * 60 * 60 * 1000;
    this.#maxSessions = options.maxSessions ?? 256;
    this.#maxFailures = options.maxFailures ?? 20;
    this.#failureWindowMs = options.failureWindowMs ?? 5 * 60 * 1000;
  }

  /** The caller of an API request, from its Authorization header or its console-session cookie. */
  async authenticate(request: IncomingMessage): Promise<Principal> {
    const remote = remoteOf(request);
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      this.#checkThrottle(remote);
      const space = authorization.indexOf(' ');
      const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
      const value = space < 0 ? '' : authorization.slice(space + 1).trim();
      if (scheme === 'bearer') return this.#checked(remote, 'bearer token', this.#checkToken(value));
      if (scheme === 'basic') {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        const principal = colon < 0 ? undefined : await this.#checkAccount(decoded.slice(0, colon), decoded.slice(colon + 1));
        return this.#checked(remote, 'account', principal);
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
    this.#checkThrottle(remote);
    let principal: Principal | undefined;
    let what: string;
    if (typeof body.token === 'string') {
      what = 'bearer token';
      principal = this.#checkToken(body.token);
    } else if (typeof body.username === 'string' && typeof body.password === 'string') {
      what = 'account';
      principal = await this.#checkAccount(body.username, body.password);
    } else {
      throw new UnauthorizedError('send { "token" } or { "username", "password" }');
    }
    this.#checked(remote, what, principal);
    const sessionId = randomBytes(32).toString('base64url');
    if (this.#sessions.size >= this.#maxSessions) this.#sessions.delete(this.#sessions.keys().next().value!);
    this.#sessions.set(sessionId, { principal: principal!, expiresAt: this.#now() + this.#sessionTtlMs });
    this.#log.info({ admin: principal!.who, via: principal!.via, remote }, 'admin console sign-in');
    return { principal: principal!, sessionId, maxAgeSeconds: Math.floor(this.#sessionTtlMs / 1000) };
  }

  signOut(request: IncomingMessage): void {
    const sessionId = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (sessionId !== undefined) this.#sessions.delete(sessionId);
  }

  #checked(remote: string, what: string, principal: Principal | undefined): Principal {
    if (principal !== undefined) return principal;
    const now = this.#now();
    const entry = this.#failures.get(remote);
    if (entry === undefined || now - entry.since > this.#failureWindowMs) {
      if (this.#failures.size >= MAX_TRACKED_ADDRESSES) this.#failures.clear();
      this.#failures.set(remote, { count: 1, since: now });
    } else {
      entry.count++;
    }
    this.#log.warn({ remote, credential: what }, 'admin console: credential refused');
    throw new UnauthorizedError('the credential was refused');
  }

  #checkThrottle(remote: string): void {
    const entry = this.#failures.get(remote);
    if (entry === undefined) return;
    if (this.#now() - entry.since > this.#failureWindowMs) this.#failures.delete(remote);
    else if (entry.count >= this.#maxFailures) throw new TooManyAttemptsError();
  }

  #checkToken(presented: string): Principal | undefined {
    if (this.#token === undefined) return undefined;
    return timingSafeEqual(digest(presented), this.#token) ? { who: 'token', via: 'token' } : undefined;
  }

  // The account's stored credential is base64(SHA-512(password)); the presented password is hashed the same way and
  // the two compared in constant time. An unknown user costs the same hash, so timing does not tell names apart.
  async #checkAccount(username: string, password: string): Promise<Principal | undefined> {
    if (this.#store === undefined || username.length === 0 || username.length > MAX_USERNAME || password.length > MAX_PASSWORD) return undefined;
    const presented = Buffer.from(passwordHash(password), 'base64');
    const account = await this.#store.accounts.findByUsername(username);
    const stored = account === undefined ? undefined : await this.#store.accounts.credentialFor(account.id);
    const expected = stored === undefined ? Buffer.alloc(presented.length) : Buffer.from(stored, 'base64');
    const matches = expected.length === presented.length && timingSafeEqual(expected, presented) && stored !== undefined;
    if (!matches || account === undefined) return undefined;
    if (account.accessLevel !== AccessLevel.Administrator || account.locked) {
      this.#log.warn({ username: account.username, accessLevel: account.accessLevel, locked: account.locked }, 'admin console: account without administrator rights refused');
      return undefined;
    }
    const bans = await this.#store.bans.activeBansFor({ accountId: account.id }, new Date(this.#now()));
    if (bans.length > 0) return undefined;
    return { who: account.username, via: 'account' };
  }
}
