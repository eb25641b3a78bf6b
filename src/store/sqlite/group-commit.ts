// Group commit for SQLite: writes that arrive while one is being committed are run together in
// the next transaction, one savepoint each, and committed (one WAL fsync) together. Each write
// keeps its own outcome: a failing one is rolled back to its savepoint and rejects alone; every
// caller's promise settles only after the COMMIT, so nothing is acknowledged before it is durable.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

interface PendingWrite {
  readonly run: (trx: Kysely<Database>) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Bounds one transaction so a flood of writes cannot hold the write lock for long. */
const maxBatch = 256;

export class GroupCommit {
  readonly #db: Kysely<Database>;
  readonly #inTransaction: () => boolean;
  #queue: PendingWrite[] = [];
  #flushing = false;

  constructor(db: Kysely<Database>, inTransaction: () => boolean) {
    this.#db = db;
    this.#inTransaction = inTransaction;
  }

  run<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run: fn, resolve: resolve as (value: unknown) => void, reject });
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
      batch.forEach((write, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) write.resolve(outcome.value);
        else write.reject(outcome.error);
      });
    }
    this.#flushing = false;
  }

  #commit(batch: readonly PendingWrite[]): Promise<Outcome[]> {
    return this.#db.connection().execute(async (connection) => {
      // BEGIN IMMEDIATE takes the write lock up front, so read-then-write checks (character
      // limit, name uniqueness) cannot interleave with another process's writer, and a busy
      // database waits at BEGIN (busy_timeout) instead of failing at the first write.
      await sql`begin immediate`.execute(connection);
      try {
        const outcomes: Outcome[] = [];
        for (const write of batch) {
          await sql`savepoint imlight_write`.execute(connection);
          try {
            const value = await write.run(connection);
            await sql`release imlight_write`.execute(connection);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await sql`rollback to imlight_write`.execute(connection);
            await sql`release imlight_write`.execute(connection);
            outcomes.push({ ok: false, error });
          }
        }
        await sql`commit`.execute(connection);
        return outcomes;
      } catch (error) {
        if (this.#inTransaction()) await sql`rollback`.execute(connection);
        throw error;
      }
    });
  }
}
