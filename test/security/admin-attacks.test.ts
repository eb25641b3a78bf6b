// Attacks on the admin console from outside, over real HTTP (each 127.0.0.x address is another client):
// - the generated token must not reach the log (it goes to a 0600 file, or once to a terminal);
// - DNS rebinding: a page elsewhere whose name resolves here sends its own Host: refused before anything runs;
// - Basic-auth guessing spread over 30 addresses: slowed per account, not only per address;
// - an address spray cannot make the console forget the account under attack;
// - slow headers: the same limits as the patch side.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Metrics } from '../../src/admin/index.js';
import { ADMIN_PASSWORD, startAdminKit } from '../admin/admin-kit.js';
import { httpRequest, slowClient } from './attack-kit.js';

const dir = mkdtempSync(join(tmpdir(), 'imlight-admin-attacks-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test('a generated token is never logged: it is written to a 0600 file (path logged) and printed once to a terminal', async () => {
  const tokenFile = join(dir, 'admin-token');
  const printed: string[] = [];
  const kit = await startAdminKit({ token: undefined, tokenFile, terminal: { isTTY: true, write: (text: string) => printed.push(text) } });
  try {
    const token = kit.server.token!;
    assert.equal(kit.server.tokenGenerated, true);
    assert.ok(!JSON.stringify(kit.logs).includes(token), 'the token is in no log line');
    assert.ok(kit.logs.some((l) => l['tokenFile'] === tokenFile), 'the token file\'s path is logged');
    assert.equal(readFileSync(tokenFile, 'utf8').split('\n')[0], token);
    if (process.platform !== 'win32') assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    assert.equal(printed.length, 1);
    assert.ok(printed[0]!.includes(`#token=${token}`));
    const whoami = await httpRequest({ port: kit.server.port, path: '/api/whoami', headers: { authorization: `Bearer ${token}` } });
    assert.equal(whoami.status, 200);
  } finally {
    await kit.close();
  }
});

test('a request naming another Host (DNS rebinding) is refused, /metrics and sign-in included', async () => {
  const kit = await startAdminKit({ metrics: new Metrics({ defaultMetrics: false }), hostNames: ['admin.example.org'] });
  try {
    const port = kit.server.port;
    for (const path of ['/metrics', '/', '/api/whoami']) {
      const rebound = await httpRequest({ port, path, headers: { host: `evil.example:${port}`, authorization: `Bearer ${kit.server.token}` } });
      assert.equal(rebound.status, 421, path);
      assert.equal(JSON.parse(rebound.body.toString()).error, 'ERR_ADMIN_HOST');
    }
    const signIn = await httpRequest({
      port, path: '/api/sign-in', method: 'POST', headers: { host: 'evil.example', 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: ADMIN_PASSWORD }),
    });
    assert.equal(signIn.status, 421);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost:8080', `admin.example.org:${port}`]) {
      assert.equal((await httpRequest({ port, path: '/metrics', headers: { host } })).status, 200, host);
    }
    assert.ok(kit.logs.some((l) => l['msg'] === 'admin console: request for another Host refused'));
  } finally {
    await kit.close();
  }
});

test('570 Basic-auth guesses spread over 30 addresses are throttled per account', { timeout: 120_000 }, async () => {
  const kit = await startAdminKit({ signInLimits: { firstSpacingMs: 60_000 } });
  try {
    const statuses = new Map<number, number>();
    for (let a = 0; a < 30; a++) {
      const from = `127.0.1.${a + 1}`;
      for (let i = 0; i < 19; i++) {
        const answer = await httpRequest({ port: kit.server.port, path: '/api/whoami', localAddress: from, headers: { authorization: basic('alice', `guess-${a}-${i}`) } });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      }
    }
    // Each address stays under its own limit (20): only the account's limit (10 failures) stops the guessing.
    const checked = statuses.get(401) ?? 0;
    assert.ok(checked <= 10, `at most the account's free failures were checked, got ${checked} (${JSON.stringify([...statuses])})`);
    assert.equal(checked + (statuses.get(429) ?? 0), 570);
    // The bearer token still works, from any address.
    assert.equal((await httpRequest({ port: kit.server.port, path: '/api/whoami', localAddress: '127.0.2.1', headers: { authorization: `Bearer ${kit.server.token}` } })).status, 200);
  } finally {
    await kit.close();
  }
});

test('spraying addresses does not make the console forget an account under attack', { timeout: 120_000 }, async () => {
  const kit = await startAdminKit({ signInLimits: { firstSpacingMs: 60_000, maxTrackedAddresses: 20 } });
  try {
    const port = kit.server.port;
    for (let i = 0; i < 10; i++) {
      assert.equal((await httpRequest({ port, path: '/api/whoami', localAddress: `127.0.3.${i + 1}`, headers: { authorization: basic('alice', `guess-${i}`) } })).status, 401);
    }
    // 100 addresses with wrong tokens: far more than the address table holds.
    for (let i = 0; i < 100; i++) {
      await httpRequest({ port, path: '/api/whoami', localAddress: `127.0.4.${i + 1}`, headers: { authorization: `Bearer wrong-${i}` } });
    }
    const next = await httpRequest({ port, path: '/api/whoami', localAddress: '127.0.5.1', headers: { authorization: basic('alice', 'one more guess') } });
    assert.equal(next.status, 429);
    assert.ok(Number(next.headers['retry-after']) > 0);
  } finally {
    await kit.close();
  }
});

test('slow headers: a connection that never finishes its request is closed, and one address cannot take every connection', { timeout: 60_000 }, async () => {
  const kit = await startAdminKit({ headersTimeoutMs: 1_000, maxConnectionsPerAddress: 4 });
  try {
    const slow = Array.from({ length: 20 }, () => slowClient(kit.server.port, { localAddress: '127.0.6.1' }));
    await Promise.all(slow.map((c) => c.closed));
    assert.equal((await httpRequest({ port: kit.server.port, path: '/api/whoami', localAddress: '127.0.6.2', headers: { authorization: `Bearer ${kit.server.token}` } })).status, 200);
  } finally {
    await kit.close();
  }
});
