// The composition root in cluster mode: with cluster.natsUrl the process's actor system is named after the node
// (made NATS-safe), joins over NATS, shows the link in the imlight_cluster_connected gauge, and leaves on stop;
// without it nothing of the cluster runs.
import { NATS_SERVER, freePort, killProcess, natsServerAvailable, startNatsServer } from '../kit/private-nats.js';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/cli/logging.js';
import { startImlight } from '../../src/cli/start.js';
import { ClusterNode, NatsTransport } from '../../src/cluster/index.js';
import { loadConfig } from '../../src/config/index.js';
import { ActorSystem, silentLogger } from '../../src/runtime/index.js';
import { clusterMessageTypes } from '../../src/servers/shared/cluster-messages.js';
import type { NodeIdentity } from '../../src/servers/shared/cluster-messages.js';
import { NATS_URL, probeTcp, until, waitForMember } from '../cluster/support.js';


async function natsSkip(): Promise<string | false> {
  const unreachable = await probeTcp(NATS_URL);
  return unreachable === undefined || process.env['CI'] === 'true' ? false : `NATS not reachable at ${NATS_URL}: ${unreachable}`;
}

async function patchRole(t: { after(fn: () => void): void }, env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), 'imlight-cluster-start-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const { config } = loadConfig({ cwd, env: { IMLIGHT_ADMIN_ENABLED: 'false', IMLIGHT_METRICS_DEFAULT_METRICS: 'false', ...env } });
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } });
  const logRoot = await createLogger(config.log, { stream });
  const lines = () => chunks.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  // No servers: the cluster wiring alone is under test.
  const handle = await startImlight(config, { role: 'patch', parts: [], logRoot });
  return { handle, lines };
}

describe('cluster mode of the composition root', async () => {
  const skip = await natsSkip();

  it('joins over NATS under the node name, answers identify, sets the gauge and leaves on stop', { skip }, async (t) => {
    const run = randomBytes(4).toString('hex');
    const { handle, lines } = await patchRole(t, { IMLIGHT_NATS_URL: NATS_URL, IMLIGHT_CLUSTER_NODE_NAME: `patch.host-${run}`, IMLIGHT_CLUSTER_HEARTBEAT_INTERVAL: '200ms' });
    const nodeName = `patch-host-${run}`;
    const probe = ActorSystem.create(`probe-${run}`, { logger: silentLogger });
    const transport = await NatsTransport.connect({ servers: NATS_URL });
    const node = await ClusterNode.start(probe, { transport, messages: clusterMessageTypes(), heartbeatIntervalMs: 200, downAfterMs: 5000 });
    try {
      assert.equal(handle.system.name, nodeName, 'the system is named after the node, dots replaced');
      assert.match((await handle.metrics.render()).body, /^imlight_cluster_connected\{node="[^"]+"\} 1$/m);
      await waitForMember(node, nodeName, 'member-up');
      const identity = await node.refOn(nodeName, '/user/cluster').ask<NodeIdentity>((replyTo) => ({ type: 'cluster.identify', replyTo }), 5000);
      assert.deepEqual(identity, { type: 'cluster.identity', node: nodeName, role: 'patch', hosts: [], databaseSchema: null });

      // A clean stop says goodbye: the other node sees it leave at once, well before the 5 s bound.
      const leaving = waitForMember(node, nodeName, 'member-down', 4000);
      await handle.stop('test');
      const down = await leaving;
      assert.equal(down.type === 'member-down' && down.reason, 'left');
      const messages = lines().map((l) => l['msg']);
      assert.ok(messages.includes('cluster mode: joined over NATS') && messages.includes('left the cluster'), messages.join(' | '));
    } finally {
      await handle.stop('test');
      await probe.terminate();
      await node.stop();
    }
  });

  it('says in its log and its gauge when NATS goes away and when it is back', { skip: natsServerAvailable ? false : `${NATS_SERVER} not found (set IMLIGHT_NATS_SERVER_BIN)` }, async (t) => {
    const port = await freePort();
    let server = await startNatsServer(port);
    t.after(() => killProcess(server));
    const { handle, lines } = await patchRole(t, { IMLIGHT_NATS_URL: `nats://127.0.0.1:${port}`, IMLIGHT_CLUSTER_NODE_NAME: `patch-${randomBytes(4).toString('hex')}` });
    const gauge = async (): Promise<string | undefined> => /^imlight_cluster_connected\{[^}]*\} (\d)$/m.exec((await handle.metrics.render()).body)?.[1];
    try {
      assert.equal(await gauge(), '1');
      await killProcess(server);
      await until(() => lines().some((l) => typeof l['msg'] === 'string' && (l['msg'] as string).startsWith('transport disconnected')), 15_000, 'the disconnect warning');
      assert.equal(await gauge(), '0');
      // The process is still up: its actor system runs while NATS is away.
      assert.ok(handle.system.lookup('/user/cluster') !== undefined);
      server = await startNatsServer(port);
      await until(() => lines().some((l) => typeof l['msg'] === 'string' && (l['msg'] as string).startsWith('transport reconnected')), 20_000, 'the reconnect line');
      assert.equal(await gauge(), '1');
    } finally {
      await handle.stop('test');
    }
  });

  it('runs no cluster without a NATS URL', async (t) => {
    const { handle, lines } = await patchRole(t, {});
    try {
      assert.equal(handle.system.name, 'imlight');
      assert.equal(handle.system.lookup('/user/cluster'), undefined);
      assert.match((await handle.metrics.render()).body, /^imlight_cluster_connected 0$/m);
    } finally {
      await handle.stop('test');
    }
    assert.ok(!lines().some((l) => l['component'] === 'cluster'));
  });
});
