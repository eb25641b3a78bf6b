import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXTENDEDBASE, GAME } from '../../../src/protocol/index.js';
import { AccessLevel } from '../../../src/store/index.js';
import { FolderZoneSource, GameErrorCode } from '../../../src/servers/game/index.js';
import { connectGame, eventually, move, newObjectOf, say, sendAttach, startGameKit } from './game-kit.js';

test('a private instance is created for its owner, holds several zones, and is removed once empty after the grace period', async () => {
  const kit = await startGameKit({ game: { settings: { instanceGraceMs: 150 } } });
  try {
    let a = await kit.newPlayer('lancelot');
    let b = await kit.newPlayer('percival');
    await a.client.next(GAME.MSG_NEWOBJECT, 5000);
    await b.client.next(GAME.MSG_NEWOBJECT, 5000);
    a = await kit.changeZone(a, 'Housing/Castle');
    assert.equal(a.complete.ZoneName.toString('utf8'), 'Housing/Castle');
    // B goes to the same path but lands in its own instance: neither sees the other.
    b = await kit.changeZone(b, 'Housing/Castle');
    let world = await kit.world();
    const keys = world.instances.map((i) => i.key).sort();
    assert.deepEqual(keys, [`Housing:${a.characterId}`, `Housing:${b.characterId}`].sort());
    assert.deepEqual(world.zones, ['Start']);
    // A moves on to a second zone of its instance: the instance holds both (the first one empty now).
    a = await kit.changeZone(a, 'Housing/Castle/Tower');
    world = await kit.world();
    assert.deepEqual([...world.instances.find((i) => i.key === `Housing:${a.characterId}`)!.zones].sort(), ['Housing/Castle', 'Housing/Castle/Tower']);
    say(b.client, 'alone?');
    await b.client.next(GAME.MSG_RADIALCHAT, 5000);
    assert.equal(a.client.queued(GAME.MSG_NEWOBJECT), 0);
    assert.equal(b.client.queued(GAME.MSG_NEWOBJECT), 0);

    // A leaves its instance: once the grace period is over it is gone; B's, still occupied, stays.
    a = await kit.changeZone(a, 'Start');
    await eventually(async () => (await kit.world()).instances.length === 1, 'the empty instance removed');
    assert.equal((await kit.world()).instances[0]!.key, `Housing:${b.characterId}`);
    await eventually(() => kit.harness.logsMatching('empty private instance removed').length === 1, 'the removal logged');
    // Coming back creates a fresh instance.
    a = await kit.changeZone(a, 'Housing/Castle');
    assert.equal((await kit.world()).instances.length, 2);
  } finally {
    await kit.close();
  }
});

