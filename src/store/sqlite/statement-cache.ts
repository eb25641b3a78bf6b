// Kysely's SQLite driver prepares every query it runs; preparing (parse and plan) costs more
// than running the small indexed statements the store issues. This wrapper hands Kysely a
// prepared statement per SQL text from a small LRU. Parameters are bound at each run, and the
// store's SQL texts are a fixed set (values never appear in the text), so the cache stays warm.
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export const defaultStatementCacheSize = 128;

export class StatementCache implements SqliteDatabase {
  readonly #database: BetterSqlite3.Database;
  readonly #capacity: number;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(database: BetterSqlite3.Database, capacity = defaultStatementCacheSize) {
    this.#database = database;
    this.#capacity = Math.max(1, Math.trunc(capacity));
  }

  get size(): number {
    return this.#statements.size;
  }

  prepare(sql: string): SqliteStatement {
    const cached = this.#statements.get(sql);
    if (cached !== undefined) {
      // A statement being iterated (a streamed query) cannot run again until it is done.
      if (cached.busy) return this.#database.prepare(sql);
      // Map order is insertion order: re-inserting marks it most recently used.
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const statement = this.#database.prepare(sql);
    this.#statements.set(sql, statement);
    if (this.#statements.size > this.#capacity) {
      const oldest = this.#statements.keys().next().value as string;
      this.#statements.delete(oldest);
    }
    return statement;
  }

  close(): void {
    this.#statements.clear();
    this.#database.close();
  }
}
