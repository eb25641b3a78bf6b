import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXTENDEDBASE, GAME } from '../../../src/protocol/index.js';
import { connectGame, eventually, move, newObjectOf, say, sendAttach, startGameKit } from './game-kit.js';

test('two players in one zone see each other appear, move, chat and leave', async () => {
  const kit = await startGameKit({ game: { settings: { moveTickMs: 20 } } });
  try {
    const a = await kit.newPlayer('arthur');
    const b = await kit.newPlayer('bedivere');
    // A sees B appear; B is shown A, who was there first.
    assert.equal(newObjectOf(await a.client.next(GAME.MSG_NEWOBJECT, 5000)).id, b.characterId);
    const shown = newObjectOf(await b.client.next(GAME.MSG_NEWOBJECT, 5000));
    assert.deepEqual(shown, { id: a.characterId, name: 'arthurChar', zone: 'Start', location: '0,0,0,0' });

    // B moves: A gets it as MSG_SERVERMOVE with B's mobile id; B does not get its own move back.
    move(b.client, 10, 20, 30, 64);
    const moved = await a.client.next(GAME.MSG_SERVERMOVE, 5000);
    assert.deepEqual({ x: moved.LocationX, y: moved.LocationY, z: moved.LocationZ, d: moved.Direction }, { x: 10, y: 20, z: 30, d: 64 });
    move(a.client, 1, 2, 3, 4);
    const back = await b.client.next(GAME.MSG_SERVERMOVE, 5000);
    assert.equal(back.LocationX, 1);
    assert.notEqual(back.MobileID, moved.MobileID);
    assert.equal(b.client.queued(GAME.MSG_SERVERMOVE), 0);
    // A newcomer sees B where B moved to (10 steps of 4 world units...).
    const c = await kit.newPlayer('cai');
    const present = new Map<bigint, string>();
    for (let i = 0; i < 2; i++) {
      const object = newObjectOf(await c.client.next(GAME.MSG_NEWOBJECT, 5000));
      present.set(object.id, object.location);
    }
    assert.match(present.get(b.characterId)!, /^40,80,120,1\.57/);

    // Chat reaches everyone in the zone, the speaker included, with the speaker's name and id.
    say(a.client, 'Hello, Camelot');
    for (const listener of [a, b, c]) {
      const chat = await listener.client.next(GAME.MSG_RADIALCHAT, 5000);
      assert.equal(chat.Message.toString('utf8'), 'Hello, Camelot');
      assert.equal(chat.SourceName.toString('utf8'), 'arthurChar');
      assert.equal(chat.SourceID, a.characterId);
    }
    // Too long: refused with a server message, never broadcast.
    say(a.client, 'x'.repeat(300));
    assert.match((await a.client.next(EXTENDEDBASE.MSG_SERVERMESSAGE, 5000)).Message, /too long/);
    // A player's command attempt is refused and not broadcast either.
    say(b.client, '.who');
    assert.match((await b.client.next(EXTENDEDBASE.MSG_SERVERMESSAGE, 5000)).Message, /not allowed/);
    say(c.client, 'after');
    assert.equal((await a.client.next(GAME.MSG_RADIALCHAT, 5000)).Message.toString('utf8'), 'after');

    // B leaves: the others get MSG_REMOVEOBJECT with B's id.
    await b.client.close();
    assert.equal((await a.client.next(GAME.MSG_REMOVEOBJECT, 5000)).GameObjectID, b.characterId);
    assert.equal((await c.client.next(GAME.MSG_REMOVEOBJECT, 5000)).GameObjectID, b.characterId);
    await eventually(async () => (await kit.harness.store.onlinePlayers.findByAccount(b.accountId)).length === 0, 'B no longer online');
    // Every message came in a frame of its own: real clients read only the first DML message of a frame.
    for (const player of [a, b, c]) assert.equal(player.client.stats.crowdedFrames, 0, player.username);
  } finally {
    await kit.close();
  }
});

