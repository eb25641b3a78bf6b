// The players of one game server: who plays on which session, in which zone, and the mutes of the accounts. The
// GameServer actor owns one and is the only one to touch it; it holds no refs but the players' sessions and does no
// I/O, so it is a plain object, tested on its own.
import type { ActorRef } from '../../runtime/index.js';
import type { SessionCommand } from '../../net/index.js';
import { GameErrorCode } from './errors.js';
import type { OnlineEntry, PlayerSummary, RegisterPlayerReply } from './messages.js';

interface Player extends OnlineEntry {
  zone: string;
}

/** A newer session of an account waiting for its older session on this server to end (and save). */
export interface PendingAdmission {
  readonly entry: OnlineEntry;
  readonly replyTo: ActorRef<RegisterPlayerReply>;
}

export class GameRoster {
  readonly #capacity: number;
  readonly #clock: () => number;
  readonly #players = new Map<number, Player>();
  readonly #byAccount = new Map<bigint, number>();
  /** Mutes live here, per account, while the server runs: Unix ms until which each account is muted. */
  readonly #muted = new Map<bigint, number>();
  readonly #pendingOlder = new Map<number, PendingAdmission>();

  /** `clock`: wall clock, Unix ms (mutes are compared with it). */
  constructor(capacity: number, clock: () => number) {
    this.#capacity = capacity;
    this.#clock = clock;
  }

  get size(): number {
    return this.#players.size;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** The session of the account's player on this server, if it plays here. */
  sessionOf(accountId: bigint): ActorRef<SessionCommand> | undefined {
    const sid = this.#byAccount.get(accountId);
    return sid === undefined ? undefined : this.#players.get(sid)?.session;
  }

  /**
   * The session id of an older session of the same account still playing here: the new one must wait for it to end
   * (and save) before it loads the character, so it starts from the saved place.
   */
  olderSessionOf(entry: OnlineEntry): number | undefined {
    const older = this.#byAccount.get(entry.accountId);
    return older !== undefined && older !== entry.sid && this.#players.has(older) ? older : undefined;
  }

  holdUntilEnded(older: number, pending: PendingAdmission): void {
    this.#pendingOlder.set(older, pending);
  }

  /** The admission that waited for session `sid` to end, now free to go on. */
  takeHeld(sid: number): PendingAdmission | undefined {
    const pending = this.#pendingOlder.get(sid);
    if (pending !== undefined) this.#pendingOlder.delete(sid);
    return pending;
  }

  /** Adds the player, or says why not (the server is full). */
  admit(entry: OnlineEntry): RegisterPlayerReply {
    if (this.#players.size >= this.#capacity) return { ok: false, code: GameErrorCode.ServerFull, detail: `the server is full (${this.#capacity} players)` };
    this.#players.set(entry.sid, { ...entry, zone: '' });
    this.#byAccount.set(entry.accountId, entry.sid);
    return { ok: true, mutedUntil: this.mutedUntil(entry.accountId) };
  }

  /** The player of session `sid` left; true when it was a player (not a session that ended mid-attach). */
  remove(sid: number): boolean {
    const player = this.#players.get(sid);
    if (player === undefined) return false;
    this.#players.delete(sid);
    if (this.#byAccount.get(player.accountId) === sid) this.#byAccount.delete(player.accountId);
    return true;
  }

  setZone(sid: number, zone: string): void {
    const player = this.#players.get(sid);
    if (player !== undefined) player.zone = zone;
  }

  list(): PlayerSummary[] {
    return [...this.#players.values()].map((p) => ({ name: p.name, characterId: p.characterId, accountId: p.accountId, zone: p.zone, mutedUntil: this.mutedUntil(p.accountId) }));
  }

  /** The player of that character name (any case). */
  find(name: string): OnlineEntry | undefined {
    const wanted = name.toLowerCase();
    return [...this.#players.values()].find((p) => p.name.toLowerCase() === wanted);
  }

  /** `until`: Unix ms; a time already past lifts the mute. */
  setMuted(accountId: bigint, until: number): void {
    if (until > this.#clock()) this.#muted.set(accountId, until);
    else this.#muted.delete(accountId);
  }

  /** Unix ms until which the account is muted, 0 when it is not (an expired mute is forgotten). */
  mutedUntil(accountId: bigint): number {
    const until = this.#muted.get(accountId);
    if (until === undefined) return 0;
    if (until > this.#clock()) return until;
    this.#muted.delete(accountId);
    return 0;
  }

  /** The sessions of every player, to broadcast. */
  sessions(): IterableIterator<ActorRef<SessionCommand>> {
    return mapIterator(this.#players.values(), (p) => p.session);
  }
}

function* mapIterator<T, R>(items: Iterable<T>, fn: (item: T) => R): IterableIterator<R> {
  for (const item of items) yield fn(item);
}
