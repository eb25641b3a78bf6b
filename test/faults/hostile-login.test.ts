// Hostile clients against a real login server (in-process, real TCP, real SQLite). Every case checks
// the same three things: the attacker's connection ends (or stays within its limits), a player who
// was logged in before the attack is still answered, and what the server acknowledged before the
// attack (a created character) is still there. IMLIGHT_FAULTS=full runs the larger sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { KiClient } from '../../src/net/index.js';
import {
  LOGIN, encodeDmlFrame, encodeFrame, encodeSessionAccept, encryptRec1, clientKey1, passKey3, passwordHash, sessionSalt, MessageRegistry,
} from '../../src/protocol/index.js';
import { authenticate, authenticationRec1, awaitAdmission, createCharacter, listCharacters } from '../../src/bots/index.js';
import {
  FULL, HealthyPlayer, closedWithin, figures, freshLoginWorks, makeAccounts, rawConnect, seededBytes, size, sleep, startLoginNetwork,
  type LoginNetwork,
} from './support.js';

const AUTHEN_FAILED = 0x3b689180;
const registry = MessageRegistry.defaults();

/** A logged-in player with one created character: what every case must leave intact. */
async function witness(net: LoginNetwork, name: string) {
  const [account, spare] = await makeAccounts(net.store, `${name}-`, 2);
  const player = await HealthyPlayer.login(net.port, account!);
  await player.create(`${name}Char`);
  return { player, spare: spare!, account: account! };
}

async function assertStillServed(net: LoginNetwork, w: Awaited<ReturnType<typeof witness>>, name: string): Promise<void> {
  const list = await w.player.characters();
  assert.deepEqual(list.map((c) => c.name), [`${name}Char`], 'the player logged in before the attack is still answered, its character intact');
  const fresh = await freshLoginWorks(net.port, w.spare);
  assert.deepEqual(fresh, [], 'a newcomer can still log in');
  const account = await net.store.accounts.findByUsername(w.account.username);
  assert.equal((await net.store.characters.listByAccount(account!.id)).length, 1, 'the acknowledged character is in the store');
  w.player.close();
}

async function inBatches<T>(count: number, batch: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += batch) {
    const slice = Array.from({ length: Math.min(batch, count - start) }, (_, i) => work(start + i));
    results.push(...(await Promise.all(slice)));
  }
  return results;
}

test('garbage bytes, before or after the handshake, end only the sender\'s session', async (t) => {
  const net = await startLoginNetwork(t, { session: { acceptTimeoutMs: 2000 } });
  const w = await witness(net, 'garbage');
  const random = seededBytes(0x1badb002);
  const n = size(60, 3000);
  let bytesSent = 0;
  const outcomes = await inBatches(n, 20, async (i) => {
    const socket = await rawConnect(net.port);
    const junk = random(1 + (i * 97) % 4096);
    // Half of the inputs come after a valid SessionAccept, where the server already trusts the framing.
    if (i % 2 === 1) socket.write(encodeSessionAccept({ sid: 0, secs: 0, millis: 0 }));
    if (junk[0] === 0x0d) junk[0] = 0x0e;
    socket.write(junk);
    bytesSent += junk.length;
    const closedAfter = await closedWithin(socket, 5000);
    socket.destroy();
    return closedAfter;
  });
  const open = outcomes.filter((ms) => ms === undefined).length;
  assert.equal(open, 0, 'every connection that sent garbage was closed');
  await assertStillServed(net, w, 'garbage');
  assert.equal(net.failures.length, 0, 'no actor failed');
  figures(t, 'garbage-bytes', { connections: n, bytesSent, closed: n - open, maxCloseMs: Math.max(...(outcomes as number[])), actorFailures: net.failures.length });
});

