import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import {
  ControlOpcode,
  EXTENDEDBASE,
  FrameReader,
  MessageRegistry,
  SYSTEM,
  decodeClientKeepAlive,
  decodeDml,
  decodeSessionAccept,
  encodeDmlFrame,
  encodeServerKeepAlive,
  encodeSessionOffer,
  type Frame,
} from '../../src/protocol/index.js';
import { KiClient } from '../../src/net/index.js';

const registry = MessageRegistry.defaults();

/** A hand-written KiNP peer (not our server): records every frame it receives. */
async function bareServer(onConnect: (socket: Socket, frames: Frame[]) => void): Promise<{ server: Server; port: number; frames: Frame[] }> {
  const frames: Frame[] = [];
  const server = createServer((socket) => {
    const reader = new FrameReader();
    socket.on('data', (chunk) => frames.push(...reader.push(chunk).map((f) => ({ ...f, payload: Buffer.from(f.payload) }))));
    socket.on('error', () => {});
    onConnect(socket, frames);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, frames };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('the client echoes the offer in its SessionAccept and exposes the offer values', async () => {
  const { server, port, frames } = await bareServer((socket) => socket.write(encodeSessionOffer({ sid: 4242, secs: 1_700_000_000, millis: 321 })));
  try {
    const client = await KiClient.connect({ port, keepAliveMs: 0 });
    assert.equal(client.offer.sid, 4242);
    assert.equal(client.offer.secs, 1_700_000_000);
    assert.equal(client.offer.millis, 321);
    await until(() => frames.length === 1, 'the accept');
    assert.equal(frames[0]!.isControl, true);
    assert.equal(frames[0]!.opcode, ControlOpcode.SessionAccept);
    assert.deepEqual(decodeSessionAccept(frames[0]!.payload), { sid: 4242, secs: 1_700_000_000, millis: 321 });
    await client.close();
  } finally {
    server.close();
  }
});

test('the client answers a server KeepAlive and sends its own every keepAliveMs', async () => {
  const { server, port, frames } = await bareServer((socket) => {
    socket.write(encodeSessionOffer({ sid: 9, secs: 0, millis: 0 }));
    socket.write(encodeServerKeepAlive({ uptimeMs: 1234 }));
  });
  try {
    const client = await KiClient.connect({ port, keepAliveMs: 20 });
    await until(() => frames.some((f) => f.opcode === ControlOpcode.KeepAliveRsp), 'a KeepAliveRsp');
    await until(() => frames.filter((f) => f.opcode === ControlOpcode.KeepAlive).length >= 2, 'two client KeepAlives');
    const keepAlive = decodeClientKeepAlive(frames.find((f) => f.opcode === ControlOpcode.KeepAlive)!.payload);
    assert.equal(keepAlive.sid, 9);
    assert.ok(keepAlive.millis < 1000);
    assert.equal((await client.nextControl(ControlOpcode.KeepAlive, 1000)).readUInt32LE(2), 1234);
    await client.close();
  } finally {
    server.close();
  }
});

test('messages arriving with the offer, and messages of other kinds, are queued per kind and none is lost', async () => {
  const { server, port, frames } = await bareServer((socket) => {
    socket.write(
      Buffer.concat([
        encodeSessionOffer({ sid: 1, secs: 0, millis: 0 }),
        encodeDmlFrame(registry, EXTENDEDBASE.MSG_RAW_TEXT, { Message: 'one' }),
        encodeDmlFrame(registry, SYSTEM.MSG_PING_RSP, {}),
        encodeDmlFrame(registry, EXTENDEDBASE.MSG_RAW_TEXT, { Message: 'two' }),
      ]),
    );
  });
  try {
    const client = await KiClient.connect({ port, keepAliveMs: 0 });
    await client.next(SYSTEM.MSG_PING_RSP, 1000);
    assert.equal(client.queued(EXTENDEDBASE.MSG_RAW_TEXT), 2);
    assert.equal((await client.next(EXTENDEDBASE.MSG_RAW_TEXT, 1000)).Message.toString(), 'one');
    assert.equal((await client.next(EXTENDEDBASE.MSG_RAW_TEXT, 1000)).Message.toString(), 'two');
    client.send(SYSTEM.MSG_PING, {});
    await until(() => frames.length === 2, 'the ping');
    const sent = decodeDml(registry, frames[1]!.payload);
    assert.equal(sent[0]!.ok && sent[0]!.record.name, 'MSG_PING');
    await client.close();
  } finally {
    server.close();
  }
});

test('past the per-kind cap the oldest queued message is dropped and counted', async () => {
  const { server, port } = await bareServer((socket) => {
    const texts = ['a', 'b', 'c', 'd'].map((t) => encodeDmlFrame(registry, EXTENDEDBASE.MSG_RAW_TEXT, { Message: t }));
    socket.write(Buffer.concat([encodeSessionOffer({ sid: 1, secs: 0, millis: 0 }), ...texts, encodeDmlFrame(registry, SYSTEM.MSG_PING_RSP, {})]));
  });
  try {
    const client = await KiClient.connect({ port, keepAliveMs: 0, queueCap: 3 });
    await client.next(SYSTEM.MSG_PING_RSP, 1000);
    assert.equal(client.stats.dropped, 1);
    assert.equal((await client.next(EXTENDEDBASE.MSG_RAW_TEXT, 1000)).Message.toString(), 'b');
    await client.close();
  } finally {
    server.close();
  }
});

test('next() rejects with ERR_CLIENT_TIMEOUT, and with ERR_CLIENT_CLOSED when the server closes', async () => {
  let peer: Socket | undefined;
  const { server, port } = await bareServer((socket) => {
    peer = socket;
    socket.write(encodeSessionOffer({ sid: 1, secs: 0, millis: 0 }));
  });
  try {
    const client = await KiClient.connect({ port, keepAliveMs: 0 });
    await assert.rejects(client.next(SYSTEM.MSG_PING_RSP, 20), { code: 'ERR_CLIENT_TIMEOUT', message: 'no SYSTEM.MSG_PING_RSP within 20 ms' });
    const waiting = client.next(SYSTEM.MSG_PING_RSP, 5000);
    peer!.end();
    await assert.rejects(waiting, { code: 'ERR_CLIENT_CLOSED' });
    assert.equal((await client.closed).reason, 'remote');
    assert.throws(() => client.send(SYSTEM.MSG_PING, {}), { code: 'ERR_CLIENT_CLOSED' });
  } finally {
    server.close();
  }
});

test('connect rejects when the first frame is not a SessionOffer', async () => {
  const { server, port } = await bareServer((socket) => socket.write(encodeServerKeepAlive({ uptimeMs: 1 })));
  try {
    await assert.rejects(KiClient.connect({ port, keepAliveMs: 0 }), { code: 'ERR_CLIENT_CONNECT', message: /not a SessionOffer/ });
  } finally {
    server.close();
  }
});
