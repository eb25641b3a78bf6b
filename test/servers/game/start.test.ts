import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../../src/config/index.js';
import { createLogger } from '../../../src/cli/logging.js';
import { DEFAULT_PARTS, startImlight } from '../../../src/cli/start.js';
import { GAME } from '../../../src/protocol/index.js';
import { KiClient } from '../../../src/net/index.js';
import { authenticate } from '../../../src/servers/login/index.js';
import { createCharacter, listCharacters, selectCharacter } from '../login/harness.js';
import { sendAttach } from './game-kit.js';

test('the default start runs the login server and a game server in one process: a newcomer can log in and play', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'imlight-start-game-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const token = 'game-start-test-token';
  const env = { IMLIGHT_LOGIN_PORT: '0', IMLIGHT_GAME_PORT: '0', IMLIGHT_PATCH_PORT: '0', IMLIGHT_PATCH_HTTP_PORT: '0', IMLIGHT_ADMIN_PORT: '0', IMLIGHT_ADMIN_TOKEN: token, IMLIGHT_METRICS_DEFAULT_METRICS: 'false' };
  const { config } = loadConfig({ cwd, env });
  const chunks: string[] = [];
  const logRoot = await createLogger(config.log, { stream: new Writable({ write(chunk, _e, done) { chunks.push(String(chunk)); done(); } }) });
  const handle = await startImlight(config, { logRoot, parts: DEFAULT_PARTS });
  const clients: KiClient[] = [];
  try {
    const lines = () => chunks.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, any>);
    const loginPort = lines().find((l) => l.msg === 'login server listening')!.port as number;
    const pool = handle.system.snapshot().children.find((c) => c.path.endsWith('/user/login'))!.children.find((c) => c.kind === 'GameServerPool')!;
    assert.deepEqual(pool.children.map((c) => [c.path.split('/').pop(), c.kind]), [['game-Game', 'GameServer']]);

    await handle.store!.accounts.create({ username: 'newcomer', password: 'a good password' });
    const login = await KiClient.connect({ port: loginPort, keepAliveMs: 0 });
    clients.push(login);
    assert.equal((await authenticate(login, 'newcomer', 'a good password')).error, 0);
    assert.equal(await createCharacter(login, 'Newbie'), 0);
    const [character] = (await listCharacters(login)).characters;
    const selected = await selectCharacter(login, character!.id);
    assert.equal(selected.error, 0);
    const game = await KiClient.connect({ port: selected.port, keepAliveMs: 0 });
    clients.push(game);
    sendAttach(game, selected.key, selected.userId, character!.id);
    assert.equal((await game.next(GAME.MSG_LOGINCOMPLETE, 5000)).ZoneName.toString('utf8'), 'Start');
    game.send(GAME.MSG_CLIENTMOVE, { LocationX: 5, LocationY: 6, LocationZ: 7, Direction: 0, ZoneCounter: 0 });

    // The admin console sees the game server's zones and players through the part's providers.
    const api = async (path: string): Promise<any> => (await fetch(new URL(path, handle.admin!.url), { headers: { authorization: `Bearer ${token}` } })).json();
    const zones = await api('/api/zones');
    assert.deepEqual(zones.items, [{ server: 'Game', zone: 'Start', kind: 'zone', players: 1 }]);

    // Stopping the process tells and saves the player before the game server leaves the pool.
    await handle.stop('test');
    await game.next(GAME.MSG_SERVERSHUTDOWN, 5000);
    assert.equal((await game.closed).reason, 'remote');
    assert.ok(lines().some((l) => l.msg === 'shut down: players saved, left the pool' && l.players === 1 && l.saved === 1));
  } finally {
    for (const client of clients) client.destroy();
    await handle.stop('test');
  }
});