test('well-framed DML with random contents is refused message by message, never by a crash', async (t) => {
  const net = await startLoginNetwork(t);
  const w = await witness(net, 'fuzz');
  const random = seededBytes(0xfeedface);
  const n = size(300, 20_000);
  const client = await KiClient.connect({ port: net.port, keepAliveMs: 0 });
  let sent = 0;
  let connections = 1;
  let current = client;
  for (let i = 0; i < n; i++) {
    if (current.isClosed) {
      current = await KiClient.connect({ port: net.port, keepAliveMs: 0 });
      connections++;
    }
    // LOGIN's service id and a real order, with random field bytes: the decoder's and the services' paths.
    const body = random(4 + (i % 200));
    body[0] = 7;
    body[1] = [2, 4, 6, 8, 10, 15, 18, 26, 27][i % 9]!;
    body.writeUInt16LE(body.length, 2);
    try {
      current.writeRaw(encodeFrame(false, 0, body));
      sent++;
    } catch {
      // The server closed this connection between our check and the write: the next one takes over.
    }
    if (i % 50 === 49) await sleep(5);
  }
  current.destroy();
  await assertStillServed(net, w, 'fuzz');
  figures(t, 'random-dml', { messages: sent, connectionsNeeded: connections, actorFailures: net.failures.length });
});

test('oversized length fields close the connection at once, without waiting for the body', async (t) => {
  const net = await startLoginNetwork(t, { session: { acceptTimeoutMs: 2000 } });
  const w = await witness(net, 'oversize');
  const headers = [
    Buffer.from([0x0d, 0xf0, 0x00, 0x80, 0xff, 0xff, 0xff, 0x7f]), // long form, 2 GiB
    Buffer.from([0x0d, 0xf0, 0x00, 0x80, 0x01, 0x00, 0x01, 0x00]), // long form, one byte past 64 KiB
    Buffer.from([0x0d, 0xf0, 0x00, 0x80, 0xff, 0xff, 0xff, 0xff]), // long form, 4 GiB
  ];
  const rounds = size(5, 200);
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [index, header] of headers.entries()) {
      const client = await KiClient.connect({ port: net.port, keepAliveMs: 0 });
      if (index === 0) client.accept();
      client.writeRaw(header);
      const started = Date.now();
      const info = await Promise.race([client.closed, sleep(1500).then(() => undefined)]);
      assert.ok(info !== undefined, `a length field of ${header.toString('hex')} closes the connection well before the accept limit`);
      times.push(Date.now() - started);
      client.destroy();
    }
  }
  // A length under the cap with the body never sent: held only until the accept limit.
  const partial = await rawConnect(net.port);
  partial.write(Buffer.from([0x0d, 0xf0, 0xf0, 0x7f])); // 32,752 bytes announced, short form
  partial.write(Buffer.alloc(10));
  const closedAfter = await closedWithin(partial, 5000);
  assert.ok(closedAfter !== undefined, 'a frame whose body never comes is closed by the accept limit');
  await assertStillServed(net, w, 'oversize');
  figures(t, 'oversized-length', { inputs: rounds * headers.length, maxCloseMs: Math.max(...times), partialFrameClosedAfterMs: closedAfter });
});

