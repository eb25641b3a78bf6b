import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Actor, props, type ActorContext, type Handlers } from '../../../src/runtime/index.js';
import { EXTENDEDBASE, GAME, WIZARD2 } from '../../../src/protocol/index.js';
import { AccessLevel } from '../../../src/store/index.js';
import { FolderZoneSource, GameErrorCode, RegistrationRefusedError, awaitGameServer, gameServerProps, startGameServer, unwrapRawBlob } from '../../../src/servers/game/index.js';
import type { PoolCommand } from '../../../src/servers/shared/pool-protocol.js';
import { decodeCharacterInfo } from '../login/harness.js';
import { acceptTransfer, connectGame, eventually, move, newObjectOf, nextMatching, say, sendAttach, startGameKit } from './game-kit.js';

const serverText = (client: { next: (kind: typeof EXTENDEDBASE.MSG_SERVERMESSAGE, ms: number) => Promise<{ Message: string }> }): Promise<string> =>
  client.next(EXTENDEDBASE.MSG_SERVERMESSAGE, 5000).then((m) => m.Message);

test('a command is refused for a player and obeyed for an administrator', async () => {
  const kit = await startGameKit();
  try {
    const admin = await kit.newPlayer('uther', { accessLevel: AccessLevel.Administrator });
    const moderator = await kit.newPlayer('ector', { accessLevel: AccessLevel.Moderator });
    const player = await kit.newPlayer('mordred');
    const victim = await kit.newPlayer('lamorak');

    say(player.client, '.kick lamorakChar');
    assert.match(await serverText(player.client), /not allowed/);
    say(moderator.client, '.broadcast hello');
    assert.match(await serverText(moderator.client), /not allowed to use \.broadcast/);
    assert.equal(victim.client.isClosed, false);

    say(admin.client, '.who');
    assert.match(await serverText(admin.client), /^4 online on Game: ectorChar \(Start\), lamorakChar \(Start\), mordredChar \(Start\), utherChar \(Start\)$/);

    say(admin.client, '.teleport lamorakChar Avalon/Lake');
    const moved = await kit.followTransfer(victim);
    assert.equal(moved.complete.ZoneName.toString('utf8'), 'Avalon/Lake');
    assert.equal(await serverText(admin.client), 'Teleported lamorakChar to Avalon/Lake.');

    say(moderator.client, '.mute mordredChar');
    assert.equal(await serverText(moderator.client), 'Muted mordredChar.');
    say(player.client, 'can you hear me');
    assert.equal(await serverText(player.client), 'You are muted.');
    say(moderator.client, '.unmute mordredChar');
    await serverText(moderator.client);
    say(player.client, 'now you can');
    assert.equal((await nextMatching(admin.client, GAME.MSG_RADIALCHAT, (m) => m.SourceID === player.characterId)).Message.toString('utf8'), 'now you can');

    say(admin.client, '.broadcast "The tournament begins"');
    for (const p of [admin, moderator, player, moved]) assert.equal(await serverText(p.client), 'The tournament begins');
    assert.equal(await serverText(admin.client), 'Broadcast sent.');

    say(admin.client, '.kick lamorakChar');
    assert.equal(await serverText(moved.client), 'You were disconnected by a moderator.');
    assert.equal((await moved.client.closed).reason, 'remote');
    assert.equal(await serverText(admin.client), 'Kicked lamorakChar.');
    say(admin.client, '.kick nobody');
    assert.match(await serverText(admin.client), /no player named "nobody"/);
    say(admin.client, '.frobnicate');
    assert.match(await serverText(admin.client), /Unknown command/);
  } finally {
    await kit.close();
  }
});

