// The console's last-hour charts come from the server's own samples of its metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Metrics } from '../../src/admin/index.js';
import { MetricsHistory, p99Between } from '../../src/admin/metrics-history.js';
import { startAdminKit } from './admin-kit.js';

test('samples give players online, logins per minute, login p99 and messages per second', async (t) => {
  const metrics = new Metrics({ defaultMetrics: false });
  let now = 1_000_000;
  const history = new MetricsHistory(metrics, { intervalMs: 0, capacity: 3, now: () => now });
  t.after(() => { history.close(); metrics.close(); });
  assert.equal(await history.sample(), undefined, 'the first sample is the baseline');

  for (let i = 0; i < 30; i++) metrics.loginSucceeded();
  for (let i = 0; i < 99; i++) metrics.loginStep('authenticate', 0.004);
  metrics.loginStep('authenticate', 3);
  metrics.loginStep('select', 9);
  metrics.messageIn('GAME', 500);
  metrics.messageOut('GAME', 700);
  metrics.setOnlinePlayers('Game', 12);
  now += 60_000;
  const sample = (await history.sample())!;
  assert.equal(sample.playersOnline, 12);
  assert.equal(sample.loginsPerMinute, 30);
  assert.equal(sample.loginP99, 0.005, 'the bucket holding the 99th of 100 authentications');
  assert.equal(sample.messagesPerSecond, 20);
  assert.ok(sample.eventLoopLagP99 >= 0);

  now += 10_000;
  const quiet = (await history.sample())!;
  assert.equal(quiet.loginsPerMinute, 0);
  assert.equal(quiet.loginP99, null, 'no login in the interval');
  for (let i = 0; i < 3; i++) {
    now += 10_000;
    await history.sample();
  }
  assert.equal(history.samples().length, 3, 'only the capacity is kept');
  assert.ok(history.samples()[0]!.at < history.samples()[2]!.at, 'oldest first');
});

test('p99 between two bucket snapshots', () => {
  const before = new Map([[0.1, 0], [1, 0], [Number.POSITIVE_INFINITY, 0]]);
  assert.equal(p99Between(before, new Map([[0.1, 50], [1, 100], [Number.POSITIVE_INFINITY, 100]])), 1);
  assert.equal(p99Between(before, new Map([[0.1, 100], [1, 100], [Number.POSITIVE_INFINITY, 100]])), 0.1);
  assert.equal(p99Between(before, new Map([[0.1, 0], [1, 0], [Number.POSITIVE_INFINITY, 5]])), 1, 'past the last bound: the last bound');
});

test('the console serves the samples at /api/history', async (t) => {
  const metrics = new Metrics({ defaultMetrics: false });
  const kit = await startAdminKit({ metrics, historyIntervalMs: 0 });
  t.after(async () => { await kit.close(); metrics.close(); });
  const body = (await (await kit.api('/api/history')).json()) as { available: boolean; items: unknown[] };
  assert.equal(body.available, true);
  assert.deepEqual(body.items, []);
});