test('a slow drip of bytes is cut off by the accept limit before the handshake and by the AFK limit after it', async (t) => {
  const dripMs = FULL ? 1000 : 150;
  const acceptTimeoutMs = FULL ? 5000 : 1000;
  const afkTimeoutMs = FULL ? 8000 : 1500;
  const net = await startLoginNetwork(t, {
    session: { acceptTimeoutMs },
    settings: { afkTimeoutMs, afkCheckIntervalMs: 250 },
  });
  const w = await witness(net, 'drip');
  w.player.keepActive(afkTimeoutMs / 4);
  const drips = size(4, 20);
  const drip = async (socket: Socket, bytes: Buffer): Promise<number> => {
    let sent = 0;
    for (const byte of bytes) {
      if (socket.destroyed || socket.writableEnded) break;
      socket.write(Buffer.from([byte]));
      sent++;
      await sleep(dripMs);
    }
    return sent;
  };
  const before = await Promise.all(Array.from({ length: drips }, async () => {
    const socket = await rawConnect(net.port);
    const started = Date.now();
    const closing = closedWithin(socket, acceptTimeoutMs + 3000);
    const accept = encodeSessionAccept({ sid: 1, secs: 0, millis: 0 });
    const sent = await Promise.race([drip(socket, accept), closing.then(() => -1)]);
    const closedAfter = await closing;
    socket.destroy();
    return { sent, closedAfter, elapsed: Date.now() - started, total: accept.length };
  }));
  for (const result of before) {
    assert.ok(result.closedAfter !== undefined, 'a drip before the handshake is closed');
    assert.ok(result.closedAfter! < acceptTimeoutMs + 2000, `closed by the accept limit (${result.closedAfter} ms)`);
  }
  const after = await Promise.all(Array.from({ length: drips }, async () => {
    const client = await KiClient.connect({ port: net.port, keepAliveMs: 0 });
    const frame = encodeDmlFrame(registry, LOGIN.MSG_USER_AUTHEN_V3, {
      Rec1: authenticationRec1(client, { username: 'nobody', password: 'x' }), Version: '', Revision: '', DataRevision: '', CRC: '',
      MachineID: 1n, Locale: 'English', PatchClientID: '', IsSteamPatcher: 0, ConsoleType: 0,
    });
    const started = Date.now();
    let sent = 0;
    for (const byte of frame) {
      if (client.isClosed) break;
      try {
        client.writeRaw(Buffer.from([byte]));
      } catch {
        break;
      }
      sent++;
      await sleep(dripMs);
    }
    const info = await Promise.race([client.closed, sleep(afkTimeoutMs + 3000).then(() => undefined)]);
    client.destroy();
    return { closed: info !== undefined, elapsed: Date.now() - started, sent, total: frame.length };
  }));
  for (const result of after) {
    assert.ok(result.closed, 'a drip after the handshake is closed');
    assert.ok(result.sent < result.total, `closed before the slow frame was complete (${result.sent}/${result.total} bytes)`);
  }
  await assertStillServed(net, w, 'drip');
  figures(t, 'slow-drip', {
    dripMs,
    connections: drips * 2,
    beforeHandshakeClosedAfterMs: Math.max(...before.map((r) => r.closedAfter!)),
    afterHandshakeClosedAfterMs: Math.max(...after.map((r) => r.elapsed)),
    bytesAcceptedBeforeCutOff: Math.max(...after.map((r) => r.sent)),
  });
});

test('a connection flood above the cap is refused while admitted players stay and the slots come back', async (t) => {
  const cap = size(40, 500);
  const flood = size(200, 5000);
  const net = await startLoginNetwork(t, { maxConnections: cap, session: { acceptTimeoutMs: 20_000 } });
  const w = await witness(net, 'flood');
  const info = () => net.login.ref.ask<{ sessions: number }>((replyTo) => ({ type: 'net.server-info', replyTo }), 2000);
  // The server's own count of sessions, sampled all through the flood.
  let maxSessions = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      maxSessions = Math.max(maxSessions, (await info()).sessions);
      await sleep(10);
    }
  })();
  const sockets: Socket[] = [];
  t.after(() => { for (const socket of sockets) socket.destroy(); });
  const offered = await Promise.all(Array.from({ length: flood }, async () => {
    try {
      const socket = await rawConnect(net.port);
      sockets.push(socket);
      return await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 3000);
        socket.once('data', () => { clearTimeout(timer); resolve(true); });
        socket.once('close', () => { clearTimeout(timer); resolve(false); });
      });
    } catch {
      return false;
    }
  }));
  const held = offered.filter(Boolean).length;
  // Under the flood, the logged-in player is still answered.
  assert.equal((await w.player.characters()).length, 1);
  sampling = false;
  await sampler;
  assert.ok(maxSessions <= cap, `at most the cap of sessions at once (${maxSessions} for a cap of ${cap})`);
  assert.ok(held >= (cap - 1) * 0.9, `the server kept serving up to its cap (${held} sessions offered)`);
  for (const socket of sockets) socket.destroy();
  await sleep(300);
  await assertStillServed(net, w, 'flood');
  figures(t, 'connection-flood', { cap, attempted: flood, held, maxSessionsAtOnce: maxSessions, refused: flood - held, actorFailures: net.failures.length });
});

