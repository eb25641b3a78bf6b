// SQLite through better-sqlite3, in WAL mode. Durability: 'full' (default) acknowledges a write
// only once the WAL holding it is fsynced, so it survives a process kill and a power cut; the
// fsync runs off the event loop (wal-sync.ts), not inside COMMIT. 'normal' acknowledges at
// COMMIT: the WAL append has reached the OS, which keeps it across a process kill but not
// across a power cut or kernel crash. In WAL mode the connection itself runs synchronous=NORMAL,
// which never corrupts the database; the guarantees above come on top of it.
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Backend } from '../backend.js';
import { StoreConfigError } from '../errors.js';
import type { Database } from '../schema.js';
import { GroupCommit } from './group-commit.js';
import { StatementCache } from './statement-cache.js';
import { WalSync } from './wal-sync.js';

export interface SqliteBackendOptions {
  readonly path: string;
  readonly synchronous?: 'full' | 'normal';
  /** How long a writer waits for another process holding the write lock. */
  readonly busyTimeoutMs?: number;
}

// Stores opened on one file in one process share its connection. better-sqlite3 is
// synchronous: a second connection of the same thread waiting on the write lock would block
// the event loop that the first connection needs to finish its transaction (a self-deadlock
// until busy_timeout). Other processes are separate threads and simply wait for the lock.
const shared = new Map<string, { backend: Backend; refs: number }>();

export function openSqliteBackend(options: SqliteBackendOptions): Backend {
  if (options.path === ':memory:') return createSqliteBackend(options);
  const key = resolve(options.path);
  let entry = shared.get(key);
  if (entry === undefined) {
    entry = { backend: createSqliteBackend(options), refs: 0 };
    shared.set(key, entry);
  }
  entry.refs++;
  const owner = entry;
  let closed = false;
  return {
    ...owner.backend,
    async close() {
      if (closed) return;
      closed = true;
      owner.refs--;
      if (owner.refs === 0) {
        shared.delete(key);
        await owner.backend.close();
      }
    },
  };
}

// The database holds everything a player owns: only its owner may read it. A new folder is 0700; the
// file is created 0600 before SQLite opens it (SQLite gives its -wal and -shm files the database
// file's mode), and an older file readable by others is tightened.
function restrictFiles(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  if (process.platform === 'win32') return;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

function createSqliteBackend(options: SqliteBackendOptions): Backend {
  let database: BetterSqlite3.Database;
  try {
    if (options.path !== ':memory:') restrictFiles(options.path);
    database = new BetterSqlite3(options.path);
  } catch (error) {
    throw new StoreConfigError(`cannot open the SQLite database at ${options.path}`, { cause: error });
  }
  database.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  const journal = String(database.pragma('journal_mode = WAL', { simple: true })).toLowerCase();
  // Without WAL (a file system that cannot share memory, an in-memory database) there is no WAL
  // file to sync apart: SQLite then syncs inside COMMIT itself when 'full' is asked for.
  const walSynced = journal === 'wal' && options.synchronous !== 'normal';
  database.pragma(`synchronous = ${walSynced || options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  database.pragma('foreign_keys = ON');
  // Ids are 64-bit GIDs: without this, integers above 2^53 would come back as rounded numbers.
  database.defaultSafeIntegers(true);

  const statements = new StatementCache(database);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  const wal = walSynced ? new WalSync(resolve(options.path)) : undefined;
  const commits = new GroupCommit(db, {
    control: (statement) => statements.prepare(statement).run([]),
    inTransaction: () => database.inTransaction,
    ...(wal === undefined ? {} : { durable: () => wal.sync() }),
  });

  return {
    kind: 'sqlite',
    db,
    migrationTableSchema: undefined,
    writeTransaction: (fn) => commits.transaction(fn),
    write: (fn) => commits.statement(fn),
    async lockAccount(trx, accountId) {
      // The immediate transaction already excludes every other writer.
      const row = await trx.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst();
      return row !== undefined;
    },
    async lockName() {},
    isUniqueViolation(error) {
      const code = (error as { code?: unknown } | null)?.code;
      return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
    },
    async close() {
      await commits.settled();
      await wal?.close();
      await db.destroy();
    },
  };
}
