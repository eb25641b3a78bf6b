import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/cli/logging.js';
import { startImlight, type Part } from '../../src/cli/start.js';
import type { GameServerView } from '../../src/admin/index.js';

const TOKEN = 'configured-admin-token-123';

test('a started process serves the console with the configured token and the admin views and actions of its parts', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'imlight-admin-start-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const { config } = loadConfig({ cwd, env: { IMLIGHT_ADMIN_PORT: '0', IMLIGHT_ADMIN_TOKEN: TOKEN, IMLIGHT_METRICS_DEFAULT_METRICS: 'false' } });
  const chunks: string[] = [];
  const logRoot = await createLogger(config.log, { stream: new Writable({ write(chunk, _e, done) { chunks.push(String(chunk)); done(); } }) });
  const drained: string[] = [];
  const server = (name: string): Part => ({
    name,
    roles: ['all'],
    start: async () => ({
      stop: () => {},
      admin: {
        gameServers: async (): Promise<GameServerView[]> => [{ name, players: 3, capacity: 500, status: 'open' }],
        drain: async (target: string) => {
          if (target !== name) return false;
          drained.push(target);
          return true;
        },
      },
    }),
  });
  const handle = await startImlight(config, { logRoot, parts: [server('Game1'), server('Game2')] });
  try {
    assert.ok(handle.admin !== undefined);
    assert.equal(handle.admin.tokenGenerated, false);
    const api = (path: string, init: RequestInit = {}) => fetch(new URL(path, handle.admin!.url), { ...init, headers: { authorization: `Bearer ${TOKEN}`, ...init.headers } });
    assert.equal((await fetch(new URL('/api/servers', handle.admin.url))).status, 401);
    const servers = await (await api('/api/servers')).json() as { items: GameServerView[] };
    assert.deepEqual(servers.items.map((s) => s.name), ['Game1', 'Game2']);
    const drain = await api('/api/servers/Game2/drain', { method: 'POST' });
    assert.deepEqual(await drain.json(), { done: true, result: 'draining' });
    assert.deepEqual(drained, ['Game2']);
    assert.equal((await fetch(handle.metricsUrl!)).status, 200);
  } finally {
    await handle.stop();
  }
  const lines = chunks.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.ok(lines.some((l) => l['msg'] === 'admin action' && l['admin'] === 'token' && l['action'] === 'drain' && l['component'] === 'admin'));
  assert.ok(!chunks.join('').includes(TOKEN), 'a configured token is never logged');
});
