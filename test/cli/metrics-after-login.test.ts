// The metrics endpoint of a running process after a scripted login: the counts the operator watches move.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../../src/cli/logging.js';
import { DEFAULT_PARTS, startImlight } from '../../src/cli/start.js';
import { loadConfig } from '../../src/config/index.js';
import { KiClient } from '../../src/net/index.js';
import { GAME } from '../../src/protocol/index.js';
import { authenticate } from '../../src/servers/login/index.js';
import { createCharacter, listCharacters, selectCharacter } from '../servers/login/harness.js';
import { sendAttach } from '../servers/game/game-kit.js';

/** The value of one series in the Prometheus text format (0 when absent). */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(labels === '' ? `${name} ` : `${name}{${labels}} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('after a scripted login the metrics endpoint shows sessions, messages, logins, online players and zones', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'imlight-metrics-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const env = {
    IMLIGHT_LOGIN_PORT: '0', IMLIGHT_GAME_PORT: '0', IMLIGHT_PATCH_PORT: '0', IMLIGHT_PATCH_HTTP_PORT: '0', IMLIGHT_ADMIN_PORT: '0',
    IMLIGHT_ADMIN_TOKEN: 'metrics-test-token', IMLIGHT_METRICS_DEFAULT_METRICS: 'false',
  };
  const { config } = loadConfig({ cwd, env });
  const chunks: string[] = [];
  const logRoot = await createLogger(config.log, { stream: new Writable({ write(chunk, _e, done) { chunks.push(String(chunk)); done(); } }) });
  const handle = await startImlight(config, { logRoot, parts: DEFAULT_PARTS });
  const clients: KiClient[] = [];
  try {
    const scrape = async (): Promise<string> => (await fetch(handle.metricsUrl!)).text();
    const lines = chunks.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, any>);
    const loginPort = lines.find((l) => l.msg === 'login server listening')!.port as number;
    const before = await scrape();
    assert.equal(sample(before, 'imlight_logins_succeeded_total'), 0);

    await handle.store!.accounts.create({ username: 'metered', password: 'a good password' });
    const wrong = await KiClient.connect({ port: loginPort, keepAliveMs: 0 });
    clients.push(wrong);
    assert.notEqual((await authenticate(wrong, 'metered', 'not the password')).error, 0);

    const login = await KiClient.connect({ port: loginPort, keepAliveMs: 0 });
    clients.push(login);
    assert.equal((await authenticate(login, 'metered', 'a good password')).error, 0);
    const during = await scrape();
    assert.equal(sample(during, 'imlight_logins_succeeded_total'), 1);
    assert.equal(sample(during, 'imlight_logins_failed_total', 'reason="authen-AuthenFailed"'), 1);
    assert.equal(sample(during, 'imlight_sessions', 'server="Login"') >= 1, true, during);
    assert.ok(sample(during, 'imlight_messages_in_total', 'protocol="LOGIN"') >= 2);
    assert.ok(sample(during, 'imlight_messages_out_total', 'protocol="LOGIN"') >= 2);

    assert.equal(await createCharacter(login, 'Meter'), 0);
    const [character] = (await listCharacters(login)).characters;
    const selected = await selectCharacter(login, character!.id);
    const game = await KiClient.connect({ port: selected.port, keepAliveMs: 0 });
    clients.push(game);
    sendAttach(game, selected.key, selected.userId, character!.id);
    await game.next(GAME.MSG_LOGINCOMPLETE, 5000);

    const after = await scrape();
    assert.equal(sample(after, 'imlight_online_players', 'server="Game"'), 1);
    assert.equal(sample(after, 'imlight_zones', 'server="Game"'), 1);
    assert.ok(sample(after, 'imlight_messages_in_total', 'protocol="GAME"') >= 1);
    // MSG_LOGINCOMPLETE goes out pre-encoded through the zone: counted all the same.
    assert.ok(sample(after, 'imlight_messages_out_total', 'protocol="GAME"') >= 1, after);
    for (const step of ['authenticate', 'character_list', 'select']) {
      assert.ok(sample(after, 'imlight_login_step_seconds_count', `step="${step}"`) >= 1, `login step ${step} timed`);
    }
    assert.equal(sample(after, 'imlight_attach_seconds_count'), 1);
    assert.ok(sample(after, 'imlight_message_handling_seconds_count', 'service="attach"') >= 1, after.split('\n').filter((l) => l.includes('handling_seconds_count')).join('\n'));
    assert.ok(sample(after, 'imlight_database_query_seconds_count', 'operation="accounts.create",outcome="ok"') >= 1);
  } finally {
    for (const client of clients) client.destroy();
    await handle.stop('test');
  }
  // The log lines an operator searches name the account and the character, with ids as strings.
  const log = chunks.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, any>);
  const line = (msg: string): Record<string, any> => {
    const found = log.find((l) => l.msg === msg);
    assert.ok(found !== undefined, `a "${msg}" line`);
    return found;
  };
  assert.equal(line('authenticated').username, 'metered');
  assert.equal(typeof line('authenticated').accountId, 'string');
  assert.equal(line('character selected').character, 'Meter');
  assert.equal(line('player attached').username, 'metered');
  assert.equal(line('player attached').character, 'Meter');
  assert.equal(typeof line('player attached').characterId, 'string');
  assert.equal(line('player left').character, 'Meter');
  const ended = log.filter((l) => l.msg === 'session ended');
  assert.ok(ended.length >= 3, 'one line per session');
  for (const end of ended) {
    assert.equal(typeof end.reason, 'string');
    assert.equal(typeof end.durationMs, 'number');
  }
});
