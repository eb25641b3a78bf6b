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
import { figures, size, sleep } from './support.js';
import { keepMoving, playSaveRound, saveTrack, type SaveTrack } from './save-rounds.js';
import { freePorts, startImlightProcess, type ImlightProcess } from './imlight-process.js';

/** Enters the game, retrying while the restarted process is still registering its game server. */
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
  const bots: SaveTrack[] = [];
  for (let i = 0; i < botCount; i++) {
    const account = { username: `kill${i}`, password: `pw${i}` };
    await seed.accounts.create(account);
    bots.push(saveTrack(account));
  }
  await seed.close();

  let current: ImlightProcess | undefined;
  t.after(async () => { await current?.kill(); });
  let acknowledgedSaves = 0;
  let reconnects = 0;
  let movesSent = 0;
  for (let round = 0; round <= kills; round++) {
    current = await startImlightProcess(args, [loginPort!, gamePort!]);
    // Back in after a kill: the zone is the acknowledged one or one entered after it, never older.
    const players = await Promise.all(bots.map(async (bot, i) => {
      if (round > 0) reconnects++;
      const player = await playSaveRound(loginPort!, bot, `Faults/R${round}/${i}`);
      acknowledgedSaves++;
      return player;
    }));
    if (round === kills) {
      for (const p of players) p.client.destroy();
      break;
    }
    // Everyone is mid-play, moving, when the process dies.
    const movers = keepMoving(players, 20);
    await sleep(300);
    await current.kill('SIGKILL');
    movesSent += await movers.stop();
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
