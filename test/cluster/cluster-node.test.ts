import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterConfigError, ClusterNode, InProcessBus, InvalidRemotePathError, type MemberEvent } from '../../src/cluster/index.js';
import { ActorSystem, silentLogger } from '../../src/runtime/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { echoProps, inProcessHarness, startNode, stopNode, testMessages, uniqueName, until, waitForMember } from './support.js';

describe('cluster node', () => {
  it('refuses a node name that is not a subject token and bounds that cannot work', async () => {
    const bus = new InProcessBus();
    const start = (name: string, options: object = {}) =>
      ClusterNode.start(ActorSystem.create(name, { logger: silentLogger }), { transport: bus.connect(), messages: testMessages(), ...options });
    await assert.rejects(start('with.dot'), ClusterConfigError);
    await assert.rejects(start('ok', { heartbeatIntervalMs: 1000, downAfterMs: 500 }), ClusterConfigError);
    await assert.rejects(start('ok2', { cluster: 'a b' }), ClusterConfigError);
    await assert.rejects(start('ok3', { heartbeatIntervalMs: -1 }), ClusterConfigError);
  });

  it('refuses to join the same actor system twice', async () => {
    const bus = new InProcessBus();
    const system = ActorSystem.create('twice', { logger: silentLogger });
    const node = await ClusterNode.start(system, { transport: bus.connect(), messages: testMessages() });
    await assert.rejects(ClusterNode.start(system, { transport: bus.connect(), messages: testMessages() }), ClusterConfigError);
    await node.stop();
  });

  it('gives local refs for its own paths and throws on a path that is not an actor path', async () => {
    const harness = inProcessHarness();
    const n = await startNode(harness, 'self', uniqueName('c'));
    try {
      const echo = n.system.spawn(echoProps(), 'echo');
      assert.equal(n.node.ref('imlight://self/user/echo'), echo);
      assert.throws(() => n.node.ref('http://x/user/y'), InvalidRemotePathError);
      const missing = n.node.ref('imlight://self/user/missing');
      const before = n.system.deadLetterCount;
      missing.tell({ type: 'ignore' });
      assert.equal(n.system.deadLetterCount, before + 1);
    } finally {
      await stopNode(n);
    }
  });

  it('sees a restart under the same node name as the old node down and the new one up, firing old watches', async () => {
    const harness = inProcessHarness();
    const cluster = uniqueName('c');
    const a = await startNode(harness, 'a', cluster, { downAfterMs: 60_000 });
    const first = await startNode(harness, 'phoenix', cluster);
    await waitForMember(a.node, 'phoenix', 'member-up');
    first.system.spawn(echoProps(), 'echo');
    const remote = a.node.refOn('phoenix', '/user/echo');
    const probe = new TestProbe(a.system);
    probe.watch(remote);
    await remote.ask(() => ({ type: 'echo', payload: 0 }), 10_000);
    const events: MemberEvent[] = [];
    a.node.onMembership((event) => events.push(event));
    harness.crash(first.transport);
    const second = await startNode(harness, 'phoenix', cluster);
    try {
      await probe.expectTerminated(remote, 10_000);
      await waitForMember(a.node, 'phoenix', 'member-up');
      assert.deepEqual(events.map((e) => e.type), ['member-down', 'member-up']);
      assert.equal((events[0] as Extract<MemberEvent, { type: 'member-down' }>).reason, 'restarted');
      assert.equal(events[1]!.incarnation, second.node.incarnation);
    } finally {
      await stopNode(second);
      await stopNode(first);
      await stopNode(a);
    }
  });

  it('logs when another process joins under its node name', async () => {
    const harness = inProcessHarness();
    const cluster = uniqueName('c');
    const first = await startNode(harness, 'twin', cluster);
    const second = await startNode(harness, 'twin', cluster);
    try {
      const duplicate = (line: Record<string, unknown>): boolean => /another process uses the node name twin/.test(String(line['msg']));
      await until(() => first.logs.some(duplicate) && second.logs.some(duplicate), 5000, 'the duplicate name logged by both');
      assert.equal(first.node.memberStatus('twin'), 'up');
      assert.deepEqual(first.node.members(), []);
    } finally {
      await stopNode(second);
      await stopNode(first);
    }
  });

  it('releases the watches a down node held on local actors', async () => {
    const harness = inProcessHarness();
    const cluster = uniqueName('c');
    const a = await startNode(harness, 'a', cluster);
    const c = await startNode(harness, 'c', cluster);
    try {
      await waitForMember(a.node, 'c', 'member-up');
      a.system.spawn(echoProps(), 'watched');
      const remoteFromC = c.node.refOn('a', '/user/watched');
      const probe = new TestProbe(c.system);
      probe.watch(remoteFromC);
      await remoteFromC.ask(() => ({ type: 'echo', payload: 0 }), 10_000);
      harness.crash(c.transport);
      await waitForMember(a.node, 'c', 'member-down');
      // c comes back (a healed network cut): the watch it held was released when it went down, so stopping the
      // actor now sends c nothing.
      harness.restore!(c.transport);
      await waitForMember(a.node, 'c', 'member-up');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const sentBefore = a.node.stats().batchesSent;
      a.system.lookup('imlight://a/user/watched')!.sendSystem({ type: 'stop' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(a.node.stats().batchesSent, sentBefore);
    } finally {
      await stopNode(c);
      await stopNode(a);
    }
  });
});