test('a zone transfer is acknowledged, moves the player between zones, and an invalid one is refused', async () => {
  const kit = await startGameKit({ game: { settings: { moveTickMs: 20 } } });
  try {
    const a = await kit.newPlayer('gawain');
    const b = await kit.newPlayer('galahad');
    await a.client.next(GAME.MSG_NEWOBJECT, 5000);
    a.client.send(GAME.MSG_ZONETRANSFER_REQUEST, { ZoneName: 'WizardCity/Ravenwood', SendAck: 1 });
    await a.client.next(GAME.MSG_ZONETRANSFER_ACK, 5000);
    const transfer = await a.client.next(GAME.MSG_ZONETRANSFER, 5000);
    assert.equal(transfer.ZoneName.toString('utf8'), 'WizardCity/Ravenwood');
    assert.equal(transfer.ZoneCounter, 1);
    assert.equal((await b.client.next(GAME.MSG_REMOVEOBJECT, 5000)).GameObjectID, a.characterId);
    // Moves carry the new zone counter; one with the old counter belongs to the old zone and is dropped.
    b.client.send(GAME.MSG_ZONETRANSFER_REQUEST, { ZoneName: 'WizardCity/Ravenwood', SendAck: 0 });
    assert.equal((await b.client.next(GAME.MSG_ZONETRANSFER, 5000)).ZoneCounter, 1);
    assert.equal(b.client.queued(GAME.MSG_ZONETRANSFER_ACK), 0);
    assert.equal(newObjectOf(await a.client.next(GAME.MSG_NEWOBJECT, 5000)).id, b.characterId);
    move(b.client, 5, 5, 5, 0, 0);
    move(b.client, 6, 6, 6, 0, 1);
    const moved = await a.client.next(GAME.MSG_SERVERMOVE, 5000);
    assert.equal(moved.LocationX, 6);
    for (const zone of ['../etc', '', 'WizardCity/Ravenwood', 'a'.repeat(300)]) {
      a.client.send(GAME.MSG_ZONETRANSFER_REQUEST, { ZoneName: zone, SendAck: 1 });
      await a.client.next(GAME.MSG_ZONETRANSFER_NACK, 5000);
    }
    assert.equal(a.client.queued(GAME.MSG_ZONETRANSFER), 0);
    const world = await kit.world();
    assert.deepEqual([...world.zones].sort(), ['Start', 'WizardCity/Ravenwood']);
    // The zone change was saved.
    const saved = await kit.harness.store.characters.get(a.characterId);
    assert.equal(saved!.zoneName, 'WizardCity/Ravenwood');
  } finally {
    await kit.close();
  }
});

test('a client naming new zones cannot grow the world without bound, nor change zone without limit', async () => {
  const kit = await startGameKit({ game: { settings: { maxZones: 3, maxZoneChangesPer10s: 4 } } });
  try {
    const a = await kit.newPlayer('agravain');
    const request = (zone: string): void => a.client.send(GAME.MSG_ZONETRANSFER_REQUEST, { ZoneName: zone, SendAck: 1 });
    request('Orkney/One');
    await a.client.next(GAME.MSG_ZONETRANSFER, 5000);
    request('Orkney/Two');
    await a.client.next(GAME.MSG_ZONETRANSFER, 5000);
    request('Orkney/Three');
    await a.client.next(GAME.MSG_ZONETRANSFER_NACK, 5000);
    assert.equal((await kit.world()).zones.length, 3);
    await eventually(() => kit.harness.logsMatching('zone transfer refused').some((l) => String(l['reason']).includes('zones are loaded')), 'the world cap logged');
    request('Orkney/One');
    await a.client.next(GAME.MSG_ZONETRANSFER, 5000);
    request('Orkney/Two');
    await a.client.next(GAME.MSG_ZONETRANSFER_NACK, 5000);
    await eventually(() => kit.harness.logsMatching('zone transfer refused').some((l) => l['reason'] === 'too many zone changes'), 'the rate limit logged');
  } finally {
    await kit.close();
  }
});

test('a zone request sent right behind the attach waits for the attach and is served', async () => {
  const kit = await startGameKit();
  try {
    const a = await kit.newPlayer('yvain');
    await a.client.close();
    await eventually(async () => (await kit.harness.store.onlinePlayers.findByAccount(a.accountId)).length === 0, 'offline');
    const selected = await kit.select(a);
    const client = await connectGame(selected.port);
    sendAttach(client, selected.key, a.accountId, a.characterId);
    client.send(GAME.MSG_ZONETRANSFER_REQUEST, { ZoneName: 'Broceliande/Spring', SendAck: 1 });
    await client.next(GAME.MSG_LOGINCOMPLETE, 5000);
    assert.equal((await client.next(GAME.MSG_ZONETRANSFER, 5000)).ZoneName.toString('utf8'), 'Broceliande/Spring');
    assert.equal(client.queued(GAME.MSG_ZONETRANSFER_NACK), 0);
  } finally {
    await kit.close();
  }
});
