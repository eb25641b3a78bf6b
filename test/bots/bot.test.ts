// One Bot against a real network: its checks must be able to fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bot, BotStepError, pickAction, type StepSink } from '../../src/bots/index.js';
import { gameServersReady, makeAccounts, startPlayNetwork } from '../faults/support.js';

function recordingSink() {
  const done: string[] = [];
  const failed: string[] = [];
  const sink: StepSink = { stepDone: (step) => done.push(step), stepFailed: (step, kind) => failed.push(`${step} ${kind}`), action: () => {} };
  return { sink, done, failed };
}

test('actions are drawn by weight, and a zero weight is never drawn', () => {
  const mix = { move: 1, chat: 2, zone: 1 };
  assert.equal(pickAction(mix, 0), 'move');
  assert.equal(pickAction(mix, 0.26), 'chat');
  assert.equal(pickAction(mix, 0.74), 'chat');
  assert.equal(pickAction(mix, 0.76), 'zone');
  for (let roll = 0; roll < 1; roll += 0.01) assert.notEqual(pickAction({ move: 1, chat: 0, zone: 0 }, roll), 'chat');
});

test('a bot logging back in notices a character that is not where it logged out', async (t) => {
  const net = await startPlayNetwork(t);
  await gameServersReady(net);
  const [account] = await makeAccounts(net.store, 'state', 1);
  const { sink, done, failed } = recordingSink();
  const bot = new Bot({
    login: { host: '127.0.0.1', port: net.port }, account: account!, machineId: 5n, characterName: 'Stateful',
    actions: 3, actionIntervalMs: 1, mix: { move: 0, chat: 0, zone: 1 }, zones: ['Faults/A', 'Faults/B'], zoneMinIntervalMs: 0, sink,
  });
  const first = await bot.runJourney();
  assert.equal(first.zoneChanges, 3);
  assert.equal(bot.lastZone, first.zone);
  assert.ok(done.includes('game.logout'));

  // Another journey finds it where it left.
  const second = await bot.runJourney();
  assert.equal(failed.length, 0);

  // A save that went missing: the character is put back in another zone behind the bot's back.
  const stored = await net.store.accounts.findByUsername(account!.username);
  const [character] = await net.store.characters.listByAccount(stored!.id);
  await net.store.characters.save(character!.id, { expectedVersion: character!.stateVersion, zoneName: 'Faults/Elsewhere' });
  await assert.rejects(bot.runJourney(), (error: unknown) => error instanceof BotStepError && error.kind === 'state-lost:zone');
  assert.deepEqual(failed, ['login.select state-lost:zone']);
  assert.notEqual(second.zone, 'Faults/Elsewhere');
});
