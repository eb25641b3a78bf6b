// The round both process-kill cases play: each player confirms a save (zone change, then a logout the server
// acknowledges), comes back, and leaves an unconfirmed zone open; then everyone moves until the process dies. After a
// restart a player must come back in its confirmed zone or one entered after it, never anywhere older.
import assert from 'node:assert/strict';
import { attach, changeZone, logout, sendMove, type BotAccount } from '../../src/bots/index.js';
import { KiClient } from '../../src/net/index.js';
import { enterGame, sleep, type InGame } from './support.js';

/** What a player's saves guarantee: the zone of its last confirmed logout, and the zones entered since. */
export interface SaveTrack {
  readonly account: BotAccount;
  acknowledged: string | undefined;
  since: string[];
}

export function saveTrack(account: BotAccount): SaveTrack {
  return { account, acknowledged: undefined, since: [] };
}

/** Logs in through the login server, retrying while a restarted server is not up yet. */
export async function enterGameRetrying(port: number, account: BotAccount, limitMs = 20_000): Promise<InGame> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      return await enterGame(port, account);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}

/**
 * One player's round, named `label` (unique per player and round): checks where it came back, confirms a save in
 * `<label>/Ack`, logs back in there, and leaves `<label>/Open` unconfirmed. Returns the player, in game.
 */
export async function playSaveRound(loginPort: number, track: SaveTrack, label: string): Promise<InGame> {
  let player = await enterGameRetrying(loginPort, track.account);
  if (track.acknowledged !== undefined) {
    const allowed = [track.acknowledged, ...track.since];
    assert.ok(allowed.includes(player.zone), `${track.account.username} came back in ${player.zone}, expected one of ${allowed.join(', ')}`);
  }
  const confirmed = `${label}/Ack`;
  // The zone change saves the destination before MSG_SERVERTRANSFER: that is the server's confirmation.
  await changeZone(player.client, confirmed, player.selected, 5000);
  await logout(player.client, 5000);
  assert.ok(player.client.isClosed);
  track.acknowledged = confirmed;
  track.since = [];
  player = await enterGameRetrying(loginPort, track.account);
  assert.equal(player.zone, confirmed, 'a confirmed logout is where the next login starts');
  const open = `${label}/Open`;
  track.since.push(open);
  const moved = await changeZone(player.client, open, player.selected, 5000);
  player.client.destroy();
  // The player reconnects where the zone change sent it, with its one-time key.
  const client = await KiClient.connect({ host: moved.host, port: moved.port, keepAliveMs: 10_000 });
  await attach(client, moved.selected, 42n, 5000);
  return { client, selected: moved.selected, zone: open };
}

/** Every player moves every `intervalMs` until `stop()`, which resolves with the number of moves sent. */
export function keepMoving(players: readonly InGame[], intervalMs: number): { stop(): Promise<number> } {
  let moving = true;
  let sent = 0;
  const movers = players.map(async (p, i) => {
    for (let step = 0; moving && !p.client.isClosed; step++) {
      try {
        sendMove(p.client, { x: i * 10 + (step % 50), y: step % 70, z: 0, direction: step % 250 }, 1);
        sent++;
      } catch {
        break;
      }
      await sleep(intervalMs);
    }
  });
  return {
    async stop() {
      moving = false;
      await Promise.all(movers);
      return sent;
    },
  };
}
