import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOGIN } from '../../../src/protocol/index.js';
import { VirtualScheduler } from '../../../src/runtime/testkit/index.js';
import { AuthenError, authenticate, type AdmissionStatus } from '../../../src/servers/login/index.js';
import { DEFAULT_PASSWORD, registerTestGameServer, startLoginHarness } from './harness.js';

test('duplicate login: the older login session is disconnected and the new one admitted', async () => {
  const h = await startLoginHarness();
  try {
    const account = await h.createAccount('Twin');
    const older = await h.logInAdmitted('Twin');
    const newer = await h.logInAdmitted('Twin');
    assert.equal((await older.client.closed).reason, 'remote');
    assert.equal(newer.client.isClosed, false);
    await waitFor(async () => {
      const entries = await h.store.onlinePlayers.findByAccount(account.id);
      return entries.length === 1 && Number(entries[0]!.sessionId) === newer.client.offer.sid;
    }, 'one online entry, the newer session');
    assert.equal(h.logsMatching('duplicate login: closing the older login session').length, 1);
  } finally {
    await h.close();
  }
});

test('duplicate login: a player on a game server is kicked there through the pool', async () => {
  const h = await startLoginHarness();
  try {
    const account = await h.createAccount('Roamer');
    const game = await registerTestGameServer(h, { name: 'game-k' });
    await h.store.onlinePlayers.put({ server: 'game-k', sessionId: 12n, accountId: account.id, characterId: null, since: new Date() });
    await h.logInAdmitted('Roamer');
    await waitFor(() => game.state.kicks.length === 1, 'the game server was told to kick');
    assert.equal(game.state.kicks[0], account.id);
    assert.equal(await h.store.onlinePlayers.count({ server: 'game-k' }), 0);
  } finally {
    await h.close();
  }
});

test('duplicate login with the refuse-new policy: the new login is refused, the older session stays', async () => {
  const h = await startLoginHarness({ settings: { duplicateLogin: 'refuse-new' } });
  try {
    await h.createAccount('Stubborn');
    const older = await h.logInAdmitted('Stubborn');
    const newer = await authenticate(await h.connect(), 'Stubborn', DEFAULT_PASSWORD);
    assert.equal(newer.error, AuthenError.AuthenFailed);
    assert.match(newer.reason, /already online/);
    assert.equal(older.client.isClosed, false);
  } finally {
    await h.close();
  }
});

test('a full realm queues players, sends their positions and updates them as the queue moves', async () => {
  const h = await startLoginHarness({ settings: { capacity: 2, queueLimit: 2 } });
  try {
    for (const name of ['a', 'b', 'c', 'd', 'e']) await h.createAccount(name);
    const a = await h.logIn('a');
    const b = await h.logIn('b');
    const c = await h.logIn('c');
    const d = await h.logIn('d');
    assert.deepEqual([a.admit, b.admit], [{ Status: 1, PositionInQueue: 0 }, { Status: 1, PositionInQueue: 0 }]);
    assert.deepEqual(c.admit, { Status: 0, PositionInQueue: 1 });
    assert.deepEqual(d.admit, { Status: 0, PositionInQueue: 2 });
    // Queued players are not admitted: no characters yet.
    c.client.send(LOGIN.MSG_REQUESTCHARACTERLIST, {});
    assert.equal((await c.client.next(LOGIN.MSG_CHARACTERLIST, 2000)).Error, 1);
    // The queue is full too: the next one is refused and closed.
    const e = await h.connect();
    assert.equal((await authenticate(e, 'e', DEFAULT_PASSWORD)).error, 0);
    assert.equal((await e.closed).reason, 'remote');
    assert.equal(e.queued(LOGIN.MSG_USER_ADMIT_IND), 0);
    assert.equal(h.logsMatching('admission queue full').length, 1);

    await a.client.close();
    assert.deepEqual(await c.client.next(LOGIN.MSG_USER_ADMIT_IND, 2000), { Status: 1, PositionInQueue: 0 });
    assert.deepEqual(await d.client.next(LOGIN.MSG_USER_ADMIT_IND, 2000), { Status: 0, PositionInQueue: 1 });
    c.client.send(LOGIN.MSG_REQUESTCHARACTERLIST, {});
    assert.equal((await c.client.next(LOGIN.MSG_CHARACTERLIST, 2000)).Error, 0);

    await b.client.close();
    assert.deepEqual(await d.client.next(LOGIN.MSG_USER_ADMIT_IND, 2000), { Status: 1, PositionInQueue: 0 });
  } finally {
    await h.close();
  }
});

test('a queued player that leaves moves the players behind it up', async () => {
  const h = await startLoginHarness({ settings: { capacity: 1 } });
  try {
    for (const name of ['a', 'b', 'c']) await h.createAccount(name);
    await h.logIn('a');
    const b = await h.logIn('b');
    const c = await h.logIn('c');
    assert.deepEqual(c.admit, { Status: 0, PositionInQueue: 2 });
    await b.client.close();
    assert.deepEqual(await c.client.next(LOGIN.MSG_USER_ADMIT_IND, 2000), { Status: 0, PositionInQueue: 1 });
  } finally {
    await h.close();
  }
});

