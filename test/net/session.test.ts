import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import {
  ControlOpcode, EXTENDEDBASE, LOGIN, SYSTEM, decodeClientKeepAlive, decodeServerKeepAlive, encodeClientKeepAlive, encodeDmlFrame, encodeFrame, encodeSessionAccept, MessageRegistry,
} from '../../src/protocol/index.js';
import { VirtualScheduler } from '../../src/runtime/testkit/index.js';
import { MessageService, service } from '../../src/net/index.js';
import { eventually, logsMatching, startTestServer } from '../kit/net-server.js';
import { PingService, TextService, ValidateService } from './test-services.js';

const services = [service('ping', PingService), service('text', TextService), service('validate', ValidateService)];

test('the handshake offers a sid and the current time, and messages flow once the client accepts', async () => {
  const before = Math.floor(Date.now() / 1000);
  const server = await startTestServer({ services });
  try {
    const client = await server.connect();
    assert.ok(client.offer.sid >= 1 && client.offer.sid <= 0xffff);
    assert.ok(client.offer.secs >= before && client.offer.secs <= Math.floor(Date.now() / 1000) + 1);
    assert.ok(client.offer.millis >= 0 && client.offer.millis < 1000);
    assert.deepEqual([...client.offer.crypto], [0]);
    client.send(SYSTEM.MSG_PING, {});
    assert.deepEqual(await client.next(SYSTEM.MSG_PING_RSP, 2000), {});
    const other = await server.connect();
    assert.notEqual(other.offer.sid, client.offer.sid);
    assert.equal((await server.info()).sessions, 2);
  } finally {
    await server.close();
  }
});

test('a client KeepAlive is answered with a KeepAliveRsp and the server sends its own KeepAlive every interval', async () => {
  const scheduler = new VirtualScheduler();
  const server = await startTestServer({ services, scheduler });
  try {
    const client = await server.connect();
    client.writeRaw(encodeClientKeepAlive({ sid: client.offer.sid, millis: 321, minutes: 7 }));
    assert.deepEqual(decodeClientKeepAlive(await client.nextControl(ControlOpcode.KeepAliveRsp, 2000)), { sid: client.offer.sid, millis: 321, minutes: 7 }, 'the answer echoes the client\'s fields');
    client.writeRaw(encodeFrame(true, ControlOpcode.KeepAlive, Buffer.from([1, 2])));
    assert.equal((await client.nextControl(ControlOpcode.KeepAliveRsp, 2000)).length, 0, 'a KeepAlive too short to echo gets an empty answer');
    await scheduler.advance(60_000);
    const keepAlive = decodeServerKeepAlive(await client.nextControl(ControlOpcode.KeepAlive, 2000));
    assert.equal(keepAlive.sid, 0);
    assert.ok(keepAlive.uptimeMs >= 60_000, `uptime ${keepAlive.uptimeMs}`);
    await scheduler.advance(60_000);
    await client.nextControl(ControlOpcode.KeepAlive, 2000);
    assert.equal(client.isClosed, false);
  } finally {
    await server.close();
  }
});

test('a client that never sends its SessionAccept is closed after the accept timeout', async () => {
  const scheduler = new VirtualScheduler();
  const server = await startTestServer({ services, scheduler, session: { acceptTimeoutMs: 15_000 } });
  try {
    const client = await server.connect({ handshake: 'manual' });
    await scheduler.advance(14_000);
    assert.equal(client.isClosed, false);
    await scheduler.advance(2_000);
    assert.equal((await client.closed).reason, 'remote');
    await eventually(() => (server.counters.snapshot().sessionsClosed['accept-timeout'] ?? 0) === 1, 'accept-timeout counted');
    assert.equal(logsMatching(server, 'no SessionAccept in time').length, 1);
  } finally {
    await server.close();
  }
});

test('a SessionAccept with a wrong sid closes the session', async () => {
  const server = await startTestServer({ services });
  try {
    const client = await server.connect({ handshake: 'manual' });
    client.accept({ sid: (client.offer.sid + 1) & 0xffff });
    assert.equal((await client.closed).reason, 'remote');
    assert.equal(logsMatching(server, 'wrong sid').length, 1);
  } finally {
    await server.close();
  }
});

test('an accept echoing other secs and millis is taken: only the sid is checked', async () => {
  const server = await startTestServer({ services });
  try {
    const client = await server.connect({ handshake: 'manual' });
    client.accept({ secs: 1, millis: 2 });
    client.send(SYSTEM.MSG_PING, {});
    await client.next(SYSTEM.MSG_PING_RSP, 2000);
  } finally {
    await server.close();
  }
});

