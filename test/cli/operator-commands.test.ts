// The operator's command-line edges, through the real bin: --password-stdin, read-only commands in a folder with no
// database, output piped into `head`, character delete, and backup/restore of an SQLite database with its key file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, passwordHash } from '../../src/store/index.js';
import { cleanEnv, runCommand } from '../kit/imlight-command.js';

const BIN = fileURLToPath(new URL('../../bin/imlight.js', import.meta.url));

function workDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-ops-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const run = (cwd: string, args: string[], input?: string) => runCommand(BIN, args, { cwd, ...(input === undefined ? {} : { input }) });

test('account create reads the password from standard input with --password-stdin', async (t) => {
  const cwd = workDir(t);
  const created = run(cwd, ['account', 'create', 'alice', '--password-stdin'], 'a password from a file\nignored second line\n');
  assert.equal(created.code, 0, created.stderr);
  const store = await openStore({ databaseUrl: null, sqlitePath: join(cwd, 'data', 'imlight.db') });
  try {
    const account = await store.accounts.findByUsername('alice');
    assert.ok(account !== undefined);
    assert.equal(await store.accounts.credentialFor(account.id), passwordHash('a password from a file'));
  } finally {
    await store.close();
  }
  const both = run(cwd, ['account', 'passwd', 'alice', '--password', 'x'.repeat(10), '--password-stdin'], 'another password\n');
  assert.equal(both.code, 2, 'both ways at once is a usage error');
  const short = run(cwd, ['account', 'create', 'bob', '--password-stdin'], 'short\n');
  assert.equal(short.code, 1);
  assert.match(short.stderr, /too short/);
});

test('a read-only command in a folder with no database says so and creates nothing', (t) => {
  const cwd = workDir(t);
  for (const args of [['account', 'list'], ['character', 'list', 'alice'], ['backup']]) {
    const result = run(cwd, args);
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /no database at .*imlight\.db \(nothing was created\)/);
  }
  assert.equal(existsSync(join(cwd, 'data', 'imlight.db')), false);
});

test('output piped into head ends quietly', (t) => {
  const cwd = workDir(t);
  const result = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" config keys --markdown | head -n 1`], { cwd, env: cleanEnv(), encoding: 'utf8' });
  assert.equal(result.status, 0);
  assert.equal(result.stdout.split('\n').filter(Boolean).length, 1);
  assert.doesNotMatch(result.stderr, /EPIPE|Error/);
});

test('character delete removes one character of an account', async (t) => {
  const cwd = workDir(t);
  assert.equal(run(cwd, ['account', 'create', 'carol', '--password', 'a good password']).code, 0);
  const store = await openStore({ databaseUrl: null, sqlitePath: join(cwd, 'data', 'imlight.db') });
  try {
    const account = (await store.accounts.findByUsername('carol'))!;
    await store.characters.create({ accountId: account.id, name: 'Keeper', creationData: Buffer.alloc(0) });
    await store.characters.create({ accountId: account.id, name: 'Goner', creationData: Buffer.alloc(0) });
  } finally {
    await store.close();
  }
  const deleted = run(cwd, ['character', 'delete', 'carol', 'goner']);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.match(deleted.stdout, /deleted character Goner/);
  const listed = run(cwd, ['character', 'list', 'carol']);
  assert.match(listed.stdout, /Keeper/);
  assert.doesNotMatch(listed.stdout, /Goner/);
  assert.equal(run(cwd, ['character', 'delete', 'carol', 'nobody']).code, 1);
});

test('backup copies the database and the key file; restore puts them back', (t) => {
  const cwd = workDir(t);
  assert.equal(run(cwd, ['account', 'create', 'dave', '--password', 'a good password']).code, 0);
  writeFileSync(join(cwd, 'data', 'imlight.key'), 'a-store-secret-of-enough-length\n', { mode: 0o600 });
  const backup = run(cwd, ['backup', '--out', 'saved.db']);
  assert.equal(backup.code, 0, backup.stderr);
  assert.ok(existsSync(join(cwd, 'saved.db')) && existsSync(join(cwd, 'saved.db.key')), backup.stdout);

  assert.equal(run(cwd, ['account', 'create', 'erin', '--password', 'a good password']).code, 0);
  writeFileSync(join(cwd, 'data', 'imlight.key'), 'a-different-secret-0123456789\n', { mode: 0o600 });
  const restored = run(cwd, ['restore', 'saved.db']);
  assert.equal(restored.code, 0, restored.stderr);
  const accounts = run(cwd, ['account', 'list']).stdout;
  assert.match(accounts, /dave/);
  assert.doesNotMatch(accounts, /erin/, 'the state of the backup, not the later one');
  assert.equal(readFileSync(join(cwd, 'data', 'imlight.key'), 'utf8'), 'a-store-secret-of-enough-length\n');
  assert.ok(readdirSync(join(cwd, 'data')).some((f) => f.startsWith('imlight.db.before-restore-')), 'the replaced database is kept');

  writeFileSync(join(cwd, 'junk.db'), 'not a database');
  const junk = run(cwd, ['restore', 'junk.db']);
  assert.equal(junk.code, 1);
  assert.match(junk.stderr, /not an SQLite database|damaged/);

  const postgres = runCommand(BIN, ['backup'], { cwd, env: { IMLIGHT_DATABASE_URL: 'postgres://imlight:hidden-password@db.example:5432/imlight' } });
  assert.equal(postgres.code, 0, postgres.stderr);
  assert.match(postgres.stdout, /pg_dump/);
  assert.doesNotMatch(postgres.stdout, /hidden-password/);
});
