import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { NatsTransport, type TransportStatus } from '../../src/cluster/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { echoProps, probeTcp, startNode, stopNode, uniqueName, until, waitForMember, type ClusterHarness, type TestNode } from './support.js';

// A private NATS server this test can kill and restart: the shared one at 4222 must stay up for everyone else.
const NATS_SERVER = process.env['IMLIGHT_NATS_SERVER_BIN'] ?? 'nats-server';
const available = spawnSync(NATS_SERVER, ['--version'], { encoding: 'utf8' }).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `nats://127.0.0.1:${port}`;
  const started = Date.now();
  while ((await probeTcp(url)) !== undefined) {
    if (Date.now() - started > 10_000 || child.exitCode !== null) throw new Error(`nats-server did not start on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('a NATS server that goes away and comes back', { skip: available ? false : `${NATS_SERVER} not found (set IMLIGHT_NATS_SERVER_BIN)` }, () => {
  const servers: ChildProcess[] = [];
  const nodes: TestNode[] = [];
  after(async () => {
    for (const node of nodes) await stopNode(node);
    for (const server of servers) await kill(server);
  });

  it('keeps local actors running, reports reconnecting, and delivers held messages after the reconnect', async () => {
    const port = await freePort();
    servers.push(await startServer(port));
    const url = `nats://127.0.0.1:${port}`;
    const harness: ClusterHarness = {
      name: 'private NATS',
      skip: false,
      transport: () => NatsTransport.connect({ servers: url, reconnectTimeWaitMs: 100 }),
      crash: (transport) => void transport.close(),
    };
    const cluster = uniqueName('re');
    const a = await startNode(harness, uniqueName('a'), cluster, { downAfterMs: 20_000 });
    nodes.push(a);
    const b = await startNode(harness, uniqueName('b'), cluster, { downAfterMs: 20_000 });
    nodes.push(b);
    await Promise.all([waitForMember(a.node, b.system.name, 'member-up'), waitForMember(b.node, a.system.name, 'member-up')]);
    const probe = new TestProbe(b.system);
    b.system.spawn(echoProps(probe.ref), 'sink');
    const localProbe = new TestProbe(a.system);
    const local = a.system.spawn(echoProps(localProbe.ref), 'local');
    const statuses: TransportStatus[] = [];
    a.node.onStatus((status) => statuses.push(status));

    await kill(servers.pop()!);
    await until(() => a.node.status === 'reconnecting', 10_000, 'a reconnecting');
    local.tell({ type: 'seq', n: 1 });
    assert.deepEqual(await localProbe.expectMessage(5000), { type: 'seq', n: 1 }, 'local actors keep working');
    a.node.refOn(b.system.name, '/user/sink').tell({ type: 'seq', n: 7 });
    await until(() => a.node.stats().heldBytes > 0, 5000, 'the message held');
    assert.ok(a.logs.some((line) => /transport disconnected/.test(String(line['msg']))), 'the disconnect is logged');

    servers.push(await startServer(port));
    assert.deepEqual(await probe.expectMessage(20_000), { type: 'seq', n: 7 });
    assert.equal(a.node.status, 'connected');
    assert.deepEqual(statuses, ['reconnecting', 'connected']);
    assert.equal(a.node.stats().heldBytes, 0);
    assert.equal(a.node.memberStatus(b.system.name), 'up');
  });
});
