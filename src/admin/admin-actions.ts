// The console's actions on players and servers. Every action, done or refused by its provider, is written to the log
// with who did it (`admin: <who>`) and kept in the recent-actions list the page shows.
import type { Logger } from '../runtime/index.js';
import type { AdminSources } from './admin-sources.js';
import type { Principal } from './admin-auth.js';
import { BadRequestError, NotAvailableError, NotFoundError } from './errors.js';
import { RingBuffer } from './ring-buffer.js';

export const AdminAction = {
  Kick: 'kick',
  Ban: 'ban',
  Unban: 'unban',
  Mute: 'mute',
  Drain: 'drain',
} as const;
export type AdminAction = (typeof AdminAction)[keyof typeof AdminAction];

export interface ActionRecord {
  readonly at: number;
  readonly who: string;
  readonly action: AdminAction;
  /** "account 12 (alice)" or "server Game". */
  readonly target: string;
  readonly done: boolean;
  readonly result: string;
}

export interface ActionResult {
  readonly done: boolean;
  readonly result: string;
}

export const MAX_BAN_MINUTES = 10 * 365 * 24 * 60;
export const MAX_MUTE_MINUTES = 30 * 24 * 60;
const MAX_REASON = 200;

export function checkReason(reason: unknown, fallback: string): string {
  if (reason === undefined || reason === null || reason === '') return fallback;
  if (typeof reason !== 'string' || reason.length > MAX_REASON) throw new BadRequestError(`reason must be a string of at most ${MAX_REASON} characters`);
  return reason;
}

export function checkMinutes(minutes: unknown, max: number, what: string): number {
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > max) throw new BadRequestError(`${what} must be a whole number of minutes from 1 to ${max}`);
  return minutes;
}

export class AdminActions {
  readonly recent: RingBuffer<ActionRecord>;
  readonly #sources: AdminSources;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #listeners = new Set<(record: ActionRecord) => void>();

  constructor(sources: AdminSources, log: Logger, options: { capacity?: number; now?: () => number } = {}) {
    this.#sources = sources;
    this.#log = log;
    this.#now = options.now ?? Date.now;
    this.recent = new RingBuffer(options.capacity ?? 100);
  }

  /** Called after each recorded action (the live feed pushes at once instead of waiting for its next tick). */
  onAction(fn: (record: ActionRecord) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  get available(): Record<AdminAction, boolean> {
    const s = this.#sources;
    return {
      kick: s.kick !== undefined,
      ban: s.store !== undefined,
      unban: s.store !== undefined,
      mute: s.mute !== undefined,
      drain: s.drain !== undefined,
    };
  }

  async kick(by: Principal, accountId: bigint, reason: unknown): Promise<ActionResult> {
    const kick = this.#sources.kick;
    if (kick === undefined) throw new NotAvailableError('kick');
    const why = checkReason(reason, 'kicked by an administrator');
    const target = await this.#accountTarget(accountId);
    return this.#run(by, AdminAction.Kick, target, { accountId: String(accountId), reason: why }, async () => {
      const found = await kick(accountId, by.who, why);
      return { done: found, result: found ? 'disconnected' : 'not online' };
    });
  }

  async ban(by: Principal, accountId: bigint, options: { minutes?: unknown; reason?: unknown }): Promise<ActionResult> {
    const store = this.#sources.store;
    if (store === undefined) throw new NotAvailableError('ban (no database)');
    const minutes = options.minutes === undefined || options.minutes === null ? undefined : checkMinutes(options.minutes, MAX_BAN_MINUTES, 'minutes');
    const reason = checkReason(options.reason, 'banned by an administrator');
    const target = await this.#accountTarget(accountId);
    const kick = this.#sources.kick;
    return this.#run(by, AdminAction.Ban, target, { accountId: String(accountId), minutes: minutes ?? null, reason }, async () => {
      const now = this.#now();
      const expiresAt = minutes === undefined ? null : new Date(now + minutes * 60_000);
      await store.bans.create({ accountId, reason: `${reason} (by ${by.who})`, expiresAt, now: new Date(now) });
      const length = minutes === undefined ? 'permanently' : `for ${minutes} min`;
      // The ban is committed: a failed disconnect must not report the whole action as failed.
      let kicked = '';
      if (kick !== undefined) {
        kicked = await kick(accountId, by.who, reason).then((found) => (found ? ', disconnected' : ''), (error: unknown) => `, but the disconnect failed: ${(error as Error).message}`);
      }
      return { done: true, result: `banned ${length}${kicked}` };
    });
  }

  async unban(by: Principal, accountId: bigint): Promise<ActionResult> {
    const store = this.#sources.store;
    if (store === undefined) throw new NotAvailableError('unban (no database)');
    const target = await this.#accountTarget(accountId);
    return this.#run(by, AdminAction.Unban, target, { accountId: String(accountId) }, async () => {
      const lifted = await store.bans.lift({ accountId }, new Date(this.#now()));
      return { done: lifted > 0, result: lifted > 0 ? `lifted ${lifted} ban${lifted === 1 ? '' : 's'}` : 'no active ban' };
    });
  }

  async mute(by: Principal, accountId: bigint, minutes: unknown): Promise<ActionResult> {
    const mute = this.#sources.mute;
    if (mute === undefined) throw new NotAvailableError('mute');
    const length = checkMinutes(minutes, MAX_MUTE_MINUTES, 'minutes');
    const target = await this.#accountTarget(accountId);
    return this.#run(by, AdminAction.Mute, target, { accountId: String(accountId), minutes: length }, async () => {
      const found = await mute(accountId, length, by.who);
      return { done: found, result: found ? `muted for ${length} min` : 'not online' };
    });
  }

  async drain(by: Principal, server: string): Promise<ActionResult> {
    const drain = this.#sources.drain;
    if (drain === undefined) throw new NotAvailableError('drain');
    if (server.length === 0 || server.length > 64) throw new BadRequestError('server names have 1 to 64 characters');
    return this.#run(by, AdminAction.Drain, `server ${server}`, { server }, async () => {
      const found = await drain(server, by.who);
      return { done: found, result: found ? 'draining' : 'no such server' };
    });
  }

  async #accountTarget(accountId: bigint): Promise<string> {
    const store = this.#sources.store;
    if (store === undefined) return `account ${accountId}`;
    const account = await store.accounts.get(accountId);
    if (account === undefined) throw new NotFoundError(`no account ${accountId}`);
    return `account ${accountId} (${account.username})`;
  }

  async #run(by: Principal, action: AdminAction, target: string, details: Record<string, unknown>, perform: () => Promise<ActionResult>): Promise<ActionResult> {
    let outcome: ActionResult;
    try {
      outcome = await perform();
    } catch (error) {
      this.#record({ at: this.#now(), who: by.who, action, target, done: false, result: `failed: ${(error as Error).message}` });
      this.#log.error({ admin: by.who, via: by.via, action, target, ...details, err: error }, 'admin action failed');
      throw error;
    }
    this.#record({ at: this.#now(), who: by.who, action, target, done: outcome.done, result: outcome.result });
    this.#log.info({ admin: by.who, via: by.via, action, target, ...details, done: outcome.done, result: outcome.result }, 'admin action');
    return outcome;
  }

  #record(record: ActionRecord): void {
    this.recent.push(record);
    for (const fn of this.#listeners) fn(record);
  }
}
