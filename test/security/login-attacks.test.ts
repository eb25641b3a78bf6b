// Attacks on the login server from outside, over real sockets (each 127.0.0.x address is another client):
// - lock-out as a weapon: wrong passwords from elsewhere must not keep the owner out;
// - guessing spread over many addresses: slowed for machines new to the account, never for the owner's machine;
// - another spelling of the same name: no fresh guesses;
// - a session that never authenticates: closed after the unauthenticated limit (30 s by default);
// - a character name that looks like another player's: refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOGIN } from '../../src/protocol/index.js';
import { VirtualScheduler } from '../../src/runtime/testkit/index.js';
import { AuthenError, CharacterError, authenticate } from '../../src/servers/login/index.js';
import { createCharacter, DEFAULT_PASSWORD, startLoginHarness, type LoginHarness } from '../servers/login/harness.js';

async function attempt(h: LoginHarness, from: string, username: string, password: string, machineId = 1n) {
  const client = await h.connect({ localAddress: from });
  try {
    return await authenticate(client, username, password, { machineId, timeoutMs: 15_000 });
  } finally {
    await client.close();
  }
}

test('wrong passwords from another address do not lock the owner out', { timeout: 60_000 }, async () => {
  const h = await startLoginHarness();
  try {
    await h.createAccount('Target');
    for (let i = 0; i < 8; i++) assert.equal((await attempt(h, '127.0.0.2', 'Target', `wrong-${i}`)).error, AuthenError.AuthenFailed);
    // The attacker's address is held back on this account...
    assert.ok(h.logsMatching('too many failed logins: attempts are slowed').some((l) => String(l['key']).startsWith('pair:target|127.0.0.2')));
    // ...the owner, elsewhere, on a machine that never logged in before, is not.
    assert.equal((await attempt(h, '127.0.0.3', 'Target', DEFAULT_PASSWORD, 77n)).error, AuthenError.Ok);
  } finally {
    await h.close();
  }
});

test('guessing spread over many addresses is slowed for new machines, never for a machine that logged in before', { timeout: 120_000 }, async () => {
  const h = await startLoginHarness();
  try {
    await h.createAccount('Popular');
    const ownersMachine = 4242n;
    assert.equal((await attempt(h, '127.0.0.1', 'Popular', DEFAULT_PASSWORD, ownersMachine)).error, AuthenError.Ok);
    // 12 addresses, 2 guesses each: no address and no (account, address) pair reaches its own limit.
    for (let a = 10; a < 22; a++) {
      for (let i = 0; i < 2; i++) assert.equal((await attempt(h, `127.0.0.${a}`, 'Popular', `guess-${a}-${i}`, BigInt(a))).error, AuthenError.AuthenFailed);
    }
    assert.ok(h.logsMatching('too many failed logins: attempts are slowed').some((l) => l['key'] === 'account:popular'));
    // A new machine at a new address is refused for now, even with the right password...
    const stranger = await attempt(h, '127.0.0.40', 'Popular', DEFAULT_PASSWORD, 999n);
    assert.equal(stranger.error, AuthenError.AuthenFailed);
    assert.match(stranger.reason, /too many failed attempts, try again in \d+ s/);
    // ...the owner's machine gets in from anywhere, at once.
    assert.equal((await attempt(h, '127.0.0.41', 'Popular', DEFAULT_PASSWORD, ownersMachine)).error, AuthenError.Ok);
  } finally {
    await h.close();
  }
});

test('another spelling of the same account name shares its failures (the store\'s normalized name)', { timeout: 60_000 }, async () => {
  const scheduler = new VirtualScheduler(Date.now());
  const h = await startLoginHarness({ scheduler, session: { idleTimeoutMs: 0 } });
  try {
    await h.createAccount('Zoë');
    for (let i = 0; i < 5; i++) assert.equal((await attempt(h, '127.0.0.5', 'Zoë', `wrong-${i}`)).error, AuthenError.AuthenFailed);
    // "ZOË" with a combining diaeresis names the same account in the store: its next guess waits for its slot.
    const client = await h.connect({ localAddress: '127.0.0.5' });
    const pending = authenticate(client, 'ZOE\u0308', 'wrong-again', { timeoutMs: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(client.queued(LOGIN.MSG_USER_AUTHEN_RSP), 0, 'no answer before the slot');
    await scheduler.advance(500);
    assert.equal((await pending).error, AuthenError.AuthenFailed);
    // The right password under that spelling is the same account.
    await scheduler.advance(60_000);
    assert.equal((await attempt(h, '127.0.0.6', 'ZOE\u0308', DEFAULT_PASSWORD)).error, AuthenError.Ok);
    await client.close();
  } finally {
    await h.close();
  }
});

test('a session that never authenticates is closed after 30 s, long before the AFK limit', { timeout: 60_000 }, async () => {
  const scheduler = new VirtualScheduler(Date.now());
  const h = await startLoginHarness({ scheduler, session: { idleTimeoutMs: 0 } });
  try {
    const idle = await h.connect({ localAddress: '127.0.0.7' });
    await scheduler.advance(29_000);
    assert.equal(idle.isClosed, false);
    await scheduler.advance(1_000);
    assert.deepEqual(await idle.next(LOGIN.MSG_DISCONNECT_LOGIN_AFK, 2000), { Warning: 0 });
    assert.equal((await idle.closed).reason, 'remote');
    assert.ok(h.logsMatching('login session AFK: disconnecting').some((l) => l['phase'] === 'unauthenticated' && l['limitMs'] === 30_000));
  } finally {
    await h.close();
  }
});

test('a character name that looks like another player\'s is refused', { timeout: 60_000 }, async () => {
  const h = await startLoginHarness();
  try {
    await h.createAccount('first');
    await h.createAccount('second');
    const first = await h.logInAdmitted('first');
    assert.equal(await createCharacter(first.client, 'Merle'), CharacterError.Ok);
    const second = await h.logInAdmitted('second');
    assert.equal(await createCharacter(second.client, 'Мerle'), CharacterError.NameTaken, 'Cyrillic М');
    assert.equal(await createCharacter(second.client, 'ＭＥＲＬＥ'), CharacterError.NameTaken, 'full-width letters');
    assert.equal(await createCharacter(second.client, 'Merlin'), CharacterError.Ok);
  } finally {
    await h.close();
  }
});
