// The whole Imlight process (login and game servers on SQLite) SIGKILLed while players are mid-play, then
// restarted on the same data folder. Players reconnect through the login server; every save the server
// acknowledged (a logout it confirmed by closing the connection) must be there, and no character may
// come back older than its last acknowledged save.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { changeZone, logout, sendMove, type BotAccount } from '../../src/bots/index.js';
import { enterGame, figures, size, sleep, type InGame } from './support.js';
import { freePorts, startImlightProcess, type ImlightProcess } from './imlight-process.js';

/** Enters the game, retrying while the restarted process is still registering its game server. */
async function enterGameRetrying(port: number, account: BotAccount, limitMs = 15_000): Promise<InGame> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      return await enterGame(port, account);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(200);
    }
  }
}

interface BotState {
  readonly account: BotAccount;
  /** Zone of the last logout the server confirmed. */
  acknowledged: string | undefined;
  /** Zones entered since then: where an unconfirmed save may have left the character. */
  since: string[];
}

test('a SIGKILLed process restarted on its data folder has every acknowledged save, and players get back in', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-kill-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const [loginPort, gamePort, patchPort, httpPort] = await freePorts(4);
  const args = [
    'start', '--data-dir', dir, '--log-level', 'warn',
    '--set', `login.port=${loginPort}`, '--set', 'login.host=127.0.0.1',
    '--set', `game.port=${gamePort}`, '--set', 'game.host=127.0.0.1',
    '--set', `patch.port=${patchPort}`, '--set', `patch.httpPort=${httpPort}`, '--set', 'admin.enabled=false',
  ];
  const botCount = size(6, 40);
  const kills = size(2, 6);
  const seed = await openStore({ sqlitePath: join(dir, 'imlight.db'), databaseUrl: null });
  const bots: BotState[] = [];
  for (let i = 0; i < botCount; i++) {
    const account = { username: `kill${i}`, password: `pw${i}` };
    await seed.accounts.create(account);
    bots.push({ account, acknowledged: undefined, since: [] });
  }
  await seed.close();

  let current: ImlightProcess | undefined;
  t.after(async () => { await current?.kill(); });
  let acknowledgedSaves = 0;
  let reconnects = 0;
  let movesSent = 0;
  for (let round = 0; round <= kills; round++) {
    current = await startImlightProcess(args, [loginPort!, gamePort!]);
    const players = await Promise.all(bots.map(async (bot, i) => {
      // Back in after a kill: the zone is the acknowledged one or one entered after it, never older.
      let player = await enterGameRetrying(loginPort!, bot.account);
      if (round > 0) reconnects++;
      if (bot.acknowledged !== undefined) {
        const allowed = [bot.acknowledged, ...bot.since];
        assert.ok(allowed.includes(player.zone), `${bot.account.username} came back in ${player.zone}, expected one of ${allowed.join(', ')}`);
      }
      const confirmed = `Faults/R${round}/Ack${i}`;
      await changeZone(player.client, confirmed, 5000);
      await logout(player.client, 5000);
      assert.ok(player.client.isClosed);
      bot.acknowledged = confirmed;
      bot.since = [];
      acknowledgedSaves++;
      player = await enterGameRetrying(loginPort!, bot.account);
      assert.equal(player.zone, confirmed, 'a confirmed logout is where the next login starts');
      const unconfirmed = `Faults/R${round}/Open${i}`;
      bot.since.push(unconfirmed);
      await changeZone(player.client, unconfirmed, 5000);
      return player;
    }));
    if (round === kills) {
      for (const p of players) p.client.destroy();
      break;
    }
    // Everyone is mid-play, moving, when the process dies.
    let moving = true;
    const movers = players.map(async (p, i) => {
      let step = 0;
      while (moving && !p.client.isClosed) {
        try {
          sendMove(p.client, { x: i * 10 + (step % 50), y: step % 70, z: 0, direction: step % 250 }, 1);
          movesSent++;
        } catch {
          break;
        }
        step++;
        await sleep(20);
      }
    });
    await sleep(300);
    await current.kill('SIGKILL');
    moving = false;
    await Promise.all(movers);
    for (const p of players) p.client.destroy();
  }
  await current?.kill('SIGTERM');

  // Read the data folder directly: one live character per account, none older than its acknowledged save.
  const store = await openStore({ sqlitePath: join(dir, 'imlight.db'), databaseUrl: null });
  try {
    let lost = 0;
    for (const bot of bots) {
      const account = await store.accounts.findByUsername(bot.account.username);
      const characters = await store.characters.listByAccount(account!.id);
      assert.equal(characters.length, 1, `${bot.account.username} has its one character`);
      const zone = characters[0]!.zoneName;
      if (zone !== bot.acknowledged && !bot.since.includes(zone ?? '')) lost++;
    }
    assert.equal(lost, 0, 'no acknowledged save was lost');
    figures(t, 'process-sigkill', { bots: botCount, kills, restarts: kills, acknowledgedSaves, reconnects, movesSentBeforeKills: movesSent, acknowledgedLost: lost });
  } finally {
    await store.close();
  }
});