test('players on game servers count against the realm capacity', async () => {
  const h = await startLoginHarness({ settings: { capacity: 2, queueRecountMs: 50 } });
  try {
    const elsewhere = await h.createAccount('elsewhere');
    await h.createAccount('newcomer');
    await h.store.onlinePlayers.put({ server: 'game-x', sessionId: 1n, accountId: elsewhere.id, characterId: 1n, since: new Date() });
    await h.store.onlinePlayers.put({ server: 'game-x', sessionId: 2n, accountId: elsewhere.id + 1000n, characterId: 2n, since: new Date() });
    await waitFor(async () => (await h.login.admission.ask<AdmissionStatus>((replyTo) => ({ type: 'admission.status', replyTo }), 1000)).elsewhere === 2, 'the recount saw the game server\'s players');
    const queued = await h.logIn('newcomer');
    assert.deepEqual(queued.admit, { Status: 0, PositionInQueue: 1 });
    await h.store.onlinePlayers.clearServer('game-x');
    assert.deepEqual(await queued.client.next(LOGIN.MSG_USER_ADMIT_IND, 3000), { Status: 1, PositionInQueue: 0 });
  } finally {
    await h.close();
  }
});

test('throttling: past maxFailures the attempts of one address on one account are spaced out; nobody else is held back', async () => {
  const scheduler = new VirtualScheduler(Date.now());
  const h = await startLoginHarness({
    scheduler,
    session: { idleTimeoutMs: 0 },
    settings: { throttle: { maxFailures: 3, delayStepMs: 1_000, lockoutMs: 60_000, windowMs: 300_000 } },
  });
  try {
    await h.createAccount('Target');
    await h.createAccount('Bystander');
    const client = await h.connect();
    for (let i = 0; i < 3; i++) assert.equal((await authenticate(client, 'Target', `wrong-${i}`)).error, AuthenError.AuthenFailed);
    assert.ok(h.logsMatching('too many failed logins: attempts are slowed').map((l) => l['key']).includes('pair:target|127.0.0.1'));
    // Three failures: the next attempt from here waits for its slot, delayStep of (virtual) time.
    const pending = authenticate(client, 'Target', 'wrong-3', { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(client.queued(LOGIN.MSG_USER_AUTHEN_RSP), 0, 'no reply before the slot');
    await scheduler.advance(1_000);
    assert.equal((await pending).error, AuthenError.AuthenFailed);

    // Another account from this address, and this account from another address, go through at once.
    assert.equal((await authenticate(await h.connect(), 'Bystander', DEFAULT_PASSWORD)).error, AuthenError.Ok);
    assert.equal((await authenticate(await h.connect({ localAddress: '127.0.0.2' }), 'Target', DEFAULT_PASSWORD)).error, AuthenError.Ok);

    // From here, the right password waits for its slot too (2 s now), then gets in: nothing is refused for long.
    const owner = authenticate(client, 'Target', DEFAULT_PASSWORD, { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await scheduler.advance(2_000);
    assert.equal((await owner).error, AuthenError.Ok);
  } finally {
    await h.close();
  }
});

test('AFK: an admitted session silent past the limit is told and closed; activity resets the clock', async () => {
  const scheduler = new VirtualScheduler(Date.now());
  const h = await startLoginHarness({ scheduler, session: { idleTimeoutMs: 0 } });
  try {
    await h.createAccount('Sleeper');
    const { client } = await h.logInAdmitted('Sleeper');
    await scheduler.advance(300_000);
    client.send(LOGIN.MSG_LOGIN_NOT_AFK, { BadgeNameID: 0 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await scheduler.advance(300_000);
    assert.equal(client.isClosed, false);
    assert.equal(client.queued(LOGIN.MSG_DISCONNECT_LOGIN_AFK), 0);
    await scheduler.advance(120_000);
    assert.deepEqual(await client.next(LOGIN.MSG_DISCONNECT_LOGIN_AFK, 2000), { Warning: 0 });
    assert.equal((await client.closed).reason, 'remote');
  } finally {
    await h.close();
  }
});

test('AFK: a session that never authenticates is closed after the limit, on a shortened configuration', async () => {
  const scheduler = new VirtualScheduler(Date.now());
  const h = await startLoginHarness({ scheduler, session: { idleTimeoutMs: 0 }, settings: { afkTimeoutMs: 30_000, afkCheckIntervalMs: 5_000 } });
  try {
    const client = await h.connect();
    await scheduler.advance(25_000);
    assert.equal(client.isClosed, false);
    await scheduler.advance(5_000);
    assert.deepEqual(await client.next(LOGIN.MSG_DISCONNECT_LOGIN_AFK, 2000), { Warning: 0 });
    assert.equal((await client.closed).reason, 'remote');
  } finally {
    await h.close();
  }
});

test('AFK: waiting in the admission queue is not idling', async () => {
  const scheduler = new VirtualScheduler(Date.now());
  const h = await startLoginHarness({ scheduler, session: { idleTimeoutMs: 0 }, settings: { capacity: 1 } });
  try {
    await h.createAccount('first');
    await h.createAccount('second');
    const first = await h.logInAdmitted('first');
    const second = await h.logIn('second');
    assert.deepEqual(second.admit, { Status: 0, PositionInQueue: 1 });
    for (let minute = 0; minute < 8; minute++) {
      first.client.send(LOGIN.MSG_LOGIN_NOT_AFK, { BadgeNameID: 0 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await scheduler.advance(60_000);
    }
    assert.equal(second.client.isClosed, false);
    assert.equal(second.client.queued(LOGIN.MSG_DISCONNECT_LOGIN_AFK), 0);
    // Once admitted, its AFK clock starts.
    await first.client.close();
    assert.deepEqual(await second.client.next(LOGIN.MSG_USER_ADMIT_IND, 2000), { Status: 1, PositionInQueue: 0 });
    await scheduler.advance(360_000);
    assert.deepEqual(await second.client.next(LOGIN.MSG_DISCONNECT_LOGIN_AFK, 2000), { Warning: 0 });
  } finally {
    await h.close();
  }
});

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
