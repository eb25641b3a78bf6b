// The console's account browser: search accounts by name, view one (its characters and bans), lock, unlock and
// reset its password. Bans and unbans go through the player actions (/api/players/<id>/ban), which also kick.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../runtime/index.js';
import type { Account, Store } from '../store/index.js';
import type { Principal } from './admin-auth.js';
import { BadRequestError, NotAvailableError, NotFoundError } from './errors.js';
import { parseAccountId, readJsonBody, sendJson } from './http-io.js';

export type AccountRoute = (request: IncomingMessage, response: ServerResponse, principal: Principal, match: RegExpMatchArray) => Promise<void>;

/** Accounts listed by one search at most. */
export const MAX_SEARCH_RESULTS = 100;
const MAX_QUERY = 64;
/** Accounts scanned by one search: the store lists by id; a name filter runs here. */
const SCAN_LIMIT = 100_000;

function accountView(account: Account, banned: boolean): Record<string, unknown> {
  return {
    id: String(account.id), username: account.username, accessLevel: account.accessLevel, locked: account.locked, banned,
    createdAt: account.createdAt.getTime(), lastLoginAt: account.lastLoginAt?.getTime() ?? null,
  };
}

export function accountRoutes(store: Store | undefined, log: Logger): { get: Array<[RegExp, AccountRoute]>; post: Array<[RegExp, AccountRoute]> } {
  const needStore = (): Store => {
    if (store === undefined) throw new NotAvailableError('this process has no database');
    return store;
  };
  const activeBans = async (s: Store): Promise<Set<bigint>> =>
    new Set((await s.bans.list({ activeAt: new Date() })).map((b) => b.accountId).filter((id): id is bigint => id !== null));
  const find = async (s: Store, id: bigint): Promise<Account> => {
    const account = await s.accounts.get(id);
    if (account === undefined) throw new NotFoundError(`no account ${id}`);
    return account;
  };

  const get: Array<[RegExp, AccountRoute]> = [
    [/^\/api\/accounts$/, async (request, response) => {
      const s = needStore();
      const query = new URL(request.url ?? '/', 'http://console').searchParams.get('q') ?? '';
      if (query.length > MAX_QUERY) throw new BadRequestError(`a search is at most ${MAX_QUERY} characters`);
      const needle = query.toLowerCase();
      const matches = (await s.accounts.list({ limit: SCAN_LIMIT })).filter((a) => a.username.toLowerCase().includes(needle));
      const banned = await activeBans(s);
      sendJson(response, 200, { total: matches.length, items: matches.slice(0, MAX_SEARCH_RESULTS).map((a) => accountView(a, banned.has(a.id))) });
    }],
    [/^\/api\/accounts\/([^/]+)$/, async (_request, response, _principal, match) => {
      const s = needStore();
      const account = await find(s, parseAccountId(match[1]!));
      const [characters, bans, online] = await Promise.all([s.characters.listByAccount(account.id), s.bans.list({ activeAt: new Date() }), s.onlinePlayers.findByAccount(account.id)]);
      const own = bans.filter((b) => b.accountId === account.id);
      sendJson(response, 200, {
        ...accountView(account, own.length > 0),
        online: online.map((o) => ({ server: o.server, session: String(o.sessionId) })),
        characters: characters.map((c) => ({ id: String(c.id), name: c.name, zone: c.zoneName, updatedAt: c.updatedAt.getTime() })),
        bans: own.map((b) => ({ id: String(b.id), reason: b.reason, createdAt: b.createdAt.getTime(), expiresAt: b.expiresAt?.getTime() ?? null })),
      });
    }],
  ];

  const post: Array<[RegExp, AccountRoute]> = [
    [/^\/api\/accounts\/([^/]+)\/(lock|unlock|reset-password)$/, async (request, response, principal, match) => {
      const s = needStore();
      await readJsonBody(request);
      const account = await find(s, parseAccountId(match[1]!));
      const action = match[2]!;
      const target = `account ${account.id} (${account.username})`;
      if (action === 'reset-password') {
        // Shown once to the administrator, who hands it to the player; never logged.
        const password = randomBytes(12).toString('base64url');
        await s.accounts.setPassword(account.id, password);
        log.info({ admin: principal.who, via: principal.via, action, target, accountId: String(account.id) }, 'admin action');
        sendJson(response, 200, { done: true, result: 'password reset', password });
        return;
      }
      await s.accounts.setLocked(account.id, action === 'lock');
      log.info({ admin: principal.who, via: principal.via, action, target, accountId: String(account.id) }, 'admin action');
      sendJson(response, 200, { done: true, result: action === 'lock' ? 'locked' : 'unlocked' });
    }],
  ];
  return { get, post };
}
