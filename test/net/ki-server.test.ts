import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, createServer } from 'node:net';
import { EXTENDEDBASE, SYSTEM } from '../../src/protocol/index.js';
import { ActorSystem, silentLogger } from '../../src/runtime/index.js';
import { KiClient, ListenError, kiServerProps, resolveSessionOptions, service, startServer } from '../../src/net/index.js';
import { eventually, logsMatching, startTestServer } from '../kit/net-server.js';
import { PingService, TextService } from './test-services.js';

const services = [service('ping', PingService), service('text', TextService)];

test('when the session ids of the range are all taken, a new connection is refused with a log line', async () => {
  const server = await startTestServer({ services, sessionIds: { min: 100, max: 102 } });
  try {
    const clients = [await server.connect(), await server.connect(), await server.connect()];
    assert.deepEqual(clients.map((c) => c.offer.sid).sort(), [100, 101, 102]);
    await assert.rejects(KiClient.connect({ port: server.port, keepAliveMs: 0, connectTimeoutMs: 2000 }), { code: 'ERR_CLIENT_CONNECT' });
    assert.equal(logsMatching(server, 'no free session id').length, 1);
    assert.equal(server.counters.snapshot().connectionsRefused['session-ids-exhausted'], 1);
    assert.equal((await server.info()).sessionIdsFree, 0);
    // Existing sessions still work, and a freed id is handed out again.
    clients[0]!.send(SYSTEM.MSG_PING, {});
    await clients[0]!.next(SYSTEM.MSG_PING_RSP, 2000);
    const freed = clients[1]!.offer.sid;
    await clients[1]!.close();
    await eventually(async () => (await server.info()).sessionIdsFree === 1, 'one id free');
    assert.equal((await server.connect()).offer.sid, freed);
  } finally {
    await server.close();
  }
});

test('connections past the connection cap are refused and counted', async () => {
  const server = await startTestServer({ services, maxConnections: 2 });
  try {
    await server.connect();
    await server.connect();
    await assert.rejects(KiClient.connect({ port: server.port, keepAliveMs: 0, connectTimeoutMs: 2000 }), { code: 'ERR_CLIENT_CONNECT' });
    await eventually(() => server.counters.snapshot().connectionsRefused['max-connections'] === 1, 'refusal counted');
    assert.equal(logsMatching(server, 'connection cap').length, 1);
  } finally {
    await server.close();
  }
});

test('connections past the per-address cap are refused and counted, while other addresses and freed slots still connect', async () => {
  const server = await startTestServer({ services, session: { maxConnectionsPerAddress: 2 } });
  try {
    const first = await server.connect();
    await server.connect();
    await assert.rejects(KiClient.connect({ port: server.port, keepAliveMs: 0, connectTimeoutMs: 2000 }), { code: 'ERR_CLIENT_CONNECT' });
    await assert.rejects(KiClient.connect({ port: server.port, keepAliveMs: 0, connectTimeoutMs: 2000 }), { code: 'ERR_CLIENT_CONNECT' });
    await eventually(() => server.counters.snapshot().connectionsRefused['max-connections-per-address'] === 2, 'refusals counted');
    // Rate-limited: two refusals within a second make one line.
    assert.equal(logsMatching(server, 'the address is at its connection cap').length, 1);
    assert.equal((await server.info()).sessions, 2);
    // Another address has its own count (the whole of 127/8 is loopback on Linux).
    if (process.platform === 'linux') {
      const offer = await new Promise<Buffer>((resolve, reject) => {
        const socket = createConnection({ host: '127.0.0.1', port: server.port, localAddress: '127.0.0.2' });
        socket.once('data', (chunk: Buffer) => {
          socket.destroy();
          resolve(chunk);
        });
        socket.once('error', reject);
        socket.once('close', () => reject(new Error('closed without a SessionOffer')));
      });
      assert.ok(offer.length > 0);
    }
    // A slot freed by a closed session is available again.
    await first.close();
    await eventually(async () => (await server.info()).sessions === 1, 'the closed session ended');
    const again = await server.connect();
    again.send(SYSTEM.MSG_PING, {});
    await again.next(SYSTEM.MSG_PING_RSP, 2000);
    assert.equal(server.counters.snapshot().connectionsRefused['max-connections-per-address'], 2);
  } finally {
    await server.close();
  }
});

