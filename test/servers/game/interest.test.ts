import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GAME } from '../../../src/protocol/index.js';
import { move, newObjectOf, startGameKit } from './game-kit.js';

// Render distance 400 world units: 100 wire steps; a pair leaves view past 120 steps.
const SETTINGS = { moveTickMs: 20, renderDistance: 400 };

test('players see each other only within the interest range: shown, hidden and shown again as they walk', async () => {
  const kit = await startGameKit({ game: { settings: SETTINGS } });
  try {
    const a = await kit.newPlayer('percival');
    const b = await kit.newPlayer('lamorak');
    assert.equal(newObjectOf(await a.client.next(GAME.MSG_NEWOBJECT, 5000)).id, b.characterId);
    assert.equal(newObjectOf(await b.client.next(GAME.MSG_NEWOBJECT, 5000)).id, a.characterId);

    // B walks out of range: each is hidden from the other.
    move(b.client, 200, 0, 0, 0);
    assert.equal((await a.client.next(GAME.MSG_REMOVEOBJECT, 5000)).GameObjectID, b.characterId);
    assert.equal((await b.client.next(GAME.MSG_REMOVEOBJECT, 5000)).GameObjectID, a.characterId);
    // Whatever of B's moves A got before the hide is not what this test is about.
    while (a.client.queued(GAME.MSG_SERVERMOVE) > 0) await a.client.next(GAME.MSG_SERVERMOVE, 1000);

    // A newcomer at the origin is shown A, not B, and only A is shown the newcomer.
    const c = await kit.newPlayer('safir');
    assert.equal(newObjectOf(await c.client.next(GAME.MSG_NEWOBJECT, 5000)).id, a.characterId);
    assert.equal(c.client.queued(GAME.MSG_NEWOBJECT), 0);
    assert.equal(newObjectOf(await a.client.next(GAME.MSG_NEWOBJECT, 5000)).id, c.characterId);

    // Out of range, A's move reaches C but not B, and B's moves reach nobody.
    move(a.client, 1, 0, 0, 0);
    assert.equal((await c.client.next(GAME.MSG_SERVERMOVE, 5000)).LocationX, 1);
    move(b.client, 210, 0, 0, 0);

    // B walks back: shown to both (where it stands now), and both are shown to it.
    move(b.client, 10, 0, 0, 0);
    const back = newObjectOf(await a.client.next(GAME.MSG_NEWOBJECT, 5000));
    assert.equal(back.id, b.characterId);
    assert.match(back.location, /^40,0,0,/);
    assert.equal(newObjectOf(await c.client.next(GAME.MSG_NEWOBJECT, 5000)).id, b.characterId);
    const shownToB = new Set<bigint>();
    while (shownToB.size < 2) shownToB.add(newObjectOf(await b.client.next(GAME.MSG_NEWOBJECT, 5000)).id);
    assert.deepEqual(shownToB, new Set([a.characterId, c.characterId]));

    // Now in range again: the moves each gets are the ones made after the show (B's step back to 10 when the
    // show came in its own tick), none from out of range.
    move(b.client, 11, 0, 0, 0);
    let first = (await a.client.next(GAME.MSG_SERVERMOVE, 5000)).LocationX;
    if (first === 10) first = (await a.client.next(GAME.MSG_SERVERMOVE, 5000)).LocationX;
    assert.equal(first, 11);
    move(a.client, 2, 0, 0, 0);
    assert.equal((await b.client.next(GAME.MSG_SERVERMOVE, 5000)).LocationX, 2);

    // B leaves the zone: those who saw it are told.
    await b.client.close();
    assert.equal((await a.client.next(GAME.MSG_REMOVEOBJECT, 5000)).GameObjectID, b.characterId);
    assert.equal((await c.client.next(GAME.MSG_REMOVEOBJECT, 5000)).GameObjectID, b.characterId);
  } finally {
    await kit.close();
  }
});

test('a player who leaves out of range of another is not announced to it', async () => {
  const kit = await startGameKit({ game: { settings: SETTINGS } });
  try {
    const a = await kit.newPlayer('dinadan');
    const b = await kit.newPlayer('palamedes');
    await a.client.next(GAME.MSG_NEWOBJECT, 5000);
    move(b.client, -300 & 0xffff, -300 & 0xffff, 0, 0);
    assert.equal((await a.client.next(GAME.MSG_REMOVEOBJECT, 5000)).GameObjectID, b.characterId);
    await b.client.close();
    // A third player's arrival is the marker: anything about B would have come before it.
    const c = await kit.newPlayer('bors');
    assert.equal(newObjectOf(await a.client.next(GAME.MSG_NEWOBJECT, 5000)).id, c.characterId);
    assert.equal(a.client.queued(GAME.MSG_REMOVEOBJECT), 0);
  } finally {
    await kit.close();
  }
});
