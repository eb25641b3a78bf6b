import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LOGIN_SETTINGS, LoginConfigError, Rec1FormatError, Throttle, hostOf, parseRec1, resolveLoginSettings } from '../../../src/servers/login/index.js';

const settings = {
  maxFailures: 3, addressMaxFailures: 6, accountMaxFailures: 5, windowMs: 10_000, delayStepMs: 100, lockoutMs: 60_000, maxWaitMs: 1_000, maxTracked: 100,
};

test('the throttle spaces out an account on one address past maxFailures, doubling, never refusing longer than the longest spacing', () => {
  const t = new Throttle(settings);
  const free = { refusedForMs: 0, waitMs: 0, needsMachine: false };
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(t.check('merlin', '10.0.0.1', undefined, i), free);
    t.fail('merlin', '10.0.0.1', true, i);
  }
  // Three failures: the next attempt there waits 100 ms for its slot, the one after it 200 ms more.
  assert.deepEqual(t.check('merlin', '10.0.0.1', undefined, 2), { refusedForMs: 0, waitMs: 100, needsMachine: false });
  assert.deepEqual(t.check('merlin', '10.0.0.1', undefined, 2), { refusedForMs: 0, waitMs: 200, needsMachine: false });
  // Another address, or another account on this address, is not held back.
  assert.deepEqual(t.check('merlin', '10.0.0.2', undefined, 3), free);
  assert.deepEqual(t.check('morgana', '10.0.0.1', undefined, 3), free);
  for (let i = 0; i < 20; i++) t.fail('merlin', '10.0.0.1', true, 100);
  const refused = t.check('merlin', '10.0.0.1', false, 100);
  assert.ok(refused.refusedForMs > 0 && refused.refusedForMs <= 60_000, JSON.stringify(refused));
  assert.deepEqual(t.check('merlin', '10.0.0.1', false, 100 + refused.refusedForMs).refusedForMs, 0, 'never longer than the longest spacing');
});

test('failures spread over many addresses slow only machines that never logged in to the account', () => {
  const t = new Throttle(settings);
  for (let i = 0; i < 5; i++) t.fail('merlin', `10.0.1.${i}`, true, i);
  const needs = t.check('merlin', '192.168.0.9', undefined, 10);
  assert.deepEqual(needs, { refusedForMs: 0, waitMs: 0, needsMachine: true });
  assert.deepEqual(t.check('merlin', '192.168.0.9', true, 10), { refusedForMs: 0, waitMs: 0, needsMachine: false }, 'the owner\'s machine goes through');
  const unknown = t.check('merlin', '10.0.2.1', false, 10);
  assert.ok(unknown.waitMs > 0 || unknown.refusedForMs > 0, JSON.stringify(unknown));
  // A success clears the account's failures on that address only: the spread guessing stays slowed.
  t.succeed('merlin', '192.168.0.9');
  assert.equal(t.check('merlin', '10.0.2.2', undefined, 11).needsMachine, true);
});

test('an address failing on many accounts is spaced out; the throttle tracks at most maxTracked keys, evicting the least recent', () => {
  const t = new Throttle(settings);
  for (let i = 0; i < 6; i++) t.fail(`account-${i}`, '10.9.9.9', true, i);
  assert.ok(t.check('fresh-account', '10.9.9.9', undefined, 6).waitMs > 0);
  const small = new Throttle({ ...settings, maxTracked: 30 });
  for (let i = 0; i < 1000; i++) small.fail(`spray-${i}`, `10.0.${i >> 8}.${i & 255}`, false, i);
  assert.ok(small.tracked <= 30, `tracked ${small.tracked}`);
  small.sweep(1_000_000);
  assert.equal(small.tracked, 0);
});

test('login settings: defaults from flows.md, and out-of-range values refused', () => {
  const s = resolveLoginSettings();
  assert.equal(s.afkTimeoutMs, 360_000);
  assert.equal(s.afkCheckIntervalMs, 60_000);
  assert.equal(s.loginKeyExpiryMs, 300_000);
  assert.equal(s.pool.healthIntervalMs, 10_000);
  assert.equal(s.characterLimit, 6);
  assert.deepEqual(resolveLoginSettings({ throttle: { maxFailures: 9 } }).throttle, { ...DEFAULT_LOGIN_SETTINGS.throttle, maxFailures: 9 });
  assert.equal(s.unauthenticatedTimeoutMs, 30_000);
  assert.throws(() => resolveLoginSettings({ unauthenticatedTimeoutMs: 0 }), LoginConfigError);
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
