import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import { NetCounters, SessionIds, SocketWriter } from '../../src/net/index.js';

async function socketPair(): Promise<{ a: Socket; b: Socket; close(): void }> {
  let accepted!: (socket: Socket) => void;
  const gotB = new Promise<Socket>((resolve) => (accepted = resolve));
  const server = createServer((socket) => accepted(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = connect((server.address() as { port: number }).port, '127.0.0.1');
  await new Promise((resolve) => a.once('connect', resolve));
  const b = await gotB;
  return {
    a,
    b,
    close() {
      a.destroy();
      b.destroy();
      server.close();
    },
  };
}

test('frames written in one turn arrive in order, coalesced into one flush', async () => {
  const { a, b, close } = await socketPair();
  try {
    const writes: number[] = [];
    const original = a.write.bind(a);
    // A batch is written as cork, one write per frame, uncork: the uncork count is the flush count.
    let flushes = 0;
    const uncork = a.uncork.bind(a);
    a.uncork = () => {
      flushes++;
      uncork();
    };
    a.write = ((chunk: Buffer, ...rest: never[]) => {
      writes.push(chunk.length);
      return original(chunk, ...rest);
    }) as typeof a.write;
    const writer = new SocketWriter(a, { capBytes: 1 << 20, flushBytes: 1 << 16 });
    for (let i = 0; i < 100; i++) assert.equal(writer.write(Buffer.from([i])), true);
    assert.equal(writes.length, 0, 'nothing written before the turn ends');
    await Promise.resolve();
    assert.equal(writes.length, 0, 'nor at the end of the microtask: the frames of one turn go out together');
    const received: number[] = [];
    b.on('data', (chunk: Buffer) => received.push(...chunk));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(flushes, 1);
    assert.deepEqual(received, Array.from({ length: 100 }, (_, i) => i));
  } finally {
    close();
  }
});

test('when the peer stops reading the writer waits for drain, and refuses past its byte cap', async () => {
  const { a, b, close } = await socketPair();
  try {
    b.pause();
    const counters = new NetCounters();
    const writer = new SocketWriter(a, { capBytes: 4 << 20, flushBytes: 1 << 16, metrics: counters });
    const block = Buffer.alloc(64 << 10, 7);
    let accepted = 0;
    while (writer.write(block)) {
      accepted++;
      await new Promise((resolve) => setImmediate(resolve));
      if (accepted > 1000) assert.fail('the writer never refused');
    }
    assert.equal(writer.waitingForDrain, true);
    assert.ok(writer.heldBytes <= 4 << 20, `held ${writer.heldBytes}`);
    assert.ok(writer.heldBytes + block.length > 4 << 20);
    // Once the peer reads, everything accepted arrives.
    let received = 0;
    b.on('data', (chunk: Buffer) => (received += chunk.length));
    b.resume();
    const deadline = Date.now() + 5000;
    while (received < accepted * block.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(received, accepted * block.length);
    assert.equal(counters.snapshot().bytesOut, accepted * block.length);
    assert.equal(writer.waitingForDrain, false);
  } finally {
    close();
  }
});

test('session ids are handed out round robin, reused only after the rest of the range, and exhausted cleanly', () => {
  const ids = new SessionIds({ min: 5, max: 7 });
  assert.deepEqual([ids.allocate(), ids.allocate(), ids.allocate()], [5, 6, 7]);
  assert.equal(ids.allocate(), undefined);
  ids.release(6);
  ids.release(6);
  ids.release(99);
  assert.equal(ids.inUse, 2);
  assert.equal(ids.allocate(), 6);
  ids.release(5);
  ids.release(7);
  assert.equal(ids.allocate(), 7);
  assert.equal(ids.allocate(), 5);
  assert.throws(() => new SessionIds({ min: 10, max: 5 }), { code: 'ERR_NET_CONFIG' });
  assert.throws(() => new SessionIds({ min: 0, max: 70_000 }), { code: 'ERR_NET_CONFIG' });
});
