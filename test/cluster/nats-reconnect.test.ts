import { NATS_SERVER, freePort, killProcess, natsServerAvailable, startNatsServer } from '../kit/private-nats.js';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { NatsTransport, type TransportStatus } from '../../src/cluster/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { echoProps, startNode, stopNode, uniqueName, until, waitForMember, type ClusterHarness, type TestNode } from './support.js';


describe('a NATS server that goes away and comes back', { skip: natsServerAvailable ? false : `${NATS_SERVER} not found (set IMLIGHT_NATS_SERVER_BIN)` }, () => {
  const servers: ChildProcess[] = [];
  const nodes: TestNode[] = [];
  after(async () => {
    for (const node of nodes) await stopNode(node);
    for (const server of servers) await killProcess(server);
  });

  it('keeps local actors running, reports reconnecting, and delivers held messages after the reconnect', async () => {
    const port = await freePort();
    servers.push(await startNatsServer(port));
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

    await killProcess(servers.pop()!);
    await until(() => a.node.status === 'reconnecting', 10_000, 'a reconnecting');
    local.tell({ type: 'seq', n: 1 });
    assert.deepEqual(await localProbe.expectMessage(5000), { type: 'seq', n: 1 }, 'local actors keep working');
    a.node.refOn(b.system.name, '/user/sink').tell({ type: 'seq', n: 7 });
    await until(() => a.node.stats().heldBytes > 0, 5000, 'the message held');
    assert.ok(a.logs.some((line) => /transport disconnected/.test(String(line['msg']))), 'the disconnect is logged');

    servers.push(await startNatsServer(port));
    assert.deepEqual(await probe.expectMessage(20_000), { type: 'seq', n: 7 });
    assert.equal(a.node.status, 'connected');
    assert.deepEqual(statuses, ['reconnecting', 'connected']);
    assert.equal(a.node.stats().heldBytes, 0);
    assert.equal(a.node.memberStatus(b.system.name), 'up');
  });
});
