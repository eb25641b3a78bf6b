import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOGIN, encryptRec1 } from '../../../src/protocol/index.js';
import { AuthenError, ValidateError, authenticate, rec1For, validate } from '../../../src/servers/login/index.js';
import { DEFAULT_PASSWORD, startLoginHarness } from './harness.js';

// Throttling has its own tests: here failures neither delay nor lock out.
const LENIENT = { throttle: { delayStepMs: 0, maxFailures: 1000 } };

test('a wrong password and an unknown user are refused with AuthenFailed, and the reason is logged', async () => {
  const h = await startLoginHarness({ settings: LENIENT });
  try {
    await h.createAccount('Merlin');
    const client = await h.connect();
    const wrong = await authenticate(client, 'Merlin', 'not the password');
    assert.equal(wrong.error, AuthenError.AuthenFailed);
    assert.equal(wrong.userId, 0n);
    assert.equal(wrong.clientKey2, '');
    const unknown = await authenticate(await h.connect(), 'Nobody', DEFAULT_PASSWORD);
    assert.equal(unknown.error, AuthenError.AuthenFailed);
    assert.equal(unknown.reason, wrong.reason, 'an unknown user is indistinguishable from a wrong password');
    const reasons = h.logsMatching('authentication refused').map((l) => l['reason']);
    assert.deepEqual(reasons, ['wrong password', 'unknown username']);
    assert.ok(!JSON.stringify(h.logs).includes(DEFAULT_PASSWORD), 'the password is never logged');
    // The session is still usable: the right password now works.
    assert.equal((await authenticate(client, 'Merlin', DEFAULT_PASSWORD)).error, AuthenError.Ok);
  } finally {
    await h.close();
  }
});

test('a banned account, a locked account, a banned machine and a banned address are refused with their codes', async () => {
  const h = await startLoginHarness({ settings: LENIENT });
  try {
    const banned = await h.createAccount('Banned');
    const locked = await h.createAccount('Locked');
    await h.createAccount('Clean');
    await h.store.bans.create({ accountId: banned.id, reason: 'botting' });
    await h.store.accounts.setLocked(locked.id, true);
    await h.store.bans.create({ machineId: 666n, reason: 'cheat engine' });

    assert.equal((await authenticate(await h.connect(), 'Banned', DEFAULT_PASSWORD)).error, AuthenError.AccountBanned);
    assert.equal((await authenticate(await h.connect(), 'Locked', DEFAULT_PASSWORD)).error, AuthenError.AccountBanned);
    // A banned account with a wrong password learns nothing about the ban.
    assert.equal((await authenticate(await h.connect(), 'Banned', 'guess')).error, AuthenError.AuthenFailed);
    assert.equal((await authenticate(await h.connect(), 'Clean', DEFAULT_PASSWORD, { machineId: 666n })).error, AuthenError.MachineBanned);
    assert.equal((await authenticate(await h.connect(), 'Clean', DEFAULT_PASSWORD, { machineId: 1n })).error, AuthenError.Ok);
    assert.ok(h.logsMatching('authentication refused').some((l) => String(l['reason']).includes('cheat engine')));

    await h.store.bans.create({ address: '127.0.0.1', reason: 'abuse' });
    assert.equal((await authenticate(await h.connect(), 'Clean', DEFAULT_PASSWORD, { machineId: 2n })).error, AuthenError.MachineBanned);
  } finally {
    await h.close();
  }
});

test('Rec1 naming another session id, or garbage, is refused without crashing the session', async () => {
  const h = await startLoginHarness({ settings: LENIENT });
  try {
    await h.createAccount('Merlin');
    const client = await h.connect();
    const otherSid = { ...client.offer, sid: (client.offer.sid + 1) & 0xffff };
    const fields = { Version: '', Revision: '', DataRevision: '', CRC: '', MachineID: 0n, Locale: '', PatchClientID: '', IsSteamPatcher: 0, ConsoleType: 0 };
    // Encrypted with this session's key but naming another sid.
    const text = rec1For(otherSid, 'Merlin', DEFAULT_PASSWORD);
    client.send(LOGIN.MSG_USER_AUTHEN_V3, { ...fields, Rec1: encryptRec1(Buffer.from(`${otherSid.sid} Merlin x`), client.offer) });
    assert.equal((await client.next(LOGIN.MSG_USER_AUTHEN_RSP, 2000)).Error, AuthenError.AuthenFailed);
    client.send(LOGIN.MSG_USER_AUTHEN_V3, { ...fields, Rec1: text });
    assert.equal((await client.next(LOGIN.MSG_USER_AUTHEN_RSP, 2000)).Error, AuthenError.AuthenFailed);
    // A username the store cannot even look up (control characters): an ordinary failure, not a server error.
    const control = await authenticate(client, 'Mer\u0001lin', DEFAULT_PASSWORD);
    assert.equal(control.error, AuthenError.AuthenFailed);
    assert.equal(h.logsMatching('server error').length, 0);
    client.send(LOGIN.MSG_USER_AUTHEN_V3, { ...fields, Rec1: Buffer.alloc(0) });
    assert.equal((await client.next(LOGIN.MSG_USER_AUTHEN_RSP, 2000)).Error, AuthenError.AuthenFailed);
    client.send(LOGIN.MSG_USER_AUTHEN_V3, { ...fields, Rec1: Buffer.alloc(4000, 7) });
    assert.equal((await client.next(LOGIN.MSG_USER_AUTHEN_RSP, 2000)).Error, AuthenError.AuthenFailed);
    assert.equal(client.isClosed, false);
    assert.equal((await authenticate(client, 'Merlin', DEFAULT_PASSWORD)).error, AuthenError.Ok);
  } finally {
    await h.close();
  }
});