test('handshakes never completed are closed at the accept limit and free their session ids', async (t) => {
  const acceptTimeoutMs = 1000;
  const net = await startLoginNetwork(t, { session: { acceptTimeoutMs } });
  const w = await witness(net, 'noaccept');
  const n = size(30, 1000);
  const clients = await inBatches(n, 50, () => KiClient.connect({ port: net.port, keepAliveMs: 0, handshake: 'manual' }));
  const closed = await Promise.all(clients.map((c) => Promise.race([c.closed, sleep(acceptTimeoutMs + 4000).then(() => undefined)])));
  assert.equal(closed.filter((c) => c === undefined).length, 0, 'every session without a SessionAccept was closed');
  const info = await net.login.ref.ask<{ sessions: number }>((replyTo) => ({ type: 'net.server-info', replyTo }), 2000);
  assert.equal(info.sessions, 1, 'only the witness\'s session is left');
  await assertStillServed(net, w, 'noaccept');
  figures(t, 'handshake-never-completed', { connections: n, closed: n, sessionsLeft: info.sessions });
});

test('an access-level-1 message before the SessionAccept closes the session without logging in', async (t) => {
  const net = await startLoginNetwork(t);
  const w = await witness(net, 'early');
  const [victim] = await makeAccounts(net.store, 'early-victim', 1);
  const n = size(10, 300);
  let authenRsp = 0;
  for (let i = 0; i < n; i++) {
    const client = await KiClient.connect({ port: net.port, keepAliveMs: 0, handshake: 'manual' });
    // Correct credentials: only the missing handshake must stop it.
    client.send(LOGIN.MSG_USER_AUTHEN_V3, {
      Rec1: authenticationRec1(client, victim!), Version: '', Revision: '', DataRevision: '', CRC: '',
      MachineID: 5n, Locale: 'English', PatchClientID: '', IsSteamPatcher: 0, ConsoleType: 0,
    });
    const outcome = await Promise.race([
      client.next(LOGIN.MSG_USER_AUTHEN_RSP, 1500).then(() => 'answered', () => 'closed'),
      client.closed.then(() => 'closed'),
    ]);
    if (outcome === 'answered') authenRsp++;
    client.destroy();
  }
  assert.equal(authenRsp, 0, 'no AUTHEN_RSP before the handshake');
  const account = await net.store.accounts.findByUsername(victim!.username);
  assert.equal(account!.lastLoginAt, null, 'the account never logged in');
  assert.equal((await net.store.onlinePlayers.findByAccount(account!.id)).length, 0);
  await assertStillServed(net, w, 'early');
  figures(t, 'access-level-1-before-handshake', { attempts: n, answered: authenRsp });
});

