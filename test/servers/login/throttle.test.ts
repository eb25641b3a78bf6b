import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LOGIN_SETTINGS, LoginConfigError, Rec1FormatError, Throttle, hostOf, parseRec1, resolveLoginSettings } from '../../../src/servers/login/index.js';

const settings = { maxFailures: 3, windowMs: 10_000, delayStepMs: 100, lockoutMs: 60_000, maxTracked: 100 };

test('the throttle delays by the recent failures of the worst key and locks a key out at maxFailures', () => {
  const t = new Throttle(settings);
  assert.deepEqual(t.check(['a', 'x'], 0), { lockedForMs: 0, delayMs: 0 });
  assert.deepEqual(t.fail(['a', 'x'], 0), []);
  assert.deepEqual(t.fail(['b', 'x'], 1), []);
  assert.deepEqual(t.check(['a', 'y'], 2), { lockedForMs: 0, delayMs: 100 });
  assert.deepEqual(t.check(['c', 'x'], 2), { lockedForMs: 0, delayMs: 200 });
  assert.deepEqual(t.fail(['c', 'x'], 3), ['x']);
  assert.deepEqual(t.check(['z', 'x'], 1003), { lockedForMs: 59_000, delayMs: 0 });
  assert.deepEqual(t.check(['z', 'x'], 60_003), { lockedForMs: 0, delayMs: 0 });
});

test('failures older than the window are forgotten, and a success clears an account\'s failures', () => {
  const t = new Throttle(settings);
  t.fail(['a'], 0);
  t.fail(['a'], 5_000);
  assert.equal(t.check(['a'], 9_999).delayMs, 200);
  assert.equal(t.check(['a'], 10_001).delayMs, 100);
  assert.deepEqual(t.fail(['a'], 10_002), [], 'two in the window, not three');
  t.succeed(['a']);
  assert.equal(t.check(['a'], 10_003).delayMs, 0);
  t.sweep(100_000);
  assert.equal(t.tracked, 0);
});

test('the throttle tracks at most maxTracked keys', () => {
  const t = new Throttle({ ...settings, maxTracked: 10 });
  for (let i = 0; i < 1000; i++) t.fail([`spray-${i}`], i);
  assert.ok(t.tracked <= 10, `tracked ${t.tracked}`);
  assert.equal(t.check(['spray-999'], 1000).delayMs, 100, 'the newest keys are kept');
});

test('login settings: defaults from flows.md, and out-of-range values refused', () => {
  const s = resolveLoginSettings();
  assert.equal(s.afkTimeoutMs, 360_000);
  assert.equal(s.afkCheckIntervalMs, 60_000);
  assert.equal(s.loginKeyExpiryMs, 300_000);
  assert.equal(s.pool.healthIntervalMs, 10_000);
  assert.equal(s.characterLimit, 6);
  assert.deepEqual(resolveLoginSettings({ throttle: { maxFailures: 9 } }).throttle, { ...DEFAULT_LOGIN_SETTINGS.throttle, maxFailures: 9 });
  assert.throws(() => resolveLoginSettings({ capacity: 0 }), LoginConfigError);
  assert.throws(() => resolveLoginSettings({ pool: { selection: 'random' as never } }), LoginConfigError);
  assert.throws(() => resolveLoginSettings({ throttle: { delayStepMs: -1 } }), LoginConfigError);
});

test('Rec1 text: the username may hold spaces, the sid and CK1 never do; addresses lose their port', () => {
  assert.deepEqual(parseRec1('3258 Sir Lancelot abc+/=='), { sid: '3258', username: 'Sir Lancelot', ck1: 'abc+/==' });
  for (const bad of ['', '3258', '3258 ', '3258  ck1', ' name ck1', '3258 name ', `1 ${'x'.repeat(65)} ck1`]) {
    assert.throws(() => parseRec1(bad), Rec1FormatError, JSON.stringify(bad));
  }
  assert.equal(hostOf('127.0.0.1:5000'), '127.0.0.1');
  assert.equal(hostOf('::ffff:10.0.0.1:5000'), '::ffff:10.0.0.1');
  assert.equal(hostOf('?'), '?');
});
