// The SQLite back end's parts on their own: the prepared-statement cache, the WAL sync that
// acknowledges writes only once they are on disk, and the group commit that waits for it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { StoreErrorCode } from '../../src/store/index.js';
import type { Database } from '../../src/store/schema.js';
import { GroupCommit } from '../../src/store/sqlite/group-commit.js';
import { StatementCache } from '../../src/store/sqlite/statement-cache.js';
import { WalSync } from '../../src/store/sqlite/wal-sync.js';

const dir = mkdtempSync(join(tmpdir(), 'imlight-sqlite-internals-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function walDatabase(): { path: string; database: BetterSqlite3.Database } {
  const path = join(dir, `db-${files++}.sqlite`);
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.exec('create table t (id integer primary key, name text not null unique)');
  return { path, database };
}

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Settles the promise's state after the event loop has had a few turns. */
async function state(promise: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  let result: 'pending' | 'resolved' | 'rejected' = 'pending';
  promise.then(() => (result = 'resolved'), () => (result = 'rejected'));
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  return result;
}

describe('the statement cache', () => {
  it('hands back the statement prepared for the same SQL and evicts the least recently used one', () => {
    const { database } = walDatabase();
    const cache = new StatementCache(database, 2);
    try {
      const a = cache.prepare('select 1 as a');
      const b = cache.prepare('select 2 as b');
      assert.equal(cache.prepare('select 1 as a'), a);
      cache.prepare('select 3 as c');
      assert.equal(cache.size, 2);
      assert.equal(cache.prepare('select 1 as a'), a, 'used recently: kept');
      assert.notEqual(cache.prepare('select 2 as b'), b, 'least recently used: evicted and prepared again');
    } finally {
      cache.close();
    }
  });

  it('prepares a fresh statement while the cached one is being iterated', () => {
    const { database } = walDatabase();
    const cache = new StatementCache(database);
    try {
      database.prepare('insert into t (name) values (?), (?)').run('x', 'y');
      const text = 'select name from t order by id';
      const iterator = cache.prepare(text).iterate([]);
      iterator.next();
      const other = cache.prepare(text);
      assert.deepEqual(other.all([]), [{ name: 'x' }, { name: 'y' }]);
      iterator.return?.();
    } finally {
      cache.close();
    }
  });
});

describe('the WAL sync', () => {
  it('lets callers that arrive during a sync share the next one, and settles them all', async () => {
    const { path, database } = walDatabase();
    const wal = new WalSync(path);
    try {
      database.prepare('insert into t (name) values (?)').run('a');
      const first = wal.sync();
      const second = wal.sync();
      const third = wal.sync();
      assert.notEqual(first, second, 'the running sync may have started before the second commit');
      assert.equal(second, third, 'one queued sync covers every caller that arrived meanwhile');
      await Promise.all([first, second, third]);
      assert.notEqual(wal.sync(), second, 'a sync after the queued one has started is a new one');
    } finally {
      await wal.close();
      database.close();
    }
  });

  it('fails when there is no WAL file to sync', async () => {
    const wal = new WalSync(join(dir, 'missing.sqlite'));
    await assert.rejects(wal.sync(), { code: 'ENOENT' });
    await wal.close();
  });
});

describe('the group commit', () => {
  function setup(durable: () => Promise<void>) {
    const { path, database } = walDatabase();
    const statements = new StatementCache(database);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
    const commits = new GroupCommit(db, {
      control: (statement) => statements.prepare(statement).run([]),
      inTransaction: () => database.inTransaction,
      durable,
    });
    const outside = new BetterSqlite3(path, { readonly: true });
    const names = () => (outside.prepare('select name from t order by name').all() as Array<{ name: string }>).map((r) => r.name);
    const insert = (name: string) => (trx: Kysely<Database>) => sql`insert into t (name) values (${name})`.execute(trx);
    return {
      commits,
      names,
      insert,
      async close() {
        outside.close();
        await commits.settled();
        await db.destroy();
      },
    };
  }

  it('acknowledges a committed write only once the sync after its COMMIT has finished', async () => {
    const disk = deferred();
    const { commits, names, insert, close } = setup(() => disk.promise);
    try {
      const write = commits.statement(insert('merlin'));
      for (let i = 0; i < 5 && names().length === 0; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      assert.deepEqual(names(), ['merlin'], 'committed: another connection sees it');
      assert.equal(await state(write), 'pending', 'not acknowledged before the sync');
      disk.resolve();
      await write;
    } finally {
      await close();
    }
  });

  it('rejects committed writes with ERR_STORE_SYNC when the sync fails, and a refused write at once', async () => {
    const disk = deferred();
    let flushed = Promise.resolve();
    const { commits, insert, close } = setup(() => flushed);
    try {
      await commits.statement(insert('taken'));
      flushed = disk.promise;
      const refused = commits.statement(insert('taken'));
      const good = commits.statement(insert('fresh'));
      assert.equal(await state(refused), 'rejected', 'a failed write has nothing to wait for');
      await assert.rejects(refused, { code: 'SQLITE_CONSTRAINT_UNIQUE' });
      disk.reject(new Error('EIO'));
      await assert.rejects(good, (error: { code?: string; cause?: Error }) => error.code === StoreErrorCode.Sync && error.cause?.message === 'EIO');
    } finally {
      await close();
    }
  });

  it('rolls back a failing multi-statement write alone, keeping the others of its group', async () => {
    const { commits, names, insert, close } = setup(() => Promise.resolve());
    try {
      const results = await Promise.allSettled([
        commits.statement(insert('a')),
        commits.transaction(async (trx) => {
          await insert('b')(trx);
          await insert('a')(trx);
        }),
        commits.statement(insert('c')),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
      assert.deepEqual(names(), ['a', 'c'], 'b went with its failed transaction');
    } finally {
      await close();
    }
  });
});
