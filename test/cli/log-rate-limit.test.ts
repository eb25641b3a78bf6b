import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/cli/logging.js';
import { loadConfig } from '../../src/config/index.js';
import { LogRateLimiter } from '../../src/cli/log-rate-limit.js';

test('a repeated warning is written a few times per window, then counted and reported once', () => {
  let now = 0;
  const reports: Array<[string, number]> = [];
  const limiter = new LogRateLimiter((message, suppressed) => reports.push([message, suppressed]), { burst: 3, windowMs: 1000, now: () => now });
  const allowed = Array.from({ length: 10 }, () => limiter.allow('bad frame'));
  assert.deepEqual(allowed, [true, true, true, false, false, false, false, false, false, false]);
  assert.equal(limiter.allow('another warning'), true, 'each message has its own window');
  limiter.flush();
  assert.deepEqual(reports, [], 'the window is still open');
  now = 1000;
  limiter.flush();
  assert.deepEqual(reports, [['bad frame', 7]]);
  assert.equal(limiter.allow('bad frame'), true, 'a new window starts afresh');
});

test('the process logger rate-limits warnings, not errors, and reports the count', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({ write(chunk, _encoding, done) { lines.push(JSON.parse(String(chunk)) as Record<string, unknown>); done(); } });
  const { config } = loadConfig({ env: {} });
  let now = 0;
  const log = await createLogger(config.log, { stream, rateLimit: { burst: 2, windowMs: 60_000, now: () => now } });
  const net = log.component('net');
  for (let i = 0; i < 5; i++) net.warn({ remote: `10.0.0.${i}` }, 'malformed frame; closing');
  for (let i = 0; i < 3; i++) net.error('store unreachable');
  now = 60_000;
  log.flush();
  assert.equal(lines.filter((l) => l.msg === 'malformed frame; closing').length, 2);
  assert.equal(lines.filter((l) => l.msg === 'store unreachable').length, 3);
  const report = lines.find((l) => l.msg === 'repeated warning suppressed');
  assert.equal(report?.repeated, 'malformed frame; closing');
  assert.equal(report?.suppressed, 3);
});
