import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GAME, SYSTEM, WIZARD, WIZARD2 } from '../../../src/protocol/index.js';
import { AccessLevel } from '../../../src/store/index.js';
import { connectGame, eventually, move, newObjectOf, say, sendAttach, startGameKit, type GameKit, type Player } from './game-kit.js';

/** Selects and attaches an existing player's character without the MSG_CLIENTZONED a client sends once loaded. */
async function attachSilently(kit: GameKit, player: Player) {
  await player.client.close();
  await eventually(async () => (await kit.harness.store.onlinePlayers.findByAccount(player.accountId)).length === 0, 'offline');
  const selected = await kit.select(player);
  const client = await connectGame(selected.port);
  sendAttach(client, selected.key, player.accountId, player.characterId);
  const complete = await client.next(GAME.MSG_LOGINCOMPLETE, 5000);
  return { client, complete };
}

test('entering: LOGINCOMPLETE, the login chatter answered, nothing shown until MSG_CLIENTZONED, then objects both ways', async () => {
  const kit = await startGameKit({ game: { settings: { moveTickMs: 20, zonedWaitMs: 60_000 } } });
  try {
    const a = await kit.newPlayer('gareth');
    const b0 = await kit.newPlayer('gaheris');
    await a.client.next(GAME.MSG_NEWOBJECT, 5000);
    const { client: b, complete } = await attachSilently(kit, b0);
    assert.equal(complete.SegmentedMessage, 0);
    assert.equal(complete.LastSegment, 0);

    // The chatter a client sends while its zone loads: empty or zero answers, and no disconnect.
    b.send(WIZARD.MSG_GETTIMEDACCESSPASSES, {});
    assert.equal((await b.next(WIZARD.MSG_TIMEDACCESSPASSES, 5000)).Data.length, 0);
    b.send(WIZARD.MSG_GETSUBSCRIBERONLYITEMS, {});
    assert.equal((await b.next(WIZARD.MSG_SUBSCRIBERONLYITEMS, 5000)).Data.length, 0);
    b.send(WIZARD.MSG_CROWNBALANCE, { Failure: 0, TotalCrowns: 0, CharacterID: 0n, CacheBalanceForCSSegmentation: 0 });
    assert.deepEqual(await b.next(WIZARD.MSG_CROWNBALANCE, 5000), { Failure: 0, TotalCrowns: 0, CharacterID: b0.characterId, CacheBalanceForCSSegmentation: 0 });
    b.send(WIZARD.MSG_LOGCLIENTRESOLUTION, { ScreenWidth: 800, ScreenHeight: 600, FullScreen: 0, ClassicMode: 0 });
    b.send(WIZARD.MSG_LOGPATCHCLIENTPATCHTIME, { PatchClientPatchTime: 12 });
    b.send(WIZARD.MSG_QUESTFINDEROPTION, { Enable: 1 });
    b.send(SYSTEM.MSG_PING, {});
    await b.next(SYSTEM.MSG_PING_RSP, 5000);
    b.send(GAME.MSG_QUERYLOGOUT, { IsInstance: 0 });
    assert.equal((await b.next(GAME.MSG_QUERYLOGOUT, 5000)).IsInstance, 0);

    // Not in the world yet: A's chat and moves do not reach B, and A is not shown B.
    say(a.client, 'anyone there?');
    await a.client.next(GAME.MSG_RADIALCHAT, 5000);
    move(a.client, 3, 3, 3, 0);
    b.send(WIZARD2.MSG_CLIENTZONED, { ZoneNameID: 0 });
    // The zone shows B what is there only now; anything sent to B before would be queued ahead of it.
    assert.equal(newObjectOf(await b.next(GAME.MSG_NEWOBJECT, 5000)).id, a.characterId);
    assert.equal(b.queued(GAME.MSG_RADIALCHAT), 0);
    assert.equal(newObjectOf(await a.client.next(GAME.MSG_NEWOBJECT, 5000)).id, b0.characterId);
    move(a.client, 4, 4, 4, 0);
    assert.equal((await b.next(GAME.MSG_SERVERMOVE, 5000)).LocationX, 4);
    assert.equal(b.isClosed, false);
    assert.equal(b.stats.crowdedFrames, 0);
  } finally {
    await kit.close();
  }
});

test('without MSG_CLIENTZONED the player is put in the world once the wait is over; a setting shows objects at once', async () => {
  const kit = await startGameKit({ game: { settings: { zonedWaitMs: 150 } } });
  try {
    const a = await kit.newPlayer('dinadan');
    const b0 = await kit.newPlayer('lamorak');
    await a.client.next(GAME.MSG_NEWOBJECT, 5000);
    const { client: b } = await attachSilently(kit, b0);
    assert.equal(newObjectOf(await b.next(GAME.MSG_NEWOBJECT, 5000)).id, a.characterId);
    assert.equal(newObjectOf(await a.client.next(GAME.MSG_NEWOBJECT, 5000)).id, b0.characterId);
  } finally {
    await kit.close();
  }
  const eager = await startGameKit({ game: { settings: { zonedWaitMs: 600_000, objectsBeforeZoned: true } } });
  try {
    const a = await eager.newPlayer('safir');
    const b0 = await eager.newPlayer('segwarides');
    await a.client.next(GAME.MSG_NEWOBJECT, 5000);
    const { client: b } = await attachSilently(eager, b0);
    assert.equal(newObjectOf(await b.next(GAME.MSG_NEWOBJECT, 5000)).id, a.characterId);
  } finally {
    await eager.close();
  }
});

test('a move within the zone is MSG_SERVERTELEPORT to the player, with its mobile id, and a move to the others', async () => {
  const kit = await startGameKit({ game: { settings: { moveTickMs: 20 } } });
  try {
    const admin = await kit.newPlayer('merlin', { accessLevel: AccessLevel.Administrator });
    const b = await kit.newPlayer('kay');
    await admin.client.next(GAME.MSG_NEWOBJECT, 5000);
    move(b.client, 1, 1, 1, 0);
    const mobileId = (await admin.client.next(GAME.MSG_SERVERMOVE, 5000)).MobileID;
    say(admin.client, '.teleport kayChar Start 40,80,12,0');
    const teleport = await b.client.next(GAME.MSG_SERVERTELEPORT, 5000);
    assert.deepEqual([teleport.LocationX, teleport.LocationY, teleport.LocationZ, teleport.MobileID], [10, 20, 3, mobileId]);
    const seen = await admin.client.next(GAME.MSG_SERVERMOVE, 5000);
    assert.deepEqual([seen.LocationX, seen.LocationY, seen.MobileID], [10, 20, mobileId]);
    assert.equal(b.client.queued(GAME.MSG_ZONETRANSFER_REQUEST), 0, 'no reconnect within a zone');
  } finally {
    await kit.close();
  }
});

test('a player who shows no activity past the AFK limit is told and disconnected, and saved', async () => {
  const kit = await startGameKit({ game: { settings: { afkTimeoutMs: 300 } } });
  try {
    const a = await kit.newPlayer('dagonet');
    assert.equal((await a.client.next(GAME.MSG_DISCONNECT_AFK, 5000)).Warning, 0);
    await a.client.closed;
    await eventually(async () => (await kit.harness.store.onlinePlayers.findByAccount(a.accountId)).length === 0, 'offline');
    assert.equal(kit.harness.logsMatching('away from keyboard').length, 1);
  } finally {
    await kit.close();
  }
});
