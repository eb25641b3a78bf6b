// The store's files at rest: the key file, the database's permissions, and an older database (made by
// the first migration only) upgraded in place: sealed, and its names given their skeletons.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { initialMigration } from '../../src/store/migrations/0001-initial.js';
import { loadOrCreateKeyFile, openStore, passwordHash } from '../../src/store/index.js';

const root = mkdtempSync(join(tmpdir(), 'imlight-at-rest-'));
after(() => rmSync(root, { recursive: true, force: true }));
const modeOf = (path: string) => statSync(path).mode & 0o777;
const posix = process.platform !== 'win32';

test('the key file is generated once, 0600, and a key file readable by others is tightened', async () => {
  const path = join(root, 'keys', 'imlight.key');
  const warnings: unknown[] = [];
  const logger = { info() {}, debug() {}, error() {}, warn: (obj: object | string, msg?: string) => warnings.push([obj, msg]) };
  await assert.rejects(loadOrCreateKeyFile(path, logger), /cannot create the store key file/, 'the folder must exist');
  const dir = join(root, 'keys');
  mkdirSync(dir);
  const first = await loadOrCreateKeyFile(path, logger);
  assert.equal(first.created, true);
  assert.ok(first.secret.length >= 43);
  assert.equal(readFileSync(path, 'utf8').trim(), first.secret);
  if (posix) assert.equal(modeOf(path), 0o600);
  const second = await loadOrCreateKeyFile(path, logger);
  assert.deepEqual(second, { secret: first.secret, created: false });
  if (posix) {
    chmodSync(path, 0o644);
    await loadOrCreateKeyFile(path, logger);
    assert.equal(modeOf(path), 0o600);
    assert.ok(warnings.some((w) => /readable by other users/.test(String((w as unknown[])[1]))));
  }
  writeFileSync(path, 'short\n');
  await assert.rejects(loadOrCreateKeyFile(path, logger), /does not hold a secret/);
});

test('a new SQLite database lives in a 0700 folder, its files 0600; an older 0644 file is tightened', { skip: !posix && 'POSIX permissions' }, async () => {
  const dir = join(root, 'fresh', 'data');
  const sqlitePath = join(dir, 'imlight.db');
  const store = await openStore({ databaseUrl: null, sqlitePath });
  await store.accounts.create({ username: 'perm', password: 'permissions' });
  assert.equal(modeOf(dir), 0o700);
  for (const file of [sqlitePath, `${sqlitePath}-wal`, `${sqlitePath}-shm`]) assert.equal(modeOf(file), 0o600, file);
  await store.close();
  chmodSync(sqlitePath, 0o644);
  const again = await openStore({ databaseUrl: null, sqlitePath });
  assert.equal(modeOf(sqlitePath), 0o600);
  await again.close();
});

test('a database of the first schema is upgraded: names get skeletons, plain credentials are sealed', async () => {
  const sqlitePath = join(root, 'old.db');
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(sqlitePath) }) });
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => ({ '0001-initial': initialMigration('sqlite') }) } }).migrateToLatest();
  assert.equal(error, undefined);
  await db.insertInto('accounts').values({
    username: 'OldTimer', username_key: 'oldtimer', password_hash: passwordHash('from long ago'), access_level: 'player', locked: 0, created_at: 1, last_login_at: null,
  }).execute();
  await db.destroy();

  const store = await openStore({ databaseUrl: null, sqlitePath, secret: 'the upgrade secret' });
  assert.deepEqual(await store.appliedMigrations(), ['0001-initial', '0003-security']);
  const account = await store.accounts.findByUsername('oldtimer');
  assert.ok(account !== undefined);
  assert.equal(await store.accounts.credentialFor(account.id), passwordHash('from long ago'));
  await assert.rejects(store.accounts.create({ username: 'ＯＬＤＴＩＭＥＲ', password: 'impostor!' }), { code: 'ERR_NAME_CONFUSABLE' });
  await store.close();
  const raw = new BetterSqlite3(sqlitePath);
  try {
    const row = raw.prepare('select password_hash, username_skeleton from accounts').get() as { password_hash: string; username_skeleton: string };
    assert.match(row.password_hash, /^enc1:/);
    assert.equal(row.username_skeleton, 'oldtimer');
  } finally {
    raw.close();
  }
});