test('a session silent past the idle limit is closed, and one that keeps talking is not', async () => {
  const scheduler = new VirtualScheduler();
  const server = await startTestServer({ services, scheduler, session: { idleTimeoutMs: 120_000, keepAliveIntervalMs: 0 } });
  try {
    const silent = await server.connect();
    const talker = await server.connect();
    for (let t = 0; t < 4; t++) {
      await scheduler.advance(50_000);
      talker.sendKeepAlive();
      await talker.nextControl(ControlOpcode.KeepAliveRsp, 2000);
    }
    assert.equal((await silent.closed).reason, 'remote');
    assert.equal(talker.isClosed, false);
    assert.equal(server.counters.snapshot().sessionsClosed['idle'], 1);
    talker.send(SYSTEM.MSG_PING, {});
    await talker.next(SYSTEM.MSG_PING_RSP, 2000);
  } finally {
    await server.close();
  }
});

test('frames split across writes, one byte at a time, are reassembled', async () => {
  const server = await startTestServer({ services });
  try {
    const client = await server.connect();
    const bytes = Buffer.concat([
      encodeDmlFrame(MessageRegistry.defaults(), SYSTEM.MSG_PING, {}),
      encodeDmlFrame(MessageRegistry.defaults(), EXTENDEDBASE.MSG_RAW_TEXT, { Message: 'split' }),
    ]);
    for (const byte of bytes) {
      client.writeRaw(Buffer.of(byte));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await client.next(SYSTEM.MSG_PING_RSP, 2000);
    assert.equal((await client.next(EXTENDEDBASE.MSG_RAW_TEXT, 2000)).Message.toString(), 'text:split');
  } finally {
    await server.close();
  }
});

test('garbage from one client closes that client only, naming the error code, while another keeps working', async () => {
  const server = await startTestServer({ services });
  try {
    const good = await server.connect();
    const bad = await server.connect();
    bad.writeRaw(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    assert.equal((await bad.closed).reason === 'local', false);
    const lines = logsMatching(server, 'protocol error from the client');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!['code'], 'ERR_FRAME_START');
    assert.equal(server.counters.snapshot().protocolErrors['ERR_FRAME_START'], 1);
    good.send(SYSTEM.MSG_PING, {});
    await good.next(SYSTEM.MSG_PING_RSP, 2000);
    assert.equal((await server.info()).sessions, 1);
  } finally {
    await server.close();
  }
});

test('an oversized frame header ends the session with ERR_FRAME_TOO_LARGE', async () => {
  const server = await startTestServer({ services, session: { maxFrameBytes: 1024 } });
  try {
    const client = await server.connect();
    client.writeRaw(Buffer.from([0x0d, 0xf0, 0x00, 0x80, 0x00, 0x00, 0x10, 0x00]));
    await client.closed;
    assert.equal(logsMatching(server, 'protocol error from the client')[0]!['code'], 'ERR_FRAME_TOO_LARGE');
  } finally {
    await server.close();
  }
});

test('an undecodable DML message is skipped and counted; the session goes on', async () => {
  const server = await startTestServer({ services });
  try {
    const client = await server.connect();
    // Service 99, order 99: no definition. Then a valid ping in the same frame.
    const frame = Buffer.from([0x0d, 0xf0, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00, 99, 99, 4, 0, 1, 1, 4, 0, 0]);
    client.writeRaw(frame);
    await client.next(SYSTEM.MSG_PING_RSP, 2000);
    assert.equal(server.counters.snapshot().protocolErrors['ERR_DML_UNKNOWN_MESSAGE'], 1);
    assert.equal(client.isClosed, false);
  } finally {
    await server.close();
  }
});

test('a DML length past its frame or shorter than its header closes exactly that session, logged; others keep going', async () => {
  const server = await startTestServer({ services });
  try {
    const good = await server.connect();
    const past = await server.connect();
    const short = await server.connect();
    const tail = await server.connect();
    // A ping first (handled), then a message declaring 40 bytes in a frame that holds 4.
    past.writeRaw(Buffer.from([0x0d, 0xf0, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00, 1, 1, 4, 0, 1, 1, 40, 0, 0]));
    assert.deepEqual(await past.next(SYSTEM.MSG_PING_RSP, 2000), {});
    // A declared length of 2: shorter than the 4-byte header.
    short.writeRaw(Buffer.from([0x0d, 0xf0, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 1, 1, 2, 0, 0]));
    // Three bytes after a ping cannot hold a header.
    tail.writeRaw(Buffer.from([0x0d, 0xf0, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 1, 1, 4, 0, 1, 1, 4]));
    for (const hostile of [past, short, tail]) assert.notEqual((await hostile.closed).reason, 'local');
    const lines = logsMatching(server, 'protocol error from the client');
    assert.equal(lines.length, 3);
    assert.ok(lines.every((l) => l['code'] === 'ERR_DML_HEADER' && /length|header/.test(String(l['detail']))), JSON.stringify(lines));
    assert.equal(server.counters.snapshot().protocolErrors['ERR_DML_HEADER'], 3);
    good.send(SYSTEM.MSG_PING, {});
    await good.next(SYSTEM.MSG_PING_RSP, 2000);
    assert.equal(good.isClosed, false);
    assert.equal((await server.info()).sessions, 1);
  } finally {
    await server.close();
  }
});

test('an access-level-1 message before the SessionAccept closes the session; after it, it is handled', async () => {
  const server = await startTestServer({ services });
  try {
    const validate = { UserID: 42n, PassKey3: '', MachineID: 0n, Locale: 'English', PatchClientID: '' };
    const early = await server.connect({ handshake: 'manual' });
    early.send(LOGIN.MSG_USER_VALIDATE, validate);
    await early.closed;
    assert.equal(early.stats.messagesIn, 0);
    assert.equal(logsMatching(server, 'access-level-1 message before the SessionAccept').length, 1);
    assert.equal(server.counters.snapshot().sessionsClosed['access-before-handshake'], 1);

    // Level 0 messages are answered before the accept (the patch server relies on it).
    const patchLike = await server.connect({ handshake: 'manual' });
    patchLike.send(SYSTEM.MSG_PING, {});
    await patchLike.next(SYSTEM.MSG_PING_RSP, 2000);

    const late = await server.connect();
    late.send(LOGIN.MSG_USER_VALIDATE, validate);
    assert.equal((await late.next(LOGIN.MSG_USER_VALIDATE_RSP, 2000)).UserID, 42n);
  } finally {
    await server.close();
  }
});

test('an accept and a level-1 message in one TCP segment are handled in order', async () => {
  const server = await startTestServer({ services });
  try {
    const client = await server.connect({ handshake: 'manual' });
    const registry = MessageRegistry.defaults();
    client.writeRaw(
      Buffer.concat([
        encodeSessionAccept(client.offer),
        encodeDmlFrame(registry, LOGIN.MSG_USER_VALIDATE, { UserID: 7n, PassKey3: '', MachineID: 0n, Locale: '', PatchClientID: '' }),
      ]),
    );
    assert.equal((await client.next(LOGIN.MSG_USER_VALIDATE_RSP, 2000)).UserID, 7n);
  } finally {
    await server.close();
  }
});

test('a raw connection that disconnects before the handshake frees its session id', async () => {
  const server = await startTestServer({ services, sessionIds: { min: 10, max: 10 } });
  try {
    await new Promise<void>((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port: server.port });
      socket.once('data', () => socket.destroy());
      socket.once('close', () => resolve());
      socket.once('error', reject);
    });
    await eventually(async () => (await server.info()).sessionIdsFree === 1, 'sid 10 free again');
    const client = await server.connect();
    assert.equal(client.offer.sid, 10);
  } finally {
    await server.close();
  }
});

