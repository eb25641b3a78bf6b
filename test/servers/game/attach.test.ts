import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GAME } from '../../../src/protocol/index.js';
import { GameErrorCode, zoneIdOf } from '../../../src/servers/game/index.js';
import { connectGame, eventually, sendAttach, startGameKit } from './game-kit.js';

test('a player logs in, selects a character, attaches at the game server and gets its login-complete', async () => {
  const kit = await startGameKit();
  try {
    const player = await kit.newPlayer('merlin');
    assert.equal(player.selected.port, kit.game.port);
    assert.equal(player.complete.ZoneName.toString('utf8'), 'Start');
    assert.equal(player.complete.ZoneID, zoneIdOf('Start'));
    assert.equal(player.complete.RealmName.toString('utf8'), 'Imlight');
    assert.deepEqual(player.object, { id: player.characterId, name: 'merlinChar', zone: 'Start', location: '0,0,0,0' });
    // The entry moves from the login server (its session closed after the selection) to the game server.
    await eventually(async () => (await kit.harness.store.onlinePlayers.findByAccount(player.accountId)).length === 1, 'one online entry');
    const [online] = await kit.harness.store.onlinePlayers.findByAccount(player.accountId);
    assert.equal(online!.server, 'Game');
    assert.equal(online!.characterId, player.characterId);
    // The game server is the pool's child, registered, and reports its player.
    const [view] = await kit.harness.servers();
    assert.equal(view!.name, 'Game');
    assert.equal(view!.local, true);
    assert.match(view!.path, /\/pool\/game-Game$/);
    const health = await kit.game.ref.ask<{ players: number; status: string }>((replyTo) => ({ type: 'pool.health', replyTo }), 2000);
    assert.equal(health.players, 1);
    assert.equal(health.status, 'open');
  } finally {
    await kit.close();
  }
});

test('a bad login key, a reused one and one for another character are refused with MSG_ATTACHFAILED and the session closes', async () => {
  const kit = await startGameKit();
  try {
    const player = await kit.newPlayer('morgana');
    const bad = await connectGame(kit.game.port);
    sendAttach(bad, 'not-a-key', player.accountId, player.characterId);
    const failed = await bad.next(GAME.MSG_ATTACHFAILED, 5000);
    assert.deepEqual({ ...failed }, { Error: GameErrorCode.BadLoginKey, Rejected: 1, NoDisconnect: 0 });
    assert.equal((await bad.closed).reason, 'remote');

    // The key of the first attach was consumed: it cannot be used again, even after the player left.
    await player.client.close();
    const reused = await connectGame(kit.game.port);
    sendAttach(reused, player.selected.key, player.accountId, player.characterId);
    assert.equal((await reused.next(GAME.MSG_ATTACHFAILED, 5000)).Rejected, 1);
    assert.equal((await reused.closed).reason, 'remote');

    // A fresh key names one account and character: presented for another, it is refused (and spent).
    await kit.harness.store.loginKeys.create({ key: 'fresh-key-1', accountId: player.accountId, characterId: player.characterId, server: 'Game', expiresAt: new Date(Date.now() + 60_000) });
    const foreign = await connectGame(kit.game.port);
    sendAttach(foreign, 'fresh-key-1', player.accountId, player.characterId + 1000n);
    assert.equal((await foreign.next(GAME.MSG_ATTACHFAILED, 5000)).Error, GameErrorCode.BadLoginKey);

    // An oversized key is refused without touching the store.
    const huge = await connectGame(kit.game.port);
    sendAttach(huge, Buffer.alloc(4000, 0x41), player.accountId, player.characterId);
    assert.equal((await huge.next(GAME.MSG_ATTACHFAILED, 5000)).Error, GameErrorCode.BadLoginKey);
  } finally {
    await kit.close();
  }
});

test('a session that sends no MSG_ATTACH within the limit is closed', async () => {
  const kit = await startGameKit({ game: { settings: { attachTimeoutMs: 200 } } });
  try {
    const idle = await connectGame(kit.game.port);
    assert.equal((await idle.closed).reason, 'remote');
    await eventually(() => kit.harness.logsMatching('no MSG_ATTACH in time').length === 1, 'the timeout logged');
  } finally {
    await kit.close();
  }
});
