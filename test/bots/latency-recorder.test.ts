import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyRecorder, percentile } from '../../src/bots/index.js';

test('percentiles use the nearest rank of the sorted samples', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(sorted, 0.5), 50);
  assert.equal(percentile(sorted, 0.99), 99);
  assert.equal(percentile(sorted, 1), 100);
  assert.equal(percentile([], 0.5), 0);
  assert.equal(percentile([7], 0.99), 7);
});

test('the recorder summarises each step in first-seen order, errors included', () => {
  const recorder = new LatencyRecorder();
  for (let i = 1; i <= 10; i++) recorder.record('login.connect', i);
  recorder.record('game.attach', 3);
  recorder.recordError('game.attach');
  const summary = recorder.summary();
  assert.deepEqual(Object.keys(summary), ['login.connect', 'game.attach']);
  assert.deepEqual(summary['login.connect'], { count: 10, errors: 0, p50Ms: 5, p90Ms: 9, p99Ms: 10, maxMs: 10, meanMs: 5.5 });
  assert.equal(summary['game.attach']!.errors, 1);
});

test('past its capacity the reservoir keeps a fair sample and the exact count, mean and max', () => {
  const recorder = new LatencyRecorder(1000);
  for (let i = 0; i < 100_000; i++) recorder.record('s', i % 1000);
  recorder.record('s', 5000);
  const s = recorder.summary()['s']!;
  assert.equal(s.count, 100_001);
  assert.equal(s.maxMs, 5000);
  assert.ok(Math.abs(s.p50Ms - 500) < 60, `median of a uniform 0..999 stays near 500 (${s.p50Ms})`);
  assert.ok(Math.abs(s.meanMs - 499.5) < 1);
});