test('a replayed AUTHEN_V3, a Rec1 for another session id and a replayed ClientKey2 are refused', async (t) => {
  const net = await startLoginNetwork(t);
  const w = await witness(net, 'replay');
  const [victim] = await makeAccounts(net.store, 'replay-victim', 1);
  const n = size(5, 100);
  let refused = 0;
  let tried = 0;

  // The victim logs in; an eavesdropper kept the bytes of its AUTHEN_V3 and its ClientKey2.
  const first = await KiClient.connect({ port: net.port, keepAliveMs: 0 });
  const capturedRec1 = authenticationRec1(first, victim!);
  const ok = await authenticate(first, victim!, 9n, 5000);
  await awaitAdmission(first, 5000);
  first.destroy();

  for (let i = 0; i < n; i++) {
    // 1. The same bytes on a new session: its salt differs, so the CK1 inside no longer matches.
    const replay = await KiClient.connect({ port: net.port, keepAliveMs: 0 });
    replay.send(LOGIN.MSG_USER_AUTHEN_V3, {
      Rec1: capturedRec1, Version: '', Revision: '', DataRevision: '', CRC: '', MachineID: 9n, Locale: 'English', PatchClientID: '', IsSteamPatcher: 0, ConsoleType: 0,
    });
    tried++;
    if ((await replay.next(LOGIN.MSG_USER_AUTHEN_RSP, 5000)).Error !== 0) refused++;
    replay.destroy();

    // 2. Rec1 made for another session id: encrypted with this session's key, the text names another sid.
    const other = await KiClient.connect({ port: net.port, keepAliveMs: 0 });
    const { sid, secs, millis } = other.offer;
    const fakeSid = (sid + 1 + i) & 0xffff;
    const ck1 = clientKey1(passwordHash(victim!.password), sessionSalt(fakeSid, secs, millis));
    other.send(LOGIN.MSG_USER_AUTHEN_V3, {
      Rec1: encryptRec1(Buffer.from(`${fakeSid} ${victim!.username} ${ck1}`), other.offer),
      Version: '', Revision: '', DataRevision: '', CRC: '', MachineID: 9n, Locale: 'English', PatchClientID: '', IsSteamPatcher: 0, ConsoleType: 0,
    });
    tried++;
    const rsp = await other.next(LOGIN.MSG_USER_AUTHEN_RSP, 5000);
    if (rsp.Error !== 0) refused++;
    assert.equal(rsp.Error, AUTHEN_FAILED);
    other.destroy();

    // 3. Rec1 encrypted with another session's key (the text is right for this one).
    const third = await KiClient.connect({ port: net.port, keepAliveMs: 0 });
    const t3 = third.offer;
    const ck1b = clientKey1(passwordHash(victim!.password), sessionSalt(t3.sid, t3.secs, t3.millis));
    third.send(LOGIN.MSG_USER_AUTHEN_V3, {
      Rec1: encryptRec1(Buffer.from(`${t3.sid} ${victim!.username} ${ck1b}`), { sid: (t3.sid + 7) & 0xffff, secs: t3.secs, millis: t3.millis }),
      Version: '', Revision: '', DataRevision: '', CRC: '', MachineID: 9n, Locale: 'English', PatchClientID: '', IsSteamPatcher: 0, ConsoleType: 0,
    });
    tried++;
    if ((await third.next(LOGIN.MSG_USER_AUTHEN_RSP, 5000)).Error !== 0) refused++;
    third.destroy();
  }

  // 4. ClientKey2 is single-use: MSG_USER_VALIDATE succeeds once, the replay fails.
  const validateOnce = async (): Promise<number> => {
    const client = await KiClient.connect({ port: net.port, keepAliveMs: 0 });
    const { sid, secs, millis } = client.offer;
    client.send(LOGIN.MSG_USER_VALIDATE, { UserID: ok.userId, PassKey3: passKey3(ok.clientKey2, sessionSalt(sid, secs, millis)), MachineID: 9n, Locale: 'English', PatchClientID: '' });
    const rsp = await client.next(LOGIN.MSG_USER_VALIDATE_RSP, 5000);
    client.destroy();
    return rsp.Error;
  };
  assert.equal(await validateOnce(), 0, 'the launcher handoff works once');
  await sleep(100);
  const replayedValidate = await validateOnce();
  tried++;
  if (replayedValidate !== 0) refused++;
  assert.notEqual(replayedValidate, 0, 'the same ClientKey2 does not validate twice');
  assert.equal(refused, tried, 'every replay was refused');
  await assertStillServed(net, w, 'replay');
  figures(t, 'replays-and-foreign-rec1', { attempts: tried, refused });
});

test('a huge CreationInfo is an error reply and the session stays usable', async (t) => {
  const net = await startLoginNetwork(t);
  const w = await witness(net, 'huge');
  const [account] = await makeAccounts(net.store, 'huge-creator', 1);
  const client = await KiClient.connect({ port: net.port, keepAliveMs: 0 });
  await authenticate(client, account!, 3n, 5000);
  await awaitAdmission(client, 5000);
  const sizes = [60_000, 65_000, 65_535 - 64];
  const codes: number[] = [];
  for (const bytes of sizes) {
    const blob = Buffer.concat([Buffer.from('IMCH\x01\x00', 'latin1'), Buffer.alloc(bytes - 6, 0x41)]);
    client.send(LOGIN.MSG_CREATECHARACTER, { CreationInfo: blob });
    codes.push((await client.next(LOGIN.MSG_CREATECHARACTERRESPONSE, 5000)).ErrorCode);
  }
  assert.ok(codes.every((c) => c !== 0), `every oversized or malformed creation is refused (${codes.join(', ')})`);
  await createCharacter(client, 'Normal', 5000);
  assert.deepEqual((await listCharacters(client, 5000)).map((c) => c.name), ['Normal'], 'the same session still creates a normal character');
  client.destroy();
  await assertStillServed(net, w, 'huge');
  figures(t, 'huge-creation-info', { inputs: sizes.length, refused: codes.filter((c) => c !== 0).length });
});
