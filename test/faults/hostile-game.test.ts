// Hostile clients against a real game server (in the login server's pool, in-process, real TCP and
// SQLite): replayed and forged one-time keys, huge and rapid chat, a player who stops reading while
// the zone broadcasts to it, sessions that never attach. Each case checks the other players are
// still served and their acknowledged state is intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KiClient } from '../../src/net/index.js';
import { EXTENDEDBASE, GAME, encodeFrame, MessageRegistry } from '../../src/protocol/index.js';
import { attach, chat, encodeCreationInfo, logout, type Selected } from '../../src/bots/index.js';
import {
  FULL, closedWithin, enterGame, figures, gameServerRef, gameServersReady, makeAccounts, rawConnect, seededBytes, sessionsOf, size, sleep,
  startPlayNetwork, type InGame,
} from './support.js';

const registry = MessageRegistry.defaults();

async function attachOutcome(port: number, selected: Selected): Promise<'attached' | 'refused' | 'closed'> {
  const client = await KiClient.connect({ port, keepAliveMs: 0 });
  try {
    await attach(client, selected, 42n, 3000);
    return 'attached';
  } catch (error) {
    return (error as { kind?: string }).kind?.startsWith('attach-failed') === true ? 'refused' : 'closed';
  } finally {
    client.destroy();
  }
}

/** The player still hears itself in its zone: a chat round trip. */
async function stillServed(player: InGame, text: string): Promise<void> {
  await chat(player.client, text, 5000);
}

test('a one-time login key works once: replays, forged keys and keys for another character are refused', async (t) => {
  const net = await startPlayNetwork(t);
  await gameServersReady(net);
  const [alice, bob] = await makeAccounts(net.store, 'key', 2);
  const a = await enterGame(net.port, alice!);
  const gamePort = a.selected.port;
  const n = size(10, 500);
  const random = seededBytes(0xc0ffee);
  const outcomes: string[] = [];
  for (let i = 0; i < n; i++) {
    outcomes.push(await attachOutcome(gamePort, a.selected));
    outcomes.push(await attachOutcome(gamePort, { ...a.selected, key: Buffer.from(random(32).toString('base64')) }));
    outcomes.push(await attachOutcome(gamePort, { ...a.selected, key: Buffer.alloc(0) }));
  }
  // Bob's key, fresh and unused, presented for Alice's character.
  const b = await enterGame(net.port, bob!);
  outcomes.push(await attachOutcome(gamePort, { ...b.selected, characterId: a.selected.characterId, userId: a.selected.userId }));
  assert.equal(outcomes.filter((o) => o === 'attached').length, 0, `no replayed or forged key attaches (${outcomes.join(',')})`);
  assert.equal(outcomes.filter((o) => o === 'refused').length, outcomes.length, 'each one gets MSG_ATTACHFAILED, not a silent close');
  await stillServed(a, 'alice is still here');
  await stillServed(b, 'bob is still here');
  figures(t, 'login-key-replay', { attempts: outcomes.length, refused: outcomes.filter((o) => o === 'refused').length, closedWithoutReply: outcomes.filter((o) => o === 'closed').length });
  a.client.destroy();
  b.client.destroy();
});

test('huge and rapid chat never reaches the zone, and oversized frames end only the sender', async (t) => {
  const net = await startPlayNetwork(t);
  await gameServersReady(net);
  const [speaker, listener, attacker] = await makeAccounts(net.store, 'chat', 3);
  const s = await enterGame(net.port, speaker!);
  const l = await enterGame(net.port, listener!);
  const x = await enterGame(net.port, attacker!);
  assert.equal(s.zone, l.zone);
  const rounds = size(3, 50);
  let refusedLong = 0;
  for (let i = 0; i < rounds; i++) {
    s.client.send(GAME.MSG_REQUESTRADIALCHAT, { Message: 'A'.repeat(60_000 + i) });
    const notice = await s.client.next(EXTENDEDBASE.MSG_SERVERMESSAGE, 3000);
    if (/too long/i.test(notice.Message)) refusedLong++;
  }
  // A chat frame past the 64 KiB cap (its DML length field claims 65,535): the connection is cut, no broadcast.
  const big = Buffer.alloc(70_000, 0x42);
  const order = registry.record(GAME.MSG_REQUESTRADIALCHAT).order;
  big.writeUInt8(5, 0);
  big.writeUInt8(order, 1);
  big.writeUInt16LE(0xffff, 2);
  big.writeUInt16LE(0xfff0, 4);
  x.client.writeRaw(encodeFrame(false, 0, big));
  const cut = await Promise.race([x.client.closed.then(() => true), sleep(3000).then(() => false)]);
  assert.ok(cut, 'the oversized frame closed the attacker\'s connection');
  // Rapid chat: far past the rate limit.
  const burst = size(100, 2000);
  for (let i = 0; i < burst; i++) l.client.send(GAME.MSG_REQUESTRADIALCHAT, { Message: `flood ${i}` });
  await sleep(700);
  let heard = 0;
  let longHeard = 0;
  while (s.client.queued(GAME.MSG_RADIALCHAT) > 0) {
    const m = await s.client.next(GAME.MSG_RADIALCHAT, 100);
    if (m.Message.length > 256) longHeard++;
    else heard++;
  }
  assert.equal(longHeard, 0, 'no oversized chat was broadcast');
  assert.equal(refusedLong, rounds, 'the speaker was told each time');
  assert.ok(heard <= 10, `the flood is cut at the rate limit (${heard} of ${burst} broadcast)`);
  await stillServed(s, 'the speaker still speaks');
  figures(t, 'huge-and-rapid-chat', { hugeMessages: rounds, broadcastHuge: longHeard, burst, broadcastOfBurst: heard, oversizedFrameCut: cut });
  s.client.destroy();
  l.client.destroy();
});