test('graceful shutdown tells every player, saves everyone and leaves the pool', async () => {
  const kit = await startGameKit({ game: { settings: { moveTickMs: 20 } } });
  try {
    const a = await kit.newPlayer('pelles');
    const b = await kit.newPlayer('pellinore');
    // Each sees the other's move, so both moves are in the zone (the periodic save is far off: only the shutdown saves them).
    move(a.client, 10, 10, 10, 0);
    assert.equal((await b.client.next(GAME.MSG_SERVERMOVE, 5000)).LocationX, 10);
    move(b.client, 20, 20, 20, 0);
    assert.equal((await a.client.next(GAME.MSG_SERVERMOVE, 5000)).LocationX, 20);
    const report = await kit.game.shutdown();
    assert.deepEqual(report, { players: 2, saved: 2, timedOut: false });
    for (const p of [a, b]) {
      await p.client.next(GAME.MSG_SERVERSHUTDOWN, 5000);
      assert.equal((await p.client.closed).reason, 'remote');
    }
    const savedA = (await kit.harness.store.characters.get(a.characterId))!;
    const savedB = (await kit.harness.store.characters.get(b.characterId))!;
    assert.deepEqual([savedA.zoneName, savedA.location?.x], ['Start', 40]);
    assert.deepEqual([savedB.zoneName, savedB.location?.x], ['Start', 80]);
    assert.equal((await kit.harness.store.onlinePlayers.list({ server: 'Game' })).length, 0);
    await eventually(async () => (await kit.harness.servers()).length === 0, 'the server left the pool');
  } finally {
    await kit.close();
  }
});

test('several game servers run in one process, each on its own port, and a player moves between them with a fresh key', async () => {
  const kit = await startGameKit();
  try {
    const admin = await kit.newPlayer('merlin', { accessLevel: AccessLevel.Administrator });
    const traveller = await kit.newPlayer('nimue');
    const second = await kit.addGameServer('Game2');
    assert.notEqual(second.port, kit.game.port);
    assert.deepEqual((await kit.harness.servers()).map((s) => [s.name, s.port, s.local]), [['Game', kit.game.port, true], ['Game2', second.port, true]]);
    move(traveller.client, 1, 2, 3, 4);
    assert.equal((await admin.client.next(GAME.MSG_SERVERMOVE, 5000)).LocationX, 1);
    say(admin.client, '.transfer nimueChar Game2');
    const transfer = await acceptTransfer(traveller.client);
    assert.deepEqual([transfer.FallbackTCPPort, transfer.FallbackZone.toString('utf8')], [kit.game.port, 'Start']);
    assert.equal(transfer.TCPPort, second.port);
    assert.equal(transfer.IP.toString('utf8'), '127.0.0.1');
    assert.ok(transfer.Key > 0);
    assert.equal(transfer.ZoneName.toString('utf8'), 'Start');
    assert.equal(transfer.Location.toString('utf8'), '4,8,12,0.09817477042468103');
    assert.equal((await traveller.client.closed).reason, 'remote');
    assert.equal(await serverText(admin.client), 'Sent nimueChar to Game2.');
    // The Key INT is the one-time key in decimal text.
    const client = await connectGame(second.port);
    sendAttach(client, String(transfer.Key), traveller.accountId, traveller.characterId);
    const complete = await client.next(GAME.MSG_LOGINCOMPLETE, 5000);
    assert.equal(decodeCharacterInfo(unwrapRawBlob(complete.Data)!).location, '4,8,12,0.09817477042468103');
    await eventually(async () => (await kit.harness.store.onlinePlayers.findByAccount(traveller.accountId)).map((o) => o.server).join() === 'Game2', 'online on Game2');
    // Only on the server it was made for, and only once.
    const again = await connectGame(second.port);
    sendAttach(again, String(transfer.Key), traveller.accountId, traveller.characterId);
    assert.equal((await again.next(GAME.MSG_ATTACHFAILED, 5000)).Rejected, 1);
  } finally {
    await kit.close();
  }
});

