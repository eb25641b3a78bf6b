import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONFIG_LEAVES, ConfigError, ConfigFileError, MASK, describeSource, envName, formatConfigTable, formatIssue,
  formatKeyReferenceMarkdown, loadConfig, maskedConfig,
} from '../../src/config/index.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.issues.map(formatIssue);
  }
  assert.fail('expected the configuration to be refused');
}

test('with nothing set every key takes the default of flows.md and paths live in the data folder', (t) => {
  const cwd = tempDir(t);
  const { config, sources, file } = loadConfig({ cwd, env: {} });
  assert.equal(file, undefined);
  assert.equal(config.login.port, 12000);
  assert.equal(config.game.port, 12333);
  assert.equal(config.patch.port, 12500);
  assert.equal(config.session.acceptTimeout, 15_000);
  assert.equal(config.session.keepAliveInterval, 60_000);
  assert.equal(config.session.idleTimeout, 120_000);
  assert.equal(config.login.afkTimeout, 360_000);
  assert.equal(config.login.afkCheckInterval, 60_000);
  assert.equal(config.login.loginKeyExpiry, 300_000);
  assert.equal(config.login.characterLimit, 6);
  assert.equal(config.login.pool.healthInterval, 10_000);
  assert.equal(config.dataDir, join(cwd, 'data'));
  assert.equal(config.database.url, undefined);
  assert.equal(config.database.sqliteFile, join(cwd, 'data', 'imlight.db'));
  assert.equal(config.patch.dir, join(cwd, 'data', 'patch'));
  assert.equal(config.cacheDir, join(cwd, 'data', 'cache'));
  assert.equal(config.admin.host, '127.0.0.1');
  for (const leaf of CONFIG_LEAVES) assert.equal(describeSource(sources.get(leaf.path)!), 'default', leaf.path);
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.login.pool));
});

test('a file overrides defaults, the environment overrides the file, and flags override both', (t) => {
  const cwd = tempDir(t);
  writeFileSync(join(cwd, 'imlight.config.toml'), [
    'realm = "FromFile"',
    '[login]',
    'port = 13000',
    'afkTimeout = "10m"',
    'name = "FileLogin"',
    '[game]',
    'port = 14000',
  ].join('\n'));
  const env = { IMLIGHT_LOGIN_PORT: '13001', IMLIGHT_GAME_PORT: '14001', IMLIGHT_LOGIN_AFK_TIMEOUT: '90s' };
  const loaded = loadConfig({ cwd, env, overrides: [{ path: 'login.port', value: '13002', flag: '--port' }] });
  const { config, sources } = loaded;
  assert.equal(loaded.file, join(cwd, 'imlight.config.toml'));
  assert.equal(config.realm, 'FromFile');
  assert.equal(describeSource(sources.get('realm')!), 'file ./imlight.config.toml');
  assert.equal(config.login.name, 'FileLogin');
  assert.equal(config.game.port, 14001);
  assert.equal(describeSource(sources.get('game.port')!), 'IMLIGHT_GAME_PORT');
  assert.equal(config.login.afkTimeout, 90_000);
  assert.equal(config.login.port, 13002);
  assert.equal(describeSource(sources.get('login.port')!), '--port');
  assert.equal(describeSource(sources.get('patch.port')!), 'default');
});

test('IMLIGHT_DATA_DIR moves the database, patch and cache folders unless they are set themselves', (t) => {
  const cwd = tempDir(t);
  const { config } = loadConfig({ cwd, env: { IMLIGHT_DATA_DIR: 'var/im', IMLIGHT_PATCH_DIR: '/srv/patch' } });
  assert.equal(config.dataDir, join(cwd, 'var/im'));
  assert.equal(config.database.sqliteFile, join(cwd, 'var/im', 'imlight.db'));
  assert.equal(config.cacheDir, join(cwd, 'var/im', 'cache'));
  assert.equal(config.patch.dir, '/srv/patch');
});

test('a JSON file named with --config is read, and a missing one is an error naming it', (t) => {
  const cwd = tempDir(t);
  writeFileSync(join(cwd, 'custom.json'), JSON.stringify({ game: { count: 3, capacity: 50 }, log: { levels: { net: 'debug' } } }));
  const { config } = loadConfig({ cwd, env: {}, configFile: 'custom.json' });
  assert.equal(config.game.count, 3);
  assert.equal(config.game.capacity, 50);
  assert.deepEqual(config.log.levels, { net: 'debug' });
  assert.throws(() => loadConfig({ cwd, env: {}, configFile: 'nope.toml' }), (error: unknown) =>
    error instanceof ConfigFileError && error.code === 'ERR_CONFIG_FILE' && error.message.includes('nope.toml'));
});