test('a player who stops reading is dropped when its buffer fills, and the zone keeps serving the others', async (t) => {
  const capBytes = 256 * 1024;
  const net = await startPlayNetwork(t, { game: { session: { outboundCapBytes: capBytes } } });
  await gameServersReady(net);
  const [slowAccount, witnessAccount, ...churnAccounts] = await makeAccounts(net.store, 'slow', 2 + size(3, 8));
  // Big creation data makes every entry into the zone a large MSG_NEWOBJECT to everyone there; the churners
  // enter (log in and attach) and leave (log out) over and over.
  const blob = encodeCreationInfo('x', Buffer.alloc(60_000, 0x5a));
  for (const account of churnAccounts) {
    const stored = await net.store.accounts.findByUsername(account.username);
    await net.store.characters.create({ accountId: stored!.id, name: `${account.username}C`, creationData: blob });
  }
  const game = await gameServerRef(net);
  const slow = await enterGame(net.port, slowAccount!);
  const witness = await enterGame(net.port, witnessAccount!, { queueCap: 8 });
  const before = await sessionsOf(game);
  assert.equal(before, 2);
  slow.client.pauseReading();
  const heapBefore = process.memoryUsage().heapUsed;

  let entries = 0;
  let stop = false;
  t.after(() => { stop = true; });
  const churn = churnAccounts.map(async (account) => {
    while (!stop) {
      const c = await enterGame(net.port, account, { queueCap: 8 });
      entries++;
      await logout(c.client, 5000);
    }
  });
  // A churner's failure must fail the test where it happens, not after it.
  const churnDone = Promise.all(churn);
  churnDone.catch(() => {});
  const started = Date.now();
  let dropped = false;
  while (Date.now() - started < (FULL ? 60_000 : 30_000)) {
    const info = await Promise.race([slow.client.closed, sleep(0).then(() => undefined)]);
    if (info !== undefined || (await net.store.onlinePlayers.findByAccount((await net.store.accounts.findByUsername(slowAccount!.username))!.id)).length === 0) {
      dropped = true;
      break;
    }
    await sleep(50);
  }
  const droppedAfterMs = Date.now() - started;
  // The others kept playing while it happened, and still do.
  await stillServed(witness, 'the witness still hears itself');
  stop = true;
  await churnDone;
  assert.ok(dropped, 'the slow reader\'s session was dropped');
  slow.client.resumeReading();
  const info = await Promise.race([slow.client.closed, sleep(5000).then(() => undefined)]);
  assert.ok(info !== undefined, 'the slow reader finds its connection gone');
  const heapAfter = process.memoryUsage().heapUsed;
  assert.equal(await sessionsOf(game), 1, 'only the witness is left on the game server');
  figures(t, 'slow-reader', {
    outboundCapBytes: capBytes, zoneEntriesBroadcast: entries, approxBytesTowardReader: entries * 60_000, droppedAfterMs,
    heapGrowthMiB: Math.round(((heapAfter - heapBefore) / 1048576) * 10) / 10, othersServed: churnAccounts.length + 1,
  });
  witness.client.destroy();
});

test('game sessions that never attach, or send garbage, are closed and the players in the zone stay', async (t) => {
  const net = await startPlayNetwork(t, { game: { settings: { attachTimeoutMs: 1000 } } });
  await gameServersReady(net);
  const [account] = await makeAccounts(net.store, 'idle', 1);
  const player = await enterGame(net.port, account!);
  const port = player.selected.port;
  const n = size(20, 500);
  const random = seededBytes(0xdeadbeef);
  const results = await Promise.all(Array.from({ length: n }, async (_, i) => {
    if (i % 2 === 0) {
      const client = await KiClient.connect({ port, keepAliveMs: 0 });
      const info = await Promise.race([client.closed, sleep(6000).then(() => undefined)]);
      client.destroy();
      return info !== undefined;
    }
    const socket = await rawConnect(port);
    const junk = random(1 + (i % 512));
    if (junk[0] === 0x0d) junk[0] = 0;
    socket.write(junk);
    const closed = await closedWithin(socket, 6000);
    socket.destroy();
    return closed !== undefined;
  }));
  assert.equal(results.filter((r) => !r).length, 0, 'every idle or garbage session was closed');
  assert.equal(await sessionsOf(await gameServerRef(net)), 1);
  await stillServed(player, 'still in the zone');
  figures(t, 'game-never-attached-or-garbage', { connections: n, closed: results.filter(Boolean).length });
  player.client.destroy();
});
