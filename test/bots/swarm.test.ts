// The swarm against a real network in this process: a login server, a game server in its pool,
// SQLite in a temporary folder, real TCP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BotConfigError, runSwarm, type SwarmProgress } from '../../src/bots/index.js';
import { gameServersReady, makeAccounts, startPlayNetwork } from '../faults/support.js';

test('bots complete their journeys, log back in where they left, and every step is timed', async (t) => {
  const net = await startPlayNetwork(t);
  await gameServersReady(net);
  const accounts = await makeAccounts(net.store, 'swarm', 4);
  const progress: SwarmProgress[] = [];
  const report = await runSwarm({
    login: { host: '127.0.0.1', port: net.port },
    accounts,
    count: 4,
    journeys: 2,
    actions: 12,
    actionsPerSec: 40,
    mix: { move: 50, chat: 20, zone: 30 },
    spawnPerSec: 100,
    progressIntervalMs: 50,
    onProgress: (p) => progress.push(p),
  });
  assert.deepEqual(report.errors, {});
  assert.equal(report.journeysCompleted, 8);
  assert.equal(report.journeysFailed, 0);
  assert.equal(report.actions.move + report.actions.chat + report.actions.zone, 8 * 12);
  for (const step of ['login.connect', 'login.authenticate', 'login.admit', 'login.list', 'login.create', 'login.select', 'game.connect', 'game.attach', 'game.logout']) {
    assert.ok(report.steps[step] !== undefined && report.steps[step]!.count > 0, `step ${step} is in the report`);
  }
  assert.equal(report.steps['login.create']!.count, 4, 'each account got one character, once');
  assert.equal(report.steps['login.select']!.count, 8);
  // The second journey of each bot checked that the login server sends it to the zone it left in.
  for (const account of accounts) {
    const stored = await net.store.accounts.findByUsername(account.username);
    const characters = await net.store.characters.listByAccount(stored!.id);
    assert.equal(characters.length, 1);
    assert.ok(characters[0]!.zoneName !== null, 'the character\'s zone was saved');
  }
  assert.ok(progress.length >= 2 && progress.at(-1)!.journeysCompleted === 8, 'progress snapshots come while running and at the end');
});

test('wrong passwords are counted by step and kind, and nothing else is attempted', async (t) => {
  const net = await startPlayNetwork(t);
  const [good] = await makeAccounts(net.store, 'real', 1);
  const report = await runSwarm({
    login: { host: '127.0.0.1', port: net.port },
    accounts: [{ username: good!.username, password: 'wrong' }],
    count: 1,
    journeys: 1,
    retryDelayMs: 10,
  });
  assert.equal(report.journeysCompleted, 0);
  assert.ok(report.journeysFailed >= 1);
  assert.deepEqual(Object.keys(report.errors), ['login.authenticate authen-rejected:0x3b689180']);
  assert.equal(report.steps['login.select'], undefined);
});

test('an unreachable login server is a connect error, not a hang', async () => {
  const report = await runSwarm({ login: { host: '127.0.0.1', port: 1 }, accounts: [{ username: 'a', password: 'b' }], count: 1, retryDelayMs: 10 });
  assert.equal(report.journeysCompleted, 0);
  assert.ok(Object.keys(report.errors).every((k) => k.startsWith('login.connect ')), JSON.stringify(report.errors));
});

test('swarm options are checked before any bot starts', async () => {
  const base = { login: { host: '127.0.0.1', port: 1 }, accounts: [{ username: 'a', password: 'b' }] };
  await assert.rejects(runSwarm({ ...base, count: 2 }), /2 bots need 2 accounts/);
  await assert.rejects(runSwarm({ ...base, count: 1, mix: { move: 0, chat: 0, zone: 0 } }), BotConfigError);
  await assert.rejects(runSwarm({ ...base, count: 1, actionsPerSec: 0 }), BotConfigError);
});