test('two AUTHEN requests in flight get exactly one reply each: the second is refused once the first succeeded', async () => {
  const h = await startLoginHarness({ settings: LENIENT });
  try {
    const account = await h.createAccount('Twice');
    const client = await h.connect();
    const rec1 = rec1For(client.offer, 'Twice', DEFAULT_PASSWORD);
    const fields = { Rec1: rec1, Version: '', Revision: '', DataRevision: '', CRC: '', MachineID: 5n, Locale: '', PatchClientID: '', IsSteamPatcher: 0, ConsoleType: 0 };
    client.send(LOGIN.MSG_USER_AUTHEN_V3, fields);
    client.send(LOGIN.MSG_USER_AUTHEN_V3, fields);
    const first = await client.next(LOGIN.MSG_USER_AUTHEN_RSP, 3000);
    const second = await client.next(LOGIN.MSG_USER_AUTHEN_RSP, 3000);
    assert.equal(first.Error, AuthenError.Ok);
    assert.equal(first.UserID, account.id);
    assert.equal(second.Error, AuthenError.AuthenFailed);
    assert.match(second.Reason.toString(), /already authenticated/);
    assert.deepEqual(await client.next(LOGIN.MSG_USER_ADMIT_IND, 2000), { Status: 1, PositionInQueue: 0 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(client.queued(LOGIN.MSG_USER_AUTHEN_RSP), 0, 'no third reply');
    assert.equal(client.queued(LOGIN.MSG_USER_ADMIT_IND), 0, 'admitted once');
  } finally {
    await h.close();
  }
});

test('validate: the ClientKey2 of an authentication admits a new session once with the right PassKey3', async () => {
  const h = await startLoginHarness({ settings: LENIENT });
  try {
    const account = await h.createAccount('Launcher');
    const first = await h.logInAdmitted('Launcher', DEFAULT_PASSWORD, { machineId: 99n });
    await first.client.close();

    const wrongKey = await h.connect();
    const wrong = await validate(wrongKey, account.id, 'not the client key', { machineId: 99n });
    assert.equal(wrong.error, ValidateError.ValidateFailed);
    const otherMachine = await validate(await h.connect(), account.id, first.auth.clientKey2, { machineId: 98n });
    assert.equal(otherMachine.error, ValidateError.ValidateFailed);
    assert.ok(h.logsMatching('validation refused').some((l) => l['reason'] === 'wrong PassKey3'));

    const client = await h.connect();
    const ok = await validate(client, account.id, first.auth.clientKey2, { machineId: 99n });
    assert.equal(ok.error, ValidateError.Ok);
    assert.equal(ok.userId, account.id);
    assert.deepEqual(await client.next(LOGIN.MSG_USER_ADMIT_IND, 2000), { Status: 1, PositionInQueue: 0 });

    const reused = await validate(await h.connect(), account.id, first.auth.clientKey2, { machineId: 99n });
    assert.equal(reused.error, ValidateError.ValidateFailed, 'a ClientKey2 validates once');
  } finally {
    await h.close();
  }
});

test('validate: a banned machine and an unknown user id are refused', async () => {
  const h = await startLoginHarness({ settings: LENIENT });
  try {
    const account = await h.createAccount('Launcher');
    const first = await h.logInAdmitted('Launcher', DEFAULT_PASSWORD, { machineId: 7n });
    await h.store.bans.create({ machineId: 7n, reason: 'chargeback' });
    assert.equal((await validate(await h.connect(), account.id, first.auth.clientKey2, { machineId: 7n })).error, ValidateError.MachineBanned);
    assert.equal((await validate(await h.connect(), account.id + 1000n, first.auth.clientKey2, { machineId: 8n })).error, ValidateError.ValidateFailed);
  } finally {
    await h.close();
  }
});