test('a negative or fractional per-address cap is refused when the server is created', () => {
  assert.throws(() => resolveSessionOptions({ maxConnectionsPerAddress: -1 }), { code: 'ERR_NET_CONFIG' });
  assert.throws(() => resolveSessionOptions({ maxConnectionsPerAddress: 1.5 }), { code: 'ERR_NET_CONFIG' });
  assert.equal(resolveSessionOptions({}).maxConnectionsPerAddress, 0);
});

test('a client that never reads is dropped at the outbound cap, counted, and server memory stays bounded', async () => {
  const capBytes = 256 * 1024;
  const server = await startTestServer({ services, session: { outboundCapBytes: capBytes } });
  try {
    const reader = await server.connect();
    const stalled = await server.connect();
    stalled.pauseReading();
    // 200 messages of 60 KB: 12 MB the server would hold for this client without the cap.
    stalled.send(EXTENDEDBASE.MSG_RAW_TEXT, { Message: 'flood:200' });
    await eventually(() => server.counters.snapshot().droppedForBackpressure === 1, 'the stalled client dropped');
    // A paused socket notices nothing; once it reads again it finds the connection reset.
    stalled.resumeReading();
    await stalled.closed;
    assert.equal(logsMatching(server, 'outbound cap reached').length, 1);
    const line = logsMatching(server, 'outbound cap reached')[0]!;
    assert.ok((line['heldBytes'] as number) <= capBytes + 61_000, `held ${String(line['heldBytes'])}`);
    // Bytes that reached the socket are bounded by the cap plus what the kernel buffers took.
    assert.ok(server.counters.snapshot().bytesOut < 12_000_000, `wrote ${server.counters.snapshot().bytesOut}`);
    assert.equal(server.counters.snapshot().sessionsClosed['backpressure'], 1);
    // A reading client gets a burst under the cap in full, burst after burst.
    for (let burst = 0; burst < 5; burst++) {
      reader.send(EXTENDEDBASE.MSG_RAW_TEXT, { Message: 'flood:3' });
      for (let i = 0; i < 3; i++) assert.equal((await reader.next(EXTENDEDBASE.MSG_RAW_TEXT, 5000)).Message.length, 60_000);
    }
    assert.equal(server.counters.snapshot().droppedForBackpressure, 1);
  } finally {
    await server.close();
  }
});

test('the server answers its session count and bound address', async () => {
  const server = await startTestServer({ services });
  try {
    const info = await server.info();
    assert.equal(info.name, 'test');
    assert.deepEqual(info.address, { host: '127.0.0.1', port: server.port });
    assert.equal(info.sessions, 0);
    await server.connect();
    assert.equal((await server.info()).sessions, 1);
  } finally {
    await server.close();
  }
});

test('startServer rejects with ListenError when the port is taken', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  const system = ActorSystem.create('listen-test', { logger: silentLogger });
  try {
    await assert.rejects(startServer(system, kiServerProps({ name: 'dup', host: '127.0.0.1', port, services }), 'dup'), (error: unknown) => {
      assert.ok(error instanceof ListenError);
      assert.match(error.message, /EADDRINUSE/);
      return true;
    });
  } finally {
    await system.terminate();
    blocker.close();
  }
});

test('a flood of refused connections is counted in full but logged at most once per second', async () => {
  const server = await startTestServer({ services, sessionIds: { min: 1, max: 1 } });
  try {
    await server.connect();
    for (let i = 0; i < 20; i++) await assert.rejects(KiClient.connect({ port: server.port, keepAliveMs: 0, connectTimeoutMs: 2000 }));
    assert.equal(server.counters.snapshot().connectionsRefused['session-ids-exhausted'], 20);
    const lines = logsMatching(server, 'no free session id');
    assert.ok(lines.length >= 1 && lines.length < 20, `${lines.length} lines`);
  } finally {
    await server.close();
  }
});
