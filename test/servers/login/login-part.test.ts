import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../../src/config/index.js';
import { createLogger } from '../../../src/cli/logging.js';
import { createLoginPart, startImlight } from '../../../src/cli/start.js';
import { KiClient, type ServerInfo } from '../../../src/net/index.js';
import { authenticate } from '../../../src/servers/login/index.js';
import { listCharacters } from './harness.js';

test('the login part starts the login server from the configuration and stops it with the process', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'imlight-login-part-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const { config } = loadConfig({
    cwd,
    env: { IMLIGHT_ADMIN_ENABLED: 'false', IMLIGHT_LOGIN_PORT: '0', IMLIGHT_LOGIN_HOST: '127.0.0.1', IMLIGHT_LOGIN_NAME: 'Camelot', IMLIGHT_LOGIN_CHARACTER_LIMIT: '3' },
  });
  const logRoot = await createLogger(config.log, { stream: new Writable({ write(_chunk, _encoding, done) { done(); } }) });
  const handle = await startImlight(config, { logRoot, parts: [createLoginPart()], role: 'login' });
  try {
    const login = handle.system.lookup('/user/login');
    assert.ok(login !== undefined, 'the login server runs at /user/login');
    const info = await login.ask<ServerInfo>((replyTo) => ({ type: 'net.server-info', replyTo }), 2000);
    await handle.store!.accounts.create({ username: 'arthur', password: 'excalibur!' });
    const client = await KiClient.connect({ port: info.address!.port, keepAliveMs: 0 });
    try {
      assert.equal((await authenticate(client, 'arthur', 'excalibur!')).error, 0);
      const list = await listCharacters(client);
      assert.equal(list.slots, 3);
    } finally {
      client.destroy();
    }
    assert.ok(handle.system.lookup('/user/login/pool') !== undefined);
  } finally {
    await handle.stop();
  }
  assert.equal(handle.system.lookup('/user/login'), undefined);
});