test('a client message told to the session by any actor goes out to its client', async () => {
  const server = await startTestServer({ services });
  try {
    const client = await server.connect();
    // A round trip after the accept: the session has handled the accept by then.
    client.send(SYSTEM.MSG_PING, {});
    await client.next(SYSTEM.MSG_PING_RSP, 2000);
    const session = server.system.lookup(`${server.ref.path}/session-${client.offer.sid}`);
    assert.ok(session !== undefined, 'the session is found by its path');
    session.tell({ type: 'net.send', kind: EXTENDEDBASE.MSG_SERVERMESSAGE, data: { Modal: 1, Message: 'from outside' } });
    assert.deepEqual(await client.next(EXTENDEDBASE.MSG_SERVERMESSAGE, 2000), { Modal: 1, Message: 'from outside' });
    const info = await session.ask<{ sid: number; handshaken: boolean; services: string[] }>((replyTo) => ({ type: 'net.session-info', replyTo }), 2000);
    assert.equal(info.sid, client.offer.sid);
    assert.equal(info.handshaken, true);
    assert.deepEqual(info.services, ['ping', 'text', 'validate']);
    session.tell({ type: 'net.close', reason: 'kicked by a test' });
    assert.equal((await client.closed).reason, 'remote');
  } finally {
    await server.close();
  }
});

class GreeterService extends MessageService {
  protected override onSessionStart(): void {
    this.send(EXTENDEDBASE.MSG_SERVERMESSAGE, { Modal: 0, Message: `welcome ${this.env.sid}` });
  }
}

test('services that define onSessionStart hear of the accept, and only after it', async () => {
  const server = await startTestServer({ services: [service('greeter', GreeterService), service('ping', PingService)] });
  try {
    const client = await server.connect({ handshake: 'manual' });
    client.send(SYSTEM.MSG_PING, {});
    await client.next(SYSTEM.MSG_PING_RSP, 2000);
    assert.equal(client.queued(EXTENDEDBASE.MSG_SERVERMESSAGE), 0);
    client.accept();
    assert.equal((await client.next(EXTENDEDBASE.MSG_SERVERMESSAGE, 2000)).Message, `welcome ${client.offer.sid}`);
  } finally {
    await server.close();
  }
});
