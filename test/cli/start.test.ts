import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, MASK } from '../../src/config/index.js';
import { createLogger } from '../../src/cli/logging.js';
import { ShutdownTimeoutError, StartError } from '../../src/cli/errors.js';
import { startImlight, type Part } from '../../src/cli/start.js';

async function setup(t: { after(fn: () => void): void }, env: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'imlight-start-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const { config } = loadConfig({ cwd, env: { IMLIGHT_ADMIN_PORT: '0', IMLIGHT_METRICS_DEFAULT_METRICS: 'false', ...env } });
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } });
  const logRoot = await createLogger(config.log, { stream });
  const lines = () => chunks.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, any>);
  return { cwd, config, logRoot, lines };
}

test('the start handle starts the store, the actor system and /metrics, and stops them all', async (t) => {
  const secret = 'a-secret-that-must-not-be-logged';
  // At debug level the whole configuration is logged too (masked).
  const { config, logRoot, lines } = await setup(t, { IMLIGHT_SECRET: secret, IMLIGHT_LOG_LEVEL: 'debug' });
  const handle = await startImlight(config, { logRoot });
  try {
    assert.equal(handle.role, 'all');
    assert.equal(handle.store?.backend, 'sqlite');
    assert.ok(existsSync(config.database.sqliteFile), 'the SQLite file is created in the data folder');
    assert.match(handle.system.snapshot().path, /^imlight:\/\/imlight/);
    assert.ok(handle.metricsUrl !== undefined);
    assert.equal(await handle.store!.accounts.count(), 0);
    // The store reports each operation's latency to the metrics served at /metrics.
    const body = await (await fetch(handle.metricsUrl)).text();
    assert.match(body, /^imlight_actors\{system="imlight"\} \d+$/m);
    assert.match(body, /^imlight_database_query_seconds_count\{operation="[^"]+",outcome="ok"\} [1-9]/m);
  } finally {
    const first = handle.stop('test');
    assert.equal(handle.stop('again'), first, 'stop is idempotent');
    await first;
  }
  await handle.stopped;
  await assert.rejects(fetch(handle.metricsUrl!), 'the metrics endpoint is closed');

  const log = lines();
  // At info, a short summary: what it serves, its data folder and database; the whole configuration at debug.
  const summary = log.find((l) => l.msg === 'configuration loaded')!;
  assert.equal(summary.level, 30);
  assert.equal(summary.ports.login, 12000);
  assert.equal(summary.database, `sqlite:${config.database.sqliteFile}`);
  assert.equal(summary.dataDir, config.dataDir);
  assert.equal(summary.config, undefined);
  const full = log.find((l) => l.msg === 'configuration')!;
  assert.equal(full.level, 20);
  assert.equal(full.config.login.port, 12000);
  assert.equal(full.config.secret, MASK);
  assert.ok(!JSON.stringify(log).includes(secret), 'the secret never reaches the log');
  const messages = log.map((l) => l.msg);
  for (const expected of ['store opened', 'no servers are built yet: running an empty actor system', 'imlight started', 'stopping', 'stopped']) {
    assert.ok(messages.includes(expected), `log has "${expected}": ${messages.join(' | ')}`);
  }
});

test('the patch role runs without a database', async (t) => {
  const { config, logRoot } = await setup(t, { IMLIGHT_ADMIN_ENABLED: 'false' });
  const handle = await startImlight(config, { role: 'patch', logRoot });
  assert.equal(handle.store, undefined);
  assert.equal(handle.metricsUrl, undefined);
  assert.equal(existsSync(config.database.sqliteFile), false);
  await handle.stop();
});

test('a start that fails part-way undoes what it started and says why', async (t) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => blocker.close());
  const port = (blocker.address() as { port: number }).port;
  const { config, logRoot } = await setup(t, { IMLIGHT_ADMIN_PORT: String(port) });
  await assert.rejects(startImlight(config, { logRoot }), (error: unknown) =>
    error instanceof StartError && error.code === 'ERR_START' && /EADDRINUSE/.test(error.message));
  // The store was closed again: the same database opens for a new start.
  const again = await startImlight({ ...config, admin: { ...config.admin, port: 0 } }, { logRoot });
  await again.stop();
});

test('parts start for their roles with the shared context and stop in reverse order', async (t) => {
  const { config, logRoot } = await setup(t, { IMLIGHT_ADMIN_ENABLED: 'false' });
  const events: string[] = [];
  const part = (name: string, roles: Part['roles']): Part => ({
    name,
    roles,
    start: async (context) => {
      assert.equal(context.config, config);
      assert.ok(context.system.snapshot() !== undefined);
      events.push(`start ${name} (${context.role}, store ${context.store === undefined ? 'no' : 'yes'})`);
      return { stop: () => { events.push(`stop ${name}`); } };
    },
  });
  const parts = [part('login', ['all', 'login']), part('game', ['all', 'game']), part('patch', ['all', 'patch'])];
  const all = await startImlight(config, { logRoot, parts });
  await all.stop();
  const patchOnly = await startImlight(config, { logRoot, parts, role: 'patch' });
  await patchOnly.stop();
  assert.deepEqual(events, [
    'start login (all, store yes)', 'start game (all, store yes)', 'start patch (all, store yes)',
    'stop patch', 'stop game', 'stop login',
    'start patch (patch, store no)', 'stop patch',
  ]);
});

test('a part that fails to start stops the parts before it', async (t) => {
  const { config, logRoot } = await setup(t, { IMLIGHT_ADMIN_ENABLED: 'false' });
  const events: string[] = [];
  const parts: Part[] = [
    { name: 'first', roles: ['all'], start: async () => { events.push('start first'); return { stop: () => { events.push('stop first'); } }; } },
    { name: 'broken', roles: ['all'], start: async () => { throw new Error('port taken'); } },
  ];
  await assert.rejects(startImlight(config, { logRoot, parts }), (error: unknown) => error instanceof StartError && /port taken/.test(error.message));
  assert.deepEqual(events, ['start first', 'stop first']);
});

test('a shutdown past shutdown.timeout fails with ShutdownTimeoutError', async (t) => {
  const { config, logRoot, lines } = await setup(t, { IMLIGHT_ADMIN_ENABLED: 'false', IMLIGHT_SHUTDOWN_TIMEOUT: '200ms' });
  let release: () => void = () => {};
  const stuck: Part = { name: 'stuck', roles: ['patch'], start: async () => ({ stop: () => new Promise<void>((resolve) => { release = resolve; }) }) };
  // The patch role has no database, so nothing is left open on disk while the stuck stop finishes late.
  const handle = await startImlight(config, { logRoot, parts: [stuck], role: 'patch' });
  await assert.rejects(handle.stop(), (error: unknown) => error instanceof ShutdownTimeoutError && error.timeoutMs === 200);
  await handle.stopped;
  assert.ok(lines().some((l) => l.msg === 'shutdown did not complete'));
  release();
});