test('IMLIGHT_CONFIG names the file when --config is absent', (t) => {
  const cwd = tempDir(t);
  writeFileSync(join(cwd, 'other.toml'), '[patch]\nhttpPort = 18080\n');
  assert.equal(loadConfig({ cwd, env: { IMLIGHT_CONFIG: 'other.toml' } }).config.patch.httpPort, 18080);
});

test('a bad environment value is refused with its key, the problem, the value and the variable', (t) => {
  const cwd = tempDir(t);
  assert.deepEqual(issuesOf(() => loadConfig({ cwd, env: { IMLIGHT_LOGIN_PORT: 'abc' } })),
    ['login.port: must be an integer 0..65535, got "abc" (from IMLIGHT_LOGIN_PORT)']);
});

test('every problem is reported at once, with the source of each value', (t) => {
  const cwd = tempDir(t);
  writeFileSync(join(cwd, 'imlight.config.toml'), '[login]\nprot = 1\ncharacterLimit = 0\n[session]\nacceptTimeout = "soon"\n');
  const issues = issuesOf(() => loadConfig({
    cwd,
    env: { IMLIGHT_LOG_LEVEL: 'loud' },
    overrides: [{ path: 'game.capacity', value: '-5', flag: '--set game.capacity' }],
  }));
  assert.deepEqual(issues.sort(), [
    'game.capacity: must be an integer 1..100000, got "-5" (from --set game.capacity)',
    'log.level: must be one of "trace", "debug", "info", "warn", "error", "fatal", "silent", got "loud" (from IMLIGHT_LOG_LEVEL)',
    'login.characterLimit: must be an integer 1..100, got 0 (from file ./imlight.config.toml)',
    'login.prot: unknown key (did you mean login.port?) (from file ./imlight.config.toml)',
    'session.acceptTimeout: must be a duration 100ms..10m (e.g. "15s", "500ms", "5m"), got "soon" (from file ./imlight.config.toml)',
  ]);
});

test('an override of an unknown key is refused by name', (t) => {
  const cwd = tempDir(t);
  assert.deepEqual(issuesOf(() => loadConfig({ cwd, env: {}, overrides: [{ path: 'login.bogus', value: '1', flag: '--set login.bogus' }] })),
    ['login.bogus: unknown key (from --set login.bogus)']);
});

test('a file that is not valid TOML is an error naming the file', (t) => {
  const cwd = tempDir(t);
  writeFileSync(join(cwd, 'imlight.config.toml'), '[login\nport = ');
  assert.throws(() => loadConfig({ cwd, env: {} }), (error: unknown) =>
    error instanceof ConfigFileError && /imlight\.config\.toml: is not valid TOML/.test(error.message));
});

test('two listeners on one port are refused, including the ports of further game servers', (t) => {
  const cwd = tempDir(t);
  assert.deepEqual(issuesOf(() => loadConfig({ cwd, env: { IMLIGHT_GAME_COUNT: '3', IMLIGHT_PATCH_PORT: '12335' } })),
    ['patch.port: port 12335 is also used by game.port (from IMLIGHT_PATCH_PORT)']);
  // Port 0 (an ephemeral port each) never conflicts.
  const zero = { IMLIGHT_LOGIN_PORT: '0', IMLIGHT_GAME_PORT: '0', IMLIGHT_PATCH_PORT: '0', IMLIGHT_PATCH_HTTP_PORT: '0', IMLIGHT_ADMIN_PORT: '0' };
  assert.equal(loadConfig({ cwd, env: zero }).config.game.port, 0);
});

test('strings from the environment become booleans, durations, sizes and level maps', (t) => {
  const cwd = tempDir(t);
  const { config } = loadConfig({ cwd, env: {
    IMLIGHT_ADMIN_ENABLED: 'no',
    IMLIGHT_SESSION_MAX_FRAME_BYTES: '128KiB',
    IMLIGHT_LOGIN_THROTTLE_LOCKOUT: '1.5h',
    IMLIGHT_LOG_LEVELS: 'net=debug, store=warn',
  } });
  assert.equal(config.admin.enabled, false);
  assert.equal(config.session.maxFrameBytes, 128 * 1024);
  assert.equal(config.login.throttle.lockout, 90 * 60_000);
  assert.deepEqual(config.log.levels, { net: 'debug', store: 'warn' });
});

