import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Subjects, type MemberEvent } from '../../src/cluster/index.js';
import { AskTimeoutError, DeadLetterError, stopGracefully, type ActorRef } from '../../src/runtime/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import {
  echoProps,
  startNode,
  stopNode,
  testMessages,
  uniqueName,
  until,
  waitForMember,
  type ClusterHarness,
  type TestNode,
} from './support.js';

// One suite, every transport: the in-process bus and NATS must behave the same for the cluster layer.
export function defineClusterContract(harness: ClusterHarness): void {
  describe(`cluster over ${harness.name}`, { skip: harness.skip }, () => {
    let cluster: string;
    let a: TestNode;
    let b: TestNode;

    before(async () => {
      cluster = uniqueName('t');
      a = await startNode(harness, uniqueName('a'), cluster);
      b = await startNode(harness, uniqueName('b'), cluster);
      await Promise.all([waitForMember(a.node, b.system.name, 'member-up'), waitForMember(b.node, a.system.name, 'member-up')]);
    });

    after(async () => {
      await Promise.all([a, b].filter((n) => n !== undefined).map((n) => stopNode(n)));
    });

    it('delivers a tell to an actor on the other node, with a sender the receiver can answer', async () => {
      const name = uniqueName('echo');
      b.system.spawn(echoProps(), name);
      const probe = new TestProbe(a.system);
      const remote = a.node.refOn(b.system.name, `/user/${name}`);
      assert.equal(remote.path, `imlight://${b.system.name}/user/${name}`);
      remote.tell({ type: 'echo', payload: 'hi' }, probe.ref);
      assert.deepEqual(await probe.expectMessage(10_000), { type: 'echoed', payload: 'hi' });
      assert.equal(probe.lastSender?.path, remote.path, 'the reply comes from the remote actor, by path');
    });

    it('resolves another node\'s path through system.lookup', () => {
      const ref = a.system.lookup(`imlight://${b.system.name}/user/anything`);
      assert.equal(ref?.path, `imlight://${b.system.name}/user/anything`);
    });

    it('answers an ask whose reply slot travels inside the message and as the sender', async () => {
      const name = uniqueName('echo');
      b.system.spawn(echoProps(), name);
      const remote = a.node.refOn(b.system.name, `/user/${name}`);
      const viaField = await remote.ask<{ payload: unknown }>((replyTo) => ({ type: 'echo', payload: 1, replyTo }), 10_000);
      const viaSender = await remote.ask<{ payload: unknown }>(() => ({ type: 'echo', payload: 2 }), 10_000);
      assert.deepEqual([viaField.payload, viaSender.payload], [1, 2]);
    });

    it('fails an ask to a remote path with no actor with DeadLetterError, not a timeout', async () => {
      const path = `imlight://${b.system.name}/user/${uniqueName('nobody')}`;
      const error = await a.node.ref(path).ask(() => ({ type: 'echo', payload: 0 }), 30_000).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof DeadLetterError, `expected DeadLetterError, got ${String(error)}`);
      assert.equal(error.code, 'ERR_ASK_DEAD_LETTER');
      assert.equal(error.targetPath, path);
    });

    it('fails an ask to a remote actor that stopped with DeadLetterError', async () => {
      const name = uniqueName('short');
      const target = b.system.spawn(echoProps(), name);
      const remote = a.node.refOn(b.system.name, `/user/${name}`);
      const probe = new TestProbe(a.system);
      await probe.expectTerminated((target.tell({ type: 'stop-now' }), remote), 10_000);
      await assert.rejects(remote.ask(() => ({ type: 'echo', payload: 0 }), 30_000), DeadLetterError);
    });

    it('fails an ask queued behind the remote actor\'s own stop with DeadLetterError', async () => {
      const name = uniqueName('quitter');
      b.system.spawn(echoProps(), name);
      const remote = a.node.refOn(b.system.name, `/user/${name}`);
      remote.tell({ type: 'stop-now' });
      await assert.rejects(remote.ask(() => ({ type: 'echo', payload: 0 }), 30_000), DeadLetterError);
    });

    it('times out an unanswered remote ask with AskTimeoutError naming the path', async () => {
      const name = uniqueName('mute');
      b.system.spawn(echoProps(), name);
      const remote = a.node.refOn(b.system.name, `/user/${name}`);
      const error = await remote.ask(() => ({ type: 'ignore' }), 200).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof AskTimeoutError, `expected AskTimeoutError, got ${String(error)}`);
      assert.equal(error.targetPath, remote.path);
      assert.ok(error.elapsedMs > 0 && error.message.includes(remote.path));
    });

    it('keeps one sender\'s order across many batches', async () => {
      const probe = new TestProbe(b.system);
      const name = uniqueName('seq');
      b.system.spawn(echoProps(probe.ref), name);
      const remote = a.node.refOn(b.system.name, `/user/${name}`);
      const count = 5000;
      for (let n = 0; n < count; n++) remote.tell({ type: 'seq', n });
      const seen: number[] = [];
      for (let i = 0; i < count; i++) seen.push((await probe.expectMessage<{ n: number }>(10_000)).n);
      assert.deepEqual(seen, Array.from({ length: count }, (_, n) => n));
      assert.ok(a.node.stats().batchesSent < count, 'messages were batched');
    });

    it('carries refs, bigints, buffers, dates and nested data inside messages', async () => {
      const probe = new TestProbe(b.system);
      const name = uniqueName('data');
      b.system.spawn(echoProps(probe.ref), name);
      const remote = a.node.refOn(b.system.name, `/user/${name}`);
      const back = new TestProbe(a.system);
      const value = { gid: 0x1234_5678_9abc_def0n, negative: -5n, bytes: Buffer.from([1, 2, 3]), when: new Date(1_700_000_000_000), list: [1, 'two', null, { deep: true }], who: back.ref };
      remote.tell({ type: 'data', value });
      const got = await probe.expectMessage<{ value: typeof value }>(10_000);
      assert.equal(got.value.gid, value.gid);
      assert.equal(got.value.negative, -5n);
      assert.ok(Buffer.isBuffer(got.value.bytes));
      assert.deepEqual([...got.value.bytes], [1, 2, 3]);
      assert.equal(got.value.when.getTime(), value.when.getTime());
      assert.deepEqual(got.value.list, value.list);
      assert.equal(got.value.who.path, back.ref.path);
      got.value.who.tell({ type: 'hello' });
      assert.deepEqual(await back.expectMessage(10_000), { type: 'hello' });
    });

    it('revives a ref sent to the other node as a ref that reaches back here', async () => {
      const name = uniqueName('intro');
      b.system.spawn(echoProps(), name);
      const probe = new TestProbe(a.system);
      a.node.refOn(b.system.name, `/user/${name}`).tell({ type: 'introduce', ref: probe.ref });
      const hello = await probe.expectMessage<{ from: ActorRef }>(10_000);
      assert.equal(hello.from.path, `imlight://${b.system.name}/user/${name}`);
    });

    it('drops unregistered and malformed input, logs it, and keeps serving', async () => {
      const probe = new TestProbe(b.system);
      const name = uniqueName('guard');
      b.system.spawn(echoProps(probe.ref), name);
      const target = `imlight://${b.system.name}/user/${name}`;
      // A node whose registry allows a type b does not know, plus raw garbage straight onto b's subject.
      const rogue = await startNode(harness, uniqueName('rogue'), cluster, { messages: testMessages(['forbidden']) });
      try {
        const droppedBefore = b.node.stats().droppedInbound;
        rogue.node.ref(target).tell({ type: 'forbidden' });
        rogue.node.ref(target).tell({ type: 'seq', n: 1 });
        const raw = await harness.transport();
        raw.publish(Subjects.node(cluster, b.system.name), Uint8Array.from([0xc1, 0xff, 0x00, 0x13]));
        raw.publish(Subjects.node(cluster, b.system.name), new Uint8Array(0));
        await raw.flush();
        await raw.close();
        rogue.node.ref(target).tell({ type: 'seq', n: 2 });
        assert.deepEqual(await probe.expectMessage(10_000), { type: 'seq', n: 1 });
        assert.deepEqual(await probe.expectMessage(10_000), { type: 'seq', n: 2 });
        await until(() => b.node.stats().droppedInbound >= droppedBefore + 3, 10_000, 'three drops counted');
        assert.ok(b.logs.some((line) => typeof line['msg'] === 'string' && /dropped/.test(line['msg'] as string)), 'the drop is logged');
        // An unregistered type never leaves the sender: it is a dead letter there.
        const dead = a.system.deadLetterCount;
        a.node.ref(target).tell({ type: 'forbidden' });
        assert.equal(a.system.deadLetterCount, dead + 1);
      } finally {
        await stopNode(rogue);
      }
    });

    it('sends Terminated to a remote watcher when the watched actor stops', async () => {
      const name = uniqueName('watched');
      const target = b.system.spawn(echoProps(), name);
      const remote = a.node.refOn(b.system.name, `/user/${name}`);
      const probe = new TestProbe(a.system);
      probe.watch(remote);
      // The watch must reach b before the stop: an echo round trip orders it (same link, same order).
      await remote.ask(() => ({ type: 'echo', payload: 0 }), 10_000);
      stopGracefully(target);
      await probe.expectTerminated(remote, 10_000);
    });

    it('stops a remote actor with stopGracefully after what was sent before, and honours unwatch', async () => {
      const probe = new TestProbe(b.system);
      const name = uniqueName('pill');
      b.system.spawn(echoProps(probe.ref), name);
      const remote = a.node.refOn(b.system.name, `/user/${name}`);
      const terminated: string[] = [];
      const watcherRef = (label: string): ActorRef => {
        const ref: ActorRef = {
          path: `${a.system.address}/temp/${uniqueName(label)}`,
          tell: () => {},
          ask: (build, timeoutMs) => a.system.ask(ref, build, timeoutMs),
          sendSystem: (message) => {
            if (message.type === 'terminated') terminated.push(`${label}:${message.ref.path}`);
          },
        };
        return ref;
      };
      const stays = watcherRef('stays');
      const leaves = watcherRef('leaves');
      remote.sendSystem({ type: 'watch', watcher: stays });
      remote.sendSystem({ type: 'watch', watcher: leaves });
      remote.sendSystem({ type: 'unwatch', watcher: leaves });
      remote.tell({ type: 'seq', n: 1 });
      stopGracefully(remote);
      assert.deepEqual(await probe.expectMessage(10_000), { type: 'seq', n: 1 });
      // Both Terminated frames would leave b in one batch: once one is here, the other would be too.
      await until(() => terminated.length > 0, 10_000, 'Terminated of the stopped actor');
      assert.deepEqual(terminated, [`stays:${remote.path}`]);
      assert.equal(b.system.lookup(remote.path), undefined);
    });

    it('sends Terminated at once for a watch on a remote path with no actor', async () => {
      const probe = new TestProbe(a.system);
      await probe.expectTerminated(a.node.refOn(b.system.name, `/user/${uniqueName('ghost')}`), 10_000);
    });

    it('fires remote watches and reports member-down when a node goes silent past the bound', async () => {
      const c = await startNode(harness, uniqueName('c'), cluster);
      await waitForMember(a.node, c.system.name, 'member-up');
      const name = uniqueName('doomed');
      c.system.spawn(echoProps(), name);
      const remote = a.node.refOn(c.system.name, `/user/${name}`);
      const probe = new TestProbe(a.system);
      probe.watch(remote);
      await remote.ask(() => ({ type: 'echo', payload: 0 }), 10_000);
      const down = waitForMember(a.node, c.system.name, 'member-down');
      harness.crash(c.transport);
      await probe.expectTerminated(remote, 15_000);
      assert.equal(((await down) as Extract<MemberEvent, { type: 'member-down' }>).reason, 'silent');
      assert.equal(a.node.memberStatus(c.system.name), 'down');
      const seen = a.events.filter((e) => e.node === c.system.name).map((e) => e.type);
      assert.deepEqual(seen.slice(-2), ['member-unreachable', 'member-down']);
      // Messages for a node that is down are dead letters at once: an ask fails fast.
      await assert.rejects(remote.ask(() => ({ type: 'echo', payload: 0 }), 30_000), DeadLetterError);
      await stopNode(c);
    });

    it('fires remote watches at once when a node leaves cleanly', async () => {
      const c = await startNode(harness, uniqueName('c'), cluster);
      await waitForMember(a.node, c.system.name, 'member-up');
      const name = uniqueName('leaver');
      c.system.spawn(echoProps(), name);
      const remote = a.node.refOn(c.system.name, `/user/${name}`);
      const probe = new TestProbe(a.system);
      probe.watch(remote);
      await remote.ask(() => ({ type: 'echo', payload: 0 }), 10_000);
      const down = waitForMember(a.node, c.system.name, 'member-down');
      await stopNode(c);
      await probe.expectTerminated(remote, 10_000);
      assert.ok(['left', 'silent'].includes(((await down) as Extract<MemberEvent, { type: 'member-down' }>).reason));
    });

    const noCut = harness.cut === undefined ? 'this back end cannot cut and restore a live connection' : false;
    it('holds messages while its transport is disconnected and sends them on reconnect', { skip: noCut }, async () => {
      if (harness.cut === undefined || harness.restore === undefined) return;
      const probe = new TestProbe(b.system);
      const name = uniqueName('later');
      b.system.spawn(echoProps(probe.ref), name);
      const statuses: string[] = [];
      const unsubscribe = a.node.onStatus((status) => statuses.push(status));
      harness.cut(a.transport);
      await until(() => a.node.status === 'reconnecting', 5000, 'status reconnecting');
      a.node.refOn(b.system.name, `/user/${name}`).tell({ type: 'seq', n: 7 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(a.node.stats().heldBytes > 0, 'the batch waits');
      assert.equal(probe.received, 0);
      harness.restore(a.transport);
      assert.deepEqual(await probe.expectMessage(10_000), { type: 'seq', n: 7 });
      assert.equal(a.node.status, 'connected');
      assert.deepEqual(statuses, ['reconnecting', 'connected']);
      unsubscribe();
      assert.ok(a.logs.some((line) => String(line['msg']).startsWith('transport reconnected')));
    });
  });
}
