// OnlinePlayers: who is online, on which server, in which session. The store's table is the
// authority shared by every process; this actor adds the login server's own sessions (to close an
// older one on a duplicate login) and applies the duplicate-login policy.
import { Actor, type ActorContext, type ActorRef, type Handlers } from '../../runtime/index.js';
import type { SessionCommand } from '../../net/index.js';
import type { Store } from '../../store/index.js';
import { DuplicateLoginPolicy } from './login-settings.js';
import type { ClaimAccount, IsOnline, OnlinePlayersMessage, RecordAdmitted, ReleaseSession } from './login-messages.js';
import type { KickOnServer } from './pool-messages.js';

export interface OnlinePlayersInit {
  readonly store: Store;
  /** This login server's name in the store's server column. */
  readonly serverName: string;
  readonly policy: DuplicateLoginPolicy;
  readonly pool: ActorRef<KickOnServer>;
  /** Wall clock, Unix ms: when each entry went online. */
  readonly clock: () => number;
}

const FLUSH = Object.freeze({ type: 'online.flush' as const });
const WRITE_WINDOW_MS = 10;

interface LocalSession {
  readonly accountId: bigint;
  readonly session: ActorRef<SessionCommand>;
  recorded: boolean;
}

export class OnlinePlayers extends Actor<OnlinePlayersMessage> {
  readonly #init: OnlinePlayersInit;
  readonly #bySid = new Map<number, LocalSession>();
  readonly #sidByAccount = new Map<bigint, number>();
  #pending: Array<{ write: () => Promise<unknown>; what: string }> = [];

  constructor(context: ActorContext<OnlinePlayersMessage>, init: OnlinePlayersInit) {
    super(context);
    this.#init = init;
  }

  readonly receive: Handlers<OnlinePlayersMessage> = {
    'online.claim': (m) =>
      this.#claim(m).catch((error: unknown) => {
        this.context.log.error({ err: error, accountId: String(m.accountId) }, 'duplicate-login check failed');
        m.replyTo.tell({ type: 'online.claim-refused', reason: 'the online-player table is unavailable' });
      }),
    'online.admitted': (m) => this.#admitted(m).catch((error: unknown) => this.#storeFailed(error, 'record')),
    'online.release': (m) => this.#release(m).catch((error: unknown) => this.#storeFailed(error, 'remove')),
    'online.flush': () => this.#flush(),
    'online.is-online': (m) =>
      this.#isOnline(m).catch((error: unknown) => {
        this.#storeFailed(error, 'look up');
        m.replyTo.tell(false);
      }),
  };

  override postStop(): void {
    this.#flush();
  }

  // A store failure must not restart this actor: its map of live sessions would be lost.
  #storeFailed(error: unknown, what: string): void {
    this.context.log.error({ err: error }, `cannot ${what} an online-player entry`);
  }

  async #claim({ accountId, sid, session, replyTo }: ClaimAccount): Promise<void> {
    const { store, serverName, policy, pool } = this.#init;
    const log = this.context.log;
    const localSid = this.#sidByAccount.get(accountId);
    const entries = (await store.onlinePlayers.findByAccount(accountId)).filter((e) => !(e.server === serverName && Number(e.sessionId) === sid));
    const elsewhere = entries.filter((e) => e.server !== serverName);
    const online = (localSid !== undefined && localSid !== sid) || elsewhere.length > 0;
    if (online && policy === DuplicateLoginPolicy.RefuseNew) {
      replyTo.tell({ type: 'online.claim-refused', reason: 'the account is already online' });
      return;
    }
    let displaced = 0;
    if (localSid !== undefined && localSid !== sid) {
      const older = this.#bySid.get(localSid);
      if (older !== undefined) {
        log.info({ accountId: String(accountId), olderSid: localSid, sid }, 'duplicate login: closing the older login session');
        older.session.tell({ type: 'net.close', reason: 'duplicate login' });
        this.#forget(localSid);
        // Its entry may not be committed yet (writes are not awaited): a remove issued now lands after it.
        if (older.recorded) this.#queueWrite(() => store.onlinePlayers.remove(serverName, BigInt(localSid)), 'remove');
        displaced++;
      }
    }
    for (const entry of entries) {
      if (entry.server === serverName) {
        // An entry of this server with no live session: left behind by a crash; it goes.
        if (Number(entry.sessionId) !== localSid && !this.#bySid.has(Number(entry.sessionId))) await store.onlinePlayers.remove(entry.server, entry.sessionId);
        continue;
      }
      log.info({ accountId: String(accountId), server: entry.server, sessionId: String(entry.sessionId) }, 'duplicate login: disconnecting the older session on a game server');
      pool.tell({ type: 'pool.kick-on-server', server: entry.server, accountId, reason: 'duplicate login' });
      // The game server removes its own entry as the player leaves; removing it here too keeps a
      // server that no longer answers from blocking the account.
      await store.onlinePlayers.remove(entry.server, entry.sessionId);
      displaced++;
    }
    this.#bySid.set(sid, { accountId, session, recorded: false });
    this.#sidByAccount.set(accountId, sid);
    replyTo.tell({ type: 'online.claimed', displaced });
  }

  // Writes are not awaited: the actor would otherwise take one commit (an fsync) per login in turn.
  // They are issued in order on one store, so a session's put always lands before its remove.
  // Another login's claim may not see an entry still in the write window; the local map covers
  // this server's sessions, and other servers' entries are written by them.
  async #admitted({ accountId, sid }: RecordAdmitted): Promise<void> {
    const local = this.#bySid.get(sid);
    if (local === undefined || local.accountId !== accountId) return;
    local.recorded = true;
    const since = new Date(this.#init.clock());
    this.#queueWrite(() => this.#init.store.onlinePlayers.put({ server: this.#init.serverName, sessionId: BigInt(sid), accountId, characterId: null, since }), 'record');
  }

  async #release({ sid }: ReleaseSession): Promise<void> {
    const local = this.#bySid.get(sid);
    if (local === undefined) return;
    this.#forget(sid);
    if (local.recorded) this.#queueWrite(() => this.#init.store.onlinePlayers.remove(this.#init.serverName, BigInt(sid)), 'remove');
  }

  #write(promise: Promise<unknown>, what: string): void {
    promise.catch((error: unknown) => this.#storeFailed(error, what));
  }

  // Entry writes wait up to WRITE_WINDOW_MS and go out together: the store commits the writes issued
  // in one turn as one transaction, so many logins share one commit (one fsync) instead of one each.
  #queueWrite(write: () => Promise<unknown>, what: string): void {
    this.#pending.push({ write, what });
    if (!this.context.timers.isActive('flush')) this.context.timers.startSingle('flush', FLUSH, WRITE_WINDOW_MS);
  }

  #flush(): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const { write, what } of pending) this.#write(write(), what);
  }

  async #isOnline({ accountId, replyTo }: IsOnline): Promise<void> {
    if (this.#sidByAccount.has(accountId)) {
      replyTo.tell(true);
      return;
    }
    replyTo.tell((await this.#init.store.onlinePlayers.findByAccount(accountId)).length > 0);
  }

  #forget(sid: number): void {
    const local = this.#bySid.get(sid);
    if (local === undefined) return;
    this.#bySid.delete(sid);
    if (this.#sidByAccount.get(local.accountId) === sid) this.#sidByAccount.delete(local.accountId);
  }
}