test('an IMLIGHT_ variable that names no key is a warning with a suggestion, and aliases are accepted', (t) => {
  const cwd = tempDir(t);
  const loaded = loadConfig({ cwd, env: { IMLIGHT_LOGIN_PORTT: '1', IMLIGHT_NATS_URL: 'nats://127.0.0.1:4222' } });
  assert.deepEqual(loaded.warnings, ['environment variable IMLIGHT_LOGIN_PORTT names no configuration key (did you mean IMLIGHT_LOGIN_PORT?)']);
  assert.equal(loaded.config.cluster.natsUrl, 'nats://127.0.0.1:4222');
  assert.equal(describeSource(loaded.sources.get('cluster.natsUrl')!), 'IMLIGHT_NATS_URL');
});

test('secrets are masked in summaries and never echoed in errors', (t) => {
  const cwd = tempDir(t);
  const secret = 'my-very-secret-server-key';
  const token = 'admin-token-0123456789';
  const loaded = loadConfig({ cwd, env: {
    IMLIGHT_SECRET: secret,
    IMLIGHT_ADMIN_TOKEN: token,
    IMLIGHT_DATABASE_URL: 'postgres://imlight:hunter2hunter2@db.example:5432/imlight',
  } });
  assert.equal(loaded.config.secret, secret);
  const masked = maskedConfig(loaded.config) as { secret: string; admin: { token: string }; database: { url: string } };
  assert.equal(masked.secret, MASK);
  assert.equal(masked.admin.token, MASK);
  assert.equal(masked.database.url, `postgres://imlight:${MASK}@db.example:5432/imlight`);
  const table = formatConfigTable(loaded);
  for (const hidden of [secret, token, 'hunter2hunter2']) {
    assert.ok(!table.includes(hidden) && !JSON.stringify(masked).includes(hidden), `${hidden} leaked`);
  }
  const issues = issuesOf(() => loadConfig({ cwd, env: { IMLIGHT_SECRET: 'short-secret' } }));
  assert.deepEqual(issues, ['secret: must be a string of 16..1024 characters, got a hidden value (from IMLIGHT_SECRET)']);
});

test('environment names follow the documented rule and are unique', () => {
  assert.equal(envName(['dataDir']), 'IMLIGHT_DATA_DIR');
  assert.equal(envName(['database', 'url']), 'IMLIGHT_DATABASE_URL');
  assert.equal(envName(['login', 'throttle', 'maxFailures']), 'IMLIGHT_LOGIN_THROTTLE_MAX_FAILURES');
  const names = CONFIG_LEAVES.flatMap((l) => [l.env, ...l.field.envAliases]);
  assert.equal(new Set(names).size, names.length);
});

test('the example configuration names every key and is valid with every line uncommented', (t) => {
  const example = readFileSync(new URL('../../config/imlight.example.toml', import.meta.url), 'utf8');
  for (const leaf of CONFIG_LEAVES) {
    assert.ok(example.includes(`env: ${leaf.env}`), `${leaf.path} missing from the example`);
  }
  const cwd = tempDir(t);
  const uncommented = example.replace(/^# ([A-Za-z]+ = .*)$/gm, '$1');
  assert.notEqual(uncommented, example);
  writeFileSync(join(cwd, 'imlight.config.toml'), uncommented);
  const { config, sources } = loadConfig({ cwd, env: {} });
  assert.equal(config.cluster.natsUrl, 'nats://127.0.0.1:4222');
  for (const leaf of CONFIG_LEAVES) assert.equal(sources.get(leaf.path)?.kind, 'file', `${leaf.path} not set by the uncommented example`);
});

test('docs/configuration.md documents every key with its environment name', () => {
  const docs = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  assert.ok(docs.includes(formatKeyReferenceMarkdown()), 'the reference is current (regenerate with imlight config keys --markdown)');
  for (const leaf of CONFIG_LEAVES) {
    assert.ok(docs.includes(`\`${leaf.path}\``), `${leaf.path} missing from docs/configuration.md`);
    assert.ok(docs.includes(`\`${leaf.env}\``), `${leaf.env} missing from docs/configuration.md`);
  }
});

test('the cluster name is a NATS subject token: a dot or a space is refused, naming the key', (t) => {
  const cwd = tempDir(t);
  assert.equal(loadConfig({ cwd, env: {} }).config.cluster.name, 'imlight');
  assert.equal(loadConfig({ cwd, env: { IMLIGHT_CLUSTER_NAME: 'realm_2-eu' } }).config.cluster.name, 'realm_2-eu');
  for (const bad of ['realm.eu', 'my realm']) {
    const [issue] = issuesOf(() => loadConfig({ cwd, env: { IMLIGHT_CLUSTER_NAME: bad } }));
    assert.match(issue!, /^cluster\.name: a cluster name uses 1\.\.64 letters, digits, _ and -/);
  }
});
