import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Actor,
  ActorNameTakenError,
  ActorSystem,
  InvalidActorNameError,
  props,
  silentLogger,
  type ActorContext,
  type ActorRef,
  type SystemMessage,
} from '../../src/runtime/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { testSystem } from './support.js';

type Rec = { type: 'rec'; from: number; seq: number } | { type: 'report'; replyTo: ActorRef<{ total: number; orderOk: boolean }> };

class Recorder extends Actor<Rec> {
  total = 0;
  orderOk = true;
  readonly last = new Map<number, number>();
  readonly receive = {
    rec: (m: { from: number; seq: number }) => {
      this.total++;
      const previous = this.last.get(m.from) ?? -1;
      if (m.seq !== previous + 1) this.orderOk = false;
      this.last.set(m.from, m.seq);
    },
    report: (m: { replyTo: ActorRef<{ total: number; orderOk: boolean }> }) => m.replyTo.tell({ total: this.total, orderOk: this.orderOk }),
  };
}

type Spawner = { type: 'spawn'; name: string };
class Parent extends Actor<Spawner> {
  readonly receive = {
    spawn: (m: { name: string }) => void this.context.spawn(props<Spawner>((ctx) => new Parent(ctx)), m.name),
  };
}

describe('ActorSystem', () => {
  it('delivers one million messages from several senders with none lost and each sender in order', async () => {
    const system = ActorSystem.create('million', { logger: silentLogger });
    const ref = system.spawn(props<Rec>((ctx) => new Recorder(ctx)), 'recorder');
    const senders = 4;
    const perSender = 250_000;
    const seq = new Array<number>(senders).fill(0);
    // Interleave senders in uneven slices so their messages mix in the mailbox.
    while (seq.some((s) => s < perSender)) {
      for (let from = 0; from < senders; from++) {
        const slice = 1 + ((from * 7 + seq[from]!) % 13);
        for (let i = 0; i < slice && seq[from]! < perSender; i++) ref.tell({ type: 'rec', from, seq: seq[from]!++ });
      }
      if (seq[0]! % 50_000 < 13) await new Promise((r) => setImmediate(r));
    }
    const report = await ref.ask<{ total: number; orderOk: boolean }>((replyTo) => ({ type: 'report', replyTo }), 60_000);
    assert.deepEqual(report, { total: senders * perSender, orderOk: true });
    assert.equal(system.deadLetterCount, 0);
    await system.terminate();
  });

  it('gives every actor a path under imlight://<system>/user and finds live ones by path', async () => {
    const { system } = testSystem('paths');
    const top = system.spawn(props<Spawner>((ctx) => new Parent(ctx)), 'login');
    top.tell({ type: 'spawn', name: 'pool' });
    const probe = new TestProbe(system);
    await probe.expectNoMessage(1);
    assert.equal(top.path, 'imlight://paths/user/login');
    const pool = system.lookup('imlight://paths/user/login/pool');
    assert.equal(pool?.path, 'imlight://paths/user/login/pool');
    assert.equal(system.lookup('/user/login/pool'), pool);
    assert.equal(system.lookup('imlight://paths/user/login/nobody'), undefined);
    assert.equal(system.lookup('imlight://paths-other/user/login'), undefined);
    await system.terminate();
    assert.equal(system.lookup('imlight://paths/user/login'), undefined);
  });

  it('refuses a name already taken by a live sibling and invalid names', async () => {
    const { system } = testSystem();
    const make = props<Spawner>((ctx) => new Parent(ctx));
    system.spawn(make, 'a');
    assert.throws(() => system.spawn(make, 'a'), ActorNameTakenError);
    assert.throws(() => system.spawn(make, 'x/y'), InvalidActorNameError);
    assert.throws(() => system.spawn(make, ''), InvalidActorNameError);
    assert.throws(() => system.spawn(make, '$temp'), InvalidActorNameError);
    await system.terminate();
  });

  it('reuses a name once its previous holder has terminated', async () => {
    const { system } = testSystem();
    const make = props<Spawner>((ctx) => new Parent(ctx));
    const first = system.spawn(make, 'a');
    const probe = new TestProbe(system);
    first.sendSystem({ type: 'stop' });
    await probe.expectTerminated(first);
    const second = system.spawn(make, 'a');
    assert.notEqual(second, first);
    await system.terminate();
  });

  it('snapshots the tree with kinds, mailbox sizes and processed counts', async () => {
    const { system } = testSystem('snap');
    const top = system.spawn(props<Spawner>((ctx) => new Parent(ctx), { kind: 'spawner' }), 'top');
    top.tell({ type: 'spawn', name: 'kid' });
    top.tell({ type: 'spawn', name: 'kid2' });
    await new TestProbe(system).expectNoMessage(1);
    const snapshot = system.snapshot();
    assert.equal(snapshot.path, 'imlight://snap/user');
    const node = snapshot.children[0]!;
    assert.equal(node.path, 'imlight://snap/user/top');
    assert.equal(node.kind, 'spawner');
    assert.equal(node.processed, 2);
    assert.equal(node.mailboxSize, 0);
    assert.deepEqual(node.children.map((c) => [c.path, c.kind]), [
      ['imlight://snap/user/top/kid', 'Parent'],
      ['imlight://snap/user/top/kid2', 'Parent'],
    ]);
    await system.terminate();
  });

  it('terminate stops every actor, children before parents, and resolves after the last postStop', async () => {
    const { system } = testSystem();
    const stopped: string[] = [];
    type M = { type: 'noop' };
    class Node extends Actor<M> {
      constructor(context: ActorContext<M>, depth: number) {
        super(context);
        if (depth > 0) for (const n of ['l', 'r']) context.spawn(props<M>((ctx) => new Node(ctx, depth - 1)), n);
      }
      readonly receive = { noop: () => {} };
      override async postStop(): Promise<void> {
        await Promise.resolve();
        stopped.push(this.context.path.replace('imlight://test/user', ''));
      }
    }
    system.spawn(props<M>((ctx) => new Node(ctx, 2)), 'root');
    await new TestProbe(system).expectNoMessage(1);
    await system.terminate();
    assert.equal(stopped.length, 7);
    const at = (p: string): number => stopped.indexOf(p);
    for (const p of stopped) {
      const parent = p.slice(0, p.lastIndexOf('/'));
      if (parent !== '') assert.ok(at(p) < at(parent), `${p} stopped before ${parent}`);
    }
    assert.equal(system.isTerminated, true);
  });

  it('resolves remote paths through a registered ref provider (the transport seam)', async () => {
    const { system } = testSystem('local');
    const sent: unknown[] = [];
    const systemMessages: SystemMessage[] = [];
    const remote: ActorRef = {
      path: 'imlight://game-1/user/world',
      tell: (message) => void sent.push(message),
      ask: (build, timeoutMs) => system.deadLetters.ask(build, timeoutMs),
      sendSystem: (message) => void systemMessages.push(message),
    };
    const unregister = system.registerRefProvider('imlight://game-1/', { resolve: (path) => (path === remote.path ? remote : undefined) });
    const found = system.lookup('imlight://game-1/user/world');
    assert.equal(found, remote);
    found?.tell({ type: 'hello' });
    assert.deepEqual(sent, [{ type: 'hello' }]);
    assert.throws(() => system.registerRefProvider('imlight://local/', { resolve: () => undefined }), TypeError);
    unregister();
    assert.equal(system.lookup('imlight://game-1/user/world'), undefined);
    await system.terminate();
  });

  it('records a transport dead letter and fails the ask waiting on it at once', async () => {
    const { system, scheduler } = testSystem();
    const events: Array<[string, unknown]> = [];
    system.eventStream.subscribe('dead-letter', (e) => events.push([e.recipient, e.message]));
    const lost: ActorRef = {
      path: 'imlight://gone/user/x',
      tell: (message, sender) => system.recordDeadLetter('imlight://gone/user/x', message, sender),
      ask: (build, timeoutMs) => system.ask(lost, build, timeoutMs),
      sendSystem: () => {},
    };
    const startedAt = scheduler.now();
    await assert.rejects(lost.ask(() => ({ type: 'q' }), 1000), { code: 'ERR_ASK_DEAD_LETTER', targetPath: 'imlight://gone/user/x' });
    assert.equal(scheduler.now(), startedAt, 'failed without waiting for the timeout');
    assert.deepEqual(events, [['imlight://gone/user/x', { type: 'q' }]]);
    assert.equal(system.deadLetterCount, 1);
    await system.terminate();
  });
});