test('a transfer whose destination fails to load lands the player on the fallback: the server and zone it came from', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'imlight-nozones-'));
  const kit = await startGameKit();
  try {
    const admin = await kit.newPlayer('pellinore', { accessLevel: AccessLevel.Administrator });
    const traveller = await kit.newPlayer('tor');
    // Game2 has zone data in which no zone exists: every zone fails to load there.
    await kit.addGameServer('Game2', { zoneSource: new FolderZoneSource(empty) });
    move(traveller.client, 5, 6, 7, 8);
    assert.equal((await admin.client.next(GAME.MSG_SERVERMOVE, 5000)).LocationX, 5);
    say(admin.client, '.transfer torChar Game2');
    const transfer = await acceptTransfer(traveller.client);
    const target = await connectGame(transfer.TCPPort);
    sendAttach(target, String(transfer.Key), traveller.accountId, traveller.characterId);
    assert.equal((await target.next(GAME.MSG_ATTACHFAILED, 5000)).Error, GameErrorCode.ZoneUnavailable);
    // The client goes to the fallback: this server, the zone and the place it left.
    const back = await connectGame(transfer.FallbackTCPPort);
    sendAttach(back, String(transfer.FallbackKey), traveller.accountId, traveller.characterId);
    const complete = await back.next(GAME.MSG_LOGINCOMPLETE, 5000);
    assert.equal(complete.ZoneName.toString('utf8'), transfer.FallbackZone.toString('utf8'));
    assert.equal(decodeCharacterInfo(unwrapRawBlob(complete.Data)!).location, '20,24,28,0.19634954084936207');
    back.send(WIZARD2.MSG_CLIENTZONED, { ZoneNameID: 0 });
    assert.equal(newObjectOf(await admin.client.next(GAME.MSG_NEWOBJECT, 5000)).id, traveller.characterId);
  } finally {
    await kit.close();
    rmSync(empty, { recursive: true, force: true });
  }
});

test('a zone change nobody comes back for is undone when its key expires', async () => {
  const kit = await startGameKit({ game: { settings: { transferReconnectTimeoutMs: 300 } } });
  try {
    const a = await kit.newPlayer('brunor');
    move(a.client, 10, 0, 0, 0);
    a.client.send(GAME.MSG_ZONETRANSFER_REQUEST, { ZoneName: 'Far/Away', SendAck: 1 });
    await acceptTransfer(a.client);
    assert.equal((await kit.harness.store.characters.get(a.characterId))!.zoneName, 'Far/Away');
    await eventually(() => kit.harness.logsMatching('nobody came back for').length === 1, 'the undo logged');
    const stored = (await kit.harness.store.characters.get(a.characterId))!;
    assert.deepEqual([stored.zoneName, stored.location?.x], ['Start', 40]);
  } finally {
    await kit.close();
  }
});

test('the pool drains and kicks through the game server, whose health shows its players and status', async () => {
  const kit = await startGameKit();
  try {
    const player = await kit.newPlayer('gareth');
    const health = () => kit.game.ref.ask<{ players: number; status: string; capacity: number }>((replyTo) => ({ type: 'pool.health', replyTo }), 2000);
    assert.deepEqual(await health(), { name: 'Game', players: 1, capacity: 500, status: 'open' });
    await kit.harness.login.pool.ask((replyTo) => ({ type: 'pool.drain-server', name: 'Game', replyTo }), 2000);
    await eventually(async () => (await health()).status === 'draining', 'draining');
    kit.harness.login.pool.tell({ type: 'pool.kick-on-server', server: 'Game', accountId: player.accountId, reason: 'test' });
    assert.equal((await player.client.closed).reason, 'remote');
    await eventually(async () => (await health()).players === 0, 'no player left');
  } finally {
    await kit.close();
  }
});

class SlowPool extends Actor<PoolCommand> {
  constructor(context: ActorContext<PoolCommand>, readonly state: { ignored: number; registrations: number; refuse: boolean }) {
    super(context);
  }

