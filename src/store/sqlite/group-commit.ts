// Group commit for SQLite: writes that arrive while one is being committed are run together in
// the next transaction, one savepoint each, and committed together. Each write keeps its own
// outcome: a failing one is rolled back to its savepoint and rejects alone; every caller's
// promise settles only after the COMMIT (and, when `durable` is given, after the WAL holding it
// is on stable storage), so nothing is acknowledged before it is durable.
//
// The flush to disk runs off the event loop (see wal-sync.ts): while one batch's WAL is being
// synced, the next batch is already executing, and the batches committed meanwhile share the
// next sync. Throughput is then bound by the statements' CPU, not by the disk's fsync rate.
import type { Kysely } from 'kysely';
import { SyncError } from '../errors.js';
import type { Database } from '../schema.js';

interface PendingWrite {
  readonly run: (trx: Kysely<Database>) => Promise<unknown>;
  /** A single statement is atomic by itself in SQLite: it needs no savepoint of its own. */
  readonly singleStatement: boolean;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Bounds one transaction so a flood of writes cannot hold the write lock for long. */
const maxBatch = 256;

export interface GroupCommitOptions {
  /**
   * Runs a transaction-control statement (BEGIN, SAVEPOINT, COMMIT...) on the connection the
   * Kysely instance uses, synchronously: these fixed texts gain nothing from the query builder.
   */
  readonly control: (statement: string) => void;
  /** Whether the connection has a transaction open (SQLite rolls back on its own after some errors). */
  readonly inTransaction: () => boolean;
  /** Resolves once everything committed so far is on stable storage; absent: COMMIT is enough. */
  readonly durable?: () => Promise<void>;
}

export class GroupCommit {
  readonly #db: Kysely<Database>;
  readonly #control: (statement: string) => void;
  readonly #inTransaction: () => boolean;
  readonly #durable: (() => Promise<void>) | undefined;
  #queue: PendingWrite[] = [];
  #flushing = false;
  /** Syncs whose writes are still waiting to be acknowledged. */
  readonly #syncing = new Set<Promise<void>>();

  constructor(db: Kysely<Database>, options: GroupCommitOptions) {
    this.#db = db;
    this.#control = options.control;
    this.#inTransaction = options.inTransaction;
    this.#durable = options.durable;
  }

  /** `fn` may run several statements; they commit or roll back together. */
  transaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.#enqueue(fn, false);
  }

  /** `fn` runs exactly one statement. */
  statement<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.#enqueue(fn, true);
  }

  #enqueue<T>(fn: (trx: Kysely<Database>) => Promise<T>, singleStatement: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run: fn, singleStatement, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#flushing) {
        this.#flushing = true;
        // Let the writes issued in this turn of the event loop join the same transaction.
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, maxBatch);
      let outcomes: Outcome[];
      try {
        outcomes = await this.#commit(batch);
      } catch (error) {
        // BEGIN or COMMIT failed (busy past the timeout, disk full): nothing of the batch is durable.
        outcomes = batch.map(() => ({ ok: false, error }));
      }
      this.#settle(batch, outcomes);
    }
    this.#flushing = false;
  }

  // Not awaited by the flush loop: the next batch runs while this one's WAL is being synced.
  #settle(batch: readonly PendingWrite[], outcomes: readonly Outcome[]): void {
    const committed: Array<{ write: PendingWrite; value: unknown }> = [];
    batch.forEach((write, i) => {
      const outcome = outcomes[i]!;
      if (!outcome.ok) write.reject(outcome.error);
      else if (this.#durable === undefined) write.resolve(outcome.value);
      else committed.push({ write, value: outcome.value });
    });
    if (committed.length === 0 || this.#durable === undefined) return;
    const acknowledged = this.#durable().then(
      () => {
        for (const { write, value } of committed) write.resolve(value);
      },
      (error: unknown) => {
        const failure = new SyncError({ cause: error });
        for (const { write } of committed) write.reject(failure);
      },
    );
    this.#syncing.add(acknowledged);
    void acknowledged.finally(() => this.#syncing.delete(acknowledged));
  }

  /** Resolves once every write issued so far has settled (before closing the connection). */
  async settled(): Promise<void> {
    while (this.#flushing || this.#queue.length > 0 || this.#syncing.size > 0) {
      if (this.#syncing.size > 0) await Promise.all(this.#syncing);
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  #commit(batch: readonly PendingWrite[]): Promise<Outcome[]> {
    const control = this.#control;
    // Holding Kysely's connection keeps its other users (reads, migrations) off it meanwhile.
    return this.#db.connection().execute(async (connection) => {
      // BEGIN IMMEDIATE takes the write lock up front, so read-then-write checks (character
      // limit, name uniqueness) cannot interleave with another process's writer, and a busy
      // database waits at BEGIN (busy_timeout) instead of failing at the first write.
      control('begin immediate');
      try {
        const outcomes: Outcome[] = [];
        for (const write of batch) {
          if (!write.singleStatement) control('savepoint imlight_write');
          try {
            const value = await write.run(connection);
            if (!write.singleStatement) control('release imlight_write');
            outcomes.push({ ok: true, value });
          } catch (error) {
            // Some errors (I/O, disk full) end the whole transaction: the batch fails as one.
            if (!this.#inTransaction()) throw error;
            if (!write.singleStatement) {
              control('rollback to imlight_write');
              control('release imlight_write');
            }
            outcomes.push({ ok: false, error });
          }
        }
        control('commit');
        return outcomes;
      } catch (error) {
        if (this.#inTransaction()) control('rollback');
        throw error;
      }
    });
  }
}
