import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXTENDEDBASE, GAME } from '../../../src/protocol/index.js';
import { replyOrRefusal } from '../../../src/bots/index.js';
import { GameErrorCode } from '../../../src/servers/game/index.js';
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

test('a zone change is the server\'s question: NACK cancels it, ACK leaves the zone, saves and sends the player to reconnect', async () => {
  const kit = await startGameKit({ game: { settings: { moveTickMs: 20 } } });
  try {
    const a = await kit.newPlayer('gawain');
    const b = await kit.newPlayer('galahad');
    await a.client.next(GAME.MSG_NEWOBJECT, 5000);
    await b.client.next(GAME.MSG_NEWOBJECT, 5000);
    // The server asks the client, with SendAck 1; the client declines: nothing changes.
    a.client.send(GAME.MSG_ZONETRANSFER_REQUEST, { ZoneName: 'WizardCity/Ravenwood', SendAck: 1 });
    const asked = await a.client.next(GAME.MSG_ZONETRANSFER_REQUEST, 5000);
    assert.deepEqual([asked.ZoneName.toString('utf8'), asked.SendAck], ['WizardCity/Ravenwood', 1]);
    a.client.send(GAME.MSG_ZONETRANSFER_NACK, {});
    await eventually(() => kit.harness.logsMatching('zone change cancelled').length === 1, 'the cancel logged');
    move(a.client, 7, 7, 7, 0);
    assert.equal((await b.client.next(GAME.MSG_SERVERMOVE, 5000)).LocationX, 7, 'still in the zone after the NACK');
    assert.notEqual((await kit.harness.store.characters.get(a.characterId))!.zoneName, 'WizardCity/Ravenwood');

    // Asked again, the client acknowledges: it leaves the zone, is saved at the destination, and is sent to reconnect.
    const moved = await kit.changeZone(a, 'WizardCity/Ravenwood');
    assert.equal((await b.client.next(GAME.MSG_REMOVEOBJECT, 5000)).GameObjectID, a.characterId);
    const t = moved.transfer;
    assert.deepEqual(
      [t.IP.toString('utf8'), t.TCPPort, t.UserID, t.CharID, t.ZoneName.toString('utf8'), t.TargetPlayerID, t.TransitionID],
      ['127.0.0.1', kit.game.port, a.accountId, a.characterId, 'WizardCity/Ravenwood', a.characterId, 1],
    );
    assert.ok(t.Key > 0 && t.FallbackKey > 0 && t.Key !== t.FallbackKey, 'two fresh one-time keys');
    assert.deepEqual([t.FallbackIP.toString('utf8'), t.FallbackTCPPort, t.FallbackZone.toString('utf8')], ['127.0.0.1', kit.game.port, 'Start']);
    assert.equal(t.ZoneID, moved.complete.ZoneID);
    assert.equal(t.FallbackZoneID, a.complete.ZoneID);
    assert.equal(moved.complete.ZoneName.toString('utf8'), 'WizardCity/Ravenwood');
    assert.equal((await kit.harness.store.characters.get(a.characterId))!.zoneName, 'WizardCity/Ravenwood');
    // The key was used: it does not attach a second time.
    const again = await connectGame(kit.game.port);
    sendAttach(again, String(t.Key), a.accountId, a.characterId);
    assert.equal((await again.next(GAME.MSG_ATTACHFAILED, 5000)).Error, GameErrorCode.BadLoginKey);

    // B follows: A, already there, sees B appear and move.
    const b2 = await kit.changeZone(b, 'WizardCity/Ravenwood');
    assert.equal(newObjectOf(await moved.client.next(GAME.MSG_NEWOBJECT, 5000)).id, b.characterId);
    move(b2.client, 6, 6, 6, 0);
    assert.equal((await moved.client.next(GAME.MSG_SERVERMOVE, 5000)).LocationX, 6);
    // Invalid destinations are refused at once.
    for (const zone of ['../etc', '', 'a'.repeat(300)]) {
      moved.client.send(GAME.MSG_ZONETRANSFER_REQUEST, { ZoneName: zone, SendAck: 1 });
      await moved.client.next(GAME.MSG_ZONETRANSFER_NACK, 5000);
    }
    assert.equal(moved.client.queued(GAME.MSG_ZONETRANSFER_REQUEST), 0);
    assert.deepEqual([...(await kit.world()).zones].sort(), ['Start', 'WizardCity/Ravenwood']);
    for (const player of [moved, b2]) assert.equal(player.client.stats.crowdedFrames, 0);
  } finally {
    await kit.close();
  }
});

test('a client that never answers the zone change stays where it is', async () => {
  const kit = await startGameKit({ game: { settings: { transferAckTimeoutMs: 200 } } });
  try {
    const a = await kit.newPlayer('bors');
    a.client.send(GAME.MSG_ZONETRANSFER_REQUEST, { ZoneName: 'Corbenic/Castle', SendAck: 1 });
    await a.client.next(GAME.MSG_ZONETRANSFER_REQUEST, 5000);
    await eventually(() => kit.harness.logsMatching('zone change cancelled').some((l) => /no answer/.test(String(l['reason']))), 'the timeout logged');
    // A late ACK changes nothing; the player can be asked again.
    a.client.send(GAME.MSG_ZONETRANSFER_ACK, {});
    const moved = await kit.changeZone(a, 'Corbenic/Castle');
    assert.equal(moved.complete.ZoneName.toString('utf8'), 'Corbenic/Castle');
  } finally {
    await kit.close();
  }
});

test('a client naming new zones cannot grow the world without bound, nor change zone without limit', async () => {
  const kit = await startGameKit({ game: { settings: { maxZones: 3, maxZoneChangesPer10s: 4 } } });
  try {
    const a = await kit.newPlayer('agravain');
    // Each accepted request loads its zone, then the server asks; the client declines and stays.
    const request = async (zone: string): Promise<'asked' | 'refused'> => {
      a.client.send(GAME.MSG_ZONETRANSFER_REQUEST, { ZoneName: zone, SendAck: 1 });
      const outcome = await replyOrRefusal(a.client, GAME.MSG_ZONETRANSFER_REQUEST, GAME.MSG_ZONETRANSFER_NACK, 5000);
      if (!outcome.ok) return 'refused';
      a.client.send(GAME.MSG_ZONETRANSFER_NACK, {});
      return 'asked';
    };
    assert.equal(await request('Orkney/One'), 'asked');
    assert.equal(await request('Orkney/Two'), 'asked');
    assert.equal(await request('Orkney/Three'), 'refused');
    assert.equal((await kit.world()).zones.length, 3);
    await eventually(() => kit.harness.logsMatching('zone transfer refused').some((l) => String(l['reason']).includes('zones are loaded')), 'the world cap logged');
    assert.equal(await request('Orkney/One'), 'asked');
    assert.equal(await request('Orkney/Two'), 'refused');
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
    assert.equal((await client.next(GAME.MSG_ZONETRANSFER_REQUEST, 5000)).ZoneName.toString('utf8'), 'Broceliande/Spring');
    assert.equal(client.queued(GAME.MSG_ZONETRANSFER_NACK), 0);
  } finally {
    await kit.close();
  }
});