test('a zone that fails to load refuses its arrivals with an error, and loads again on a later demand', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-zones-'));
  mkdirSync(join(dir, 'Start'));
  const kit = await startGameKit({ game: { zoneSource: new FolderZoneSource(dir) } });
  try {
    let a = await kit.newPlayer('tristan');
    // The destination is loaded first: it fails, so the player is told and stays; the client is never asked.
    a.client.send(GAME.MSG_ZONETRANSFER_REQUEST, { ZoneName: 'Lyonesse/Shore', SendAck: 1 });
    assert.match((await a.client.next(EXTENDEDBASE.MSG_SERVERMESSAGE, 5000)).Message, /Lyonesse\/Shore cannot be entered/);
    await a.client.next(GAME.MSG_ZONETRANSFER_NACK, 5000);
    assert.equal(a.client.queued(GAME.MSG_ZONETRANSFER_REQUEST), 0);
    await eventually(() => kit.harness.logsMatching('zone failed to load').length === 1, 'the failure logged');
    assert.deepEqual((await kit.world()).zones, ['Start']);
    // The data appears: the next demand creates the zone afresh and it loads.
    mkdirSync(join(dir, 'Lyonesse', 'Shore'), { recursive: true });
    a = await kit.changeZone(a, 'Lyonesse/Shore');
    assert.equal(a.complete.ZoneName.toString('utf8'), 'Lyonesse/Shore');

    // A teleport (a server decision) into a zone that cannot load is an error to the player.
    const admin = await kit.newPlayer('mark', { accessLevel: AccessLevel.Administrator });
    admin.client.send(GAME.MSG_REQUESTRADIALCHAT, { Message: '.teleport tristanChar Missing/Zone' });
    assert.equal((await a.client.next(GAME.MSG_SERVER_ERROR, 5000)).Error, GameErrorCode.ZoneUnavailable);
    assert.match((await admin.client.next(EXTENDEDBASE.MSG_SERVERMESSAGE, 5000)).Message, /^Cannot teleport tristanChar: zone Missing\/Zone/);

    // A character saved in a zone that cannot load is refused at attach with MSG_ATTACHFAILED.
    const b = await kit.newPlayer('isolde');
    await b.client.close();
    await eventually(async () => (await kit.harness.store.onlinePlayers.findByAccount(b.accountId)).length === 0, 'B offline');
    const saved = (await kit.harness.store.characters.get(b.characterId))!;
    await kit.harness.store.characters.save(b.characterId, { expectedVersion: saved.stateVersion, zoneName: 'Nowhere/Land' });
    const selected = await kit.select(b);
    const client = await connectGame(selected.port);
    sendAttach(client, selected.key, b.accountId, b.characterId);
    assert.deepEqual({ ...(await client.next(GAME.MSG_ATTACHFAILED, 5000)) }, { Error: GameErrorCode.ZoneUnavailable, Rejected: 1, NoDisconnect: 0 });
    assert.equal((await client.closed).reason, 'remote');
    await eventually(() => kit.harness.logsMatching('attach refused').some((l) => String(l['reason']).includes('Nowhere/Land')), 'the refusal logged');
  } finally {
    await kit.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a disconnected player relogs where it left: same zone, same position', async () => {
  const kit = await startGameKit({ game: { settings: { moveTickMs: 20 } } });
  try {
    let a = await kit.newPlayer('kay');
    let watcher = await kit.newPlayer('bors');
    await a.client.next(GAME.MSG_NEWOBJECT, 5000);
    a = await kit.changeZone(a, 'Camelot/Hall');
    watcher = await kit.changeZone(watcher, 'Camelot/Hall');
    await a.client.next(GAME.MSG_NEWOBJECT, 5000);
    // In the hall the watcher is shown A at the hall's start point.
    assert.equal(newObjectOf(await watcher.client.next(GAME.MSG_NEWOBJECT, 5000)).zone, 'Camelot/Hall');
    move(a.client, 100, 0xffff - 49, 7, 128);
    const seen = await watcher.client.next(GAME.MSG_SERVERMOVE, 5000);
    assert.equal(seen.LocationY, 0xffff - 49);
    a.client.destroy();
    await eventually(async () => (await kit.harness.store.onlinePlayers.findByAccount(a.accountId)).length === 0, 'A offline');
    const stored = (await kit.harness.store.characters.get(a.characterId))!;
    assert.equal(stored.zoneName, 'Camelot/Hall');
    assert.deepEqual(stored.location, { x: 400, y: -200, z: 28, yaw: Math.PI });

    const again = await kit.relog(a);
    assert.equal(again.selected.zoneName, 'Camelot/Hall');
    assert.equal(again.complete.ZoneName.toString('utf8'), 'Camelot/Hall');
    assert.equal(again.object.location, `400,-200,28,${Math.PI}`);
    // The watcher sees it come back where it left.
    const back = newObjectOf(await watcher.client.next(GAME.MSG_NEWOBJECT, 5000));
    assert.equal(back.id, a.characterId);
    assert.equal(back.location, `400,-200,28,${Math.PI}`);
  } finally {
    await kit.close();
  }
});

test('positions are saved periodically while the player plays', async () => {
  const kit = await startGameKit({ game: { settings: { saveIntervalMs: 50 } } });
  try {
    const a = await kit.newPlayer('dagonet');
    move(a.client, 3, 4, 5, 0);
    await eventually(async () => (await kit.harness.store.characters.get(a.characterId))!.location?.x === 12, 'the position saved while online');
    assert.equal((await kit.harness.store.onlinePlayers.findByAccount(a.accountId)).length, 1);
  } finally {
    await kit.close();
  }
});

test('a player whose session ends while its zone is still loading does not stay in the zone', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const source = { load: async (path: string) => { if (path === 'Slow/Zone') await gate; return { objects: 0 }; } };
  const kit = await startGameKit({ game: { zoneSource: source } });
  try {
    const ghost = await kit.newPlayer('gorlois');
    await ghost.client.close();
    await eventually(async () => (await kit.harness.store.onlinePlayers.findByAccount(ghost.accountId)).length === 0, 'offline');
    const saved = (await kit.harness.store.characters.get(ghost.characterId))!;
    await kit.harness.store.characters.save(ghost.characterId, { expectedVersion: saved.stateVersion, zoneName: 'Slow/Zone' });
    const selected = await kit.select(ghost);
    const client = await connectGame(selected.port);
    sendAttach(client, selected.key, ghost.accountId, ghost.characterId);
    await eventually(async () => (await kit.world()).zones.includes('Slow/Zone'), 'the attach waits for the zone');
    client.destroy();
    await eventually(async () => (await kit.harness.store.onlinePlayers.findByAccount(ghost.accountId)).length === 0, 'the session gone while the zone loads');
    release();
    await eventually(() => kit.harness.logsMatching('session ended without leaving').length === 1, 'the ghost removed');
    const visitor = await kit.newPlayer('igraine');
    const arrived = await kit.changeZone(visitor, 'Slow/Zone');
    const zoneInfo = await kit.game.ref.ask<readonly { name: string }[]>((replyTo) => ({ type: 'game.list-players', replyTo }), 2000);
    assert.deepEqual(zoneInfo.map((p) => p.name), ['igraineChar']);
    say(arrived.client, 'empty here');
    await arrived.client.next(GAME.MSG_RADIALCHAT, 5000);
    assert.equal(arrived.client.queued(GAME.MSG_NEWOBJECT), 0);
  } finally {
    release();
    await kit.close();
  }
});