  readonly receive: Handlers<PoolCommand> = {
    'pool.register': ({ info, replyTo }) => {
      this.state.registrations++;
      if (this.state.registrations <= this.state.ignored) return;
      if (this.state.refuse) replyTo.tell({ type: 'pool.register-refused', reason: 'duplicate-name', detail: `${info.name} exists` });
      else replyTo.tell({ type: 'pool.registered', name: info.name });
    },
    'pool.unregister': () => {},
  };
}

test('registration is retried until the pool answers, and a refusal is a clear error', async () => {
  const kit = await startGameKit();
  try {
    const state = { ignored: 2, registrations: 0, refuse: false };
    const pool = kit.system.spawn(props<PoolCommand>((c) => new SlowPool(c, state)), 'slow-pool');
    const handle = await startGameServer(kit.system, { name: 'Late', store: kit.harness.store, host: '127.0.0.1', port: 0, pool, settings: { registerRetryMs: 50 } });
    assert.equal(state.registrations, 3);
    assert.ok(handle.port > 0);
    await handle.shutdown();

    const refusing = kit.system.spawn(props<PoolCommand>((c) => new SlowPool(c, { ignored: 0, registrations: 0, refuse: true })), 'refusing-pool');
    await assert.rejects(startGameServer(kit.system, { name: 'Twin', store: kit.harness.store, host: '127.0.0.1', port: 0, pool: refusing }), (error: unknown) => {
      assert.ok(error instanceof RegistrationRefusedError);
      assert.equal(error.code, 'ERR_GAME_REGISTER_REFUSED');
      assert.match(error.message, /refused the registration \(duplicate-name\): Twin exists/);
      return true;
    });
    // A start that may not wait for the pool gets a listening server that goes on retrying.
    const silent = { ignored: 1_000_000, registrations: 0, refuse: false };
    const silentPool = kit.system.spawn(props<PoolCommand>((c) => new SlowPool(c, silent)), 'silent-pool');
    const early = await awaitGameServer(kit.system, kit.system.spawn(gameServerProps({ name: 'Early', store: kit.harness.store, host: '127.0.0.1', port: 0, pool: silentPool, settings: { registerRetryMs: 50 } }), 'early'), 'Early', 300, { allowUnregistered: true });
    assert.equal(early.registered, false);
    assert.ok(early.port > 0);
    silent.ignored = 0;
    const late = await early.ref.ask<{ ok: boolean }>((replyTo) => ({ type: 'game.when-registered', replyTo }), 5000);
    assert.equal(late.ok, true);
    assert.ok(silent.registrations > 1);
    await early.shutdown();

    // The real pool refuses a second server with a taken name.
    await assert.rejects(kit.addGameServer('Game'), /cannot spawn|ERR_GAME_REGISTER_REFUSED|refused/);
  } finally {
    await kit.close();
  }
});

test('a timed mute (the admin console\'s) refuses chat until it is lifted, and shows in the player list', async () => {
  const kit = await startGameKit();
  try {
    const talker = await kit.newPlayer('dinadan');
    const until = Date.now() + 60_000;
    assert.equal(await kit.game.ref.ask<boolean>((replyTo) => ({ type: 'game.set-muted', accountId: talker.accountId, until, replyTo }), 2000), true);
    say(talker.client, 'hello?');
    assert.equal(await serverText(talker.client), 'You are muted.');
    const [listed] = await kit.game.ref.ask<readonly { mutedUntil: number }[]>((replyTo) => ({ type: 'game.list-players', replyTo }), 2000);
    assert.equal(listed!.mutedUntil, until);
    assert.equal(await kit.game.ref.ask<boolean>((replyTo) => ({ type: 'game.set-muted', accountId: talker.accountId, until: 0, replyTo }), 2000), true);
    say(talker.client, 'hello!');
    assert.equal((await talker.client.next(GAME.MSG_RADIALCHAT, 5000)).Message.toString('utf8'), 'hello!');
    assert.equal(await kit.game.ref.ask<boolean>((replyTo) => ({ type: 'game.set-muted', accountId: 999_999n, until, replyTo }), 2000), false);
  } finally {
    await kit.close();
  }
});
