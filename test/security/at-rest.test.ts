// Attack: read the data folder (a backup, another local user, a stolen disk) and log in as anyone with the stored
// password equivalents. Defence: the default start seals every credential with a generated secret kept in a 0600
// key file apart from the database, the folder is 0700 and the database files 0600; an older unsealed database is
// sealed on upgrade; `imlight secret rotate` replaces the secret.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Command, CommanderError } from 'commander';
import { registerSecretCommands } from '../../src/cli/commands/secret.js';
import { openConfiguredStore } from '../../src/cli/open-store.js';
import { loadConfig, type ImlightConfig } from '../../src/config/index.js';
import { openStore, passwordHash } from '../../src/store/index.js';

const root = mkdtempSync(join(tmpdir(), 'imlight-at-rest-attack-'));
after(() => rmSync(root, { recursive: true, force: true }));
const posix = process.platform !== 'win32';
const modeOf = (path: string) => statSync(path).mode & 0o777;

function configFor(dataDir: string): ImlightConfig {
  return loadConfig({ cwd: root, env: { IMLIGHT_DATA_DIR: dataDir } }).config;
}

/** Every byte an attacker reading the folder gets, as one latin1 string to search. */
function folderBytes(dir: string): string {
  return readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile()).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('\n');
}

async function rotate(config: ImlightConfig, ...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const program = new Command('imlight').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
  registerSecretCommands(program, () => config);
  try {
    await program.parseAsync(['secret', 'rotate', ...args], { from: 'user' });
    return { code: 0, out };
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode, out };
    throw error;
  }
}

test('the default start seals credentials with a generated key file; the folder holds no password equivalent', async () => {
  const dataDir = join(root, 'fresh');
  const config = configFor(dataDir);
  const store = await openConfiguredStore(config);
  const account = await store.accounts.create({ username: 'victim', password: 'hunter2 but longer' });
  await store.sessionKeys.put({ accountId: account.id, machineId: 9n, key: 'victims-client-key', expiresAt: new Date(Date.now() + 60_000) });
  await store.close();
  const bytes = folderBytes(dataDir);
  assert.ok(!bytes.includes(passwordHash('hunter2 but longer')), 'the password hash is readable in the data folder');
  assert.ok(!bytes.includes('victims-client-key'), 'the client key is readable in the data folder');
  if (posix) {
    assert.equal(modeOf(dataDir), 0o700);
    assert.equal(modeOf(config.security.keyFile), 0o600);
    for (const file of readdirSync(dataDir).filter((f) => f.startsWith('imlight.db'))) assert.equal(modeOf(join(dataDir, file)), 0o600, file);
  }
  // The database alone (without the key file) opens nothing.
  await assert.rejects(openStore({ databaseUrl: null, sqlitePath: config.database.sqliteFile, secret: 'an attacker guess 123' }), { code: 'ERR_STORE_BAD_SECRET' });
});

test('an older unsealed database in a 0755 folder is sealed and made private on upgrade', async () => {
  const dataDir = join(root, 'older');
  mkdirSync(dataDir, { mode: 0o755 });
  if (posix) chmodSync(dataDir, 0o755);
  const config = configFor(dataDir);
  const plain = await openStore({ databaseUrl: null, sqlitePath: config.database.sqliteFile });
  await plain.accounts.create({ username: 'veteran', password: 'from the old days' });
  await plain.close();
  const store = await openConfiguredStore(config);
  await store.close();
  assert.ok(!folderBytes(dataDir).includes(passwordHash('from the old days')));
  if (posix) assert.equal(modeOf(dataDir), 0o700);
});

test('imlight secret rotate re-seals under a new key file; the old key opens nothing; an interrupted rotation is finished at start', async () => {
  const dataDir = join(root, 'rotated');
  const config = configFor(dataDir);
  const store = await openConfiguredStore(config);
  const account = await store.accounts.create({ username: 'rotating', password: 'keep me working' });
  await store.close();
  const oldKey = readFileSync(config.security.keyFile, 'utf8').trim();

  const result = await rotate(config);
  assert.equal(result.code, 0, result.out);
  assert.match(result.out, /re-sealed \d+ password hashes/);
  const newKey = readFileSync(config.security.keyFile, 'utf8').trim();
  assert.notEqual(newKey, oldKey);
  if (posix) assert.equal(modeOf(config.security.keyFile), 0o600);
  await assert.rejects(openStore({ databaseUrl: null, sqlitePath: config.database.sqliteFile, secret: oldKey }), { code: 'ERR_STORE_BAD_SECRET' });
  const reopened = await openConfiguredStore(config);
  assert.equal(await reopened.accounts.credentialFor(account.id), passwordHash('keep me working'));

  // A rotation that committed and then stopped before renaming its key file: the next start finishes it.
  const pending = 'pending-secret-after-a-crash';
  writeFileSync(`${config.security.keyFile}.new`, `${pending}\n`, { mode: 0o600 });
  await reopened.rotateSecret(pending);
  await reopened.close();
  const recovered = await openConfiguredStore(config);
  assert.equal(await recovered.accounts.credentialFor(account.id), passwordHash('keep me working'));
  await recovered.close();
  assert.equal(readFileSync(config.security.keyFile, 'utf8').trim(), pending);

  // With `secret` configured the new one must come from the environment.
  const configured = { ...config, secret: pending } as ImlightConfig;
  assert.equal((await rotate(configured)).code, 2);
  process.env['IMLIGHT_TEST_NEW_SECRET'] = 'the operator chose this one';
  try {
    assert.equal((await rotate(configured, '--new-secret-env', 'IMLIGHT_TEST_NEW_SECRET')).code, 0);
  } finally {
    delete process.env['IMLIGHT_TEST_NEW_SECRET'];
  }
  const withNew = await openStore({ databaseUrl: null, sqlitePath: config.database.sqliteFile, secret: 'the operator chose this one' });
  assert.equal(await withNew.accounts.credentialFor(account.id), passwordHash('keep me working'));
  await withNew.close();
});
