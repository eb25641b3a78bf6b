import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Actor,
  allForOne,
  decideByType,
  Directive,
  oneForOne,
  props,
  type ActorContext,
  type ActorRef,
  type FailureEvent,
  type Props,
  type SupervisorStrategy,
} from '../../src/runtime/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { testSystem } from './support.js';

class Fatal extends Error {}

type W = { type: 'inc' } | { type: 'get'; replyTo: ActorRef<number> } | { type: 'fail'; error: unknown } | { type: 'reject'; error: unknown };

class Worker extends Actor<W> {
  count = 0;
  readonly receive = {
    inc: () => void this.count++,
    get: (m: { replyTo: ActorRef<number> }) => m.replyTo.tell(this.count),
    fail: (m: { error: unknown }) => {
      throw m.error;
    },
    reject: async (m: { error: unknown }) => {
      await Promise.resolve();
      throw m.error;
    },
  };
}

type S = { type: 'spawn'; name: string; props: Props<any>; replyTo: ActorRef<ActorRef> };

class Supervisor extends Actor<S> {
  constructor(context: ActorContext<S>, override readonly supervisorStrategy: SupervisorStrategy) {
    super(context);
  }
  readonly receive = {
    spawn: (m: { name: string; props: Props<any>; replyTo: ActorRef<ActorRef> }) => m.replyTo.tell(this.context.spawn(m.props, m.name)),
  };
}

const workerProps = props<W>((ctx) => new Worker(ctx));
const count = (ref: ActorRef<W>): Promise<number> => ref.ask<number>((replyTo) => ({ type: 'get', replyTo }), 1000);

async function supervised(strategy: SupervisorStrategy, names: string[] = ['w']) {
  const ts = testSystem();
  const sup = ts.system.spawn(props<S>((ctx) => new Supervisor(ctx, strategy)), 'sup');
  const refs: ActorRef<W>[] = [];
  for (const name of names) refs.push(await sup.ask<ActorRef>((replyTo) => ({ type: 'spawn', name, props: workerProps, replyTo }), 1000));
  return { ...ts, sup, refs };
}

describe('supervision', () => {
  it('restart gives fresh state behind the same ref and keeps queued messages', async () => {
    const { system, refs: [w] } = await supervised(oneForOne());
    w!.tell({ type: 'inc' });
    w!.tell({ type: 'inc' });
    w!.tell({ type: 'fail', error: new Error('x') });
    w!.tell({ type: 'inc' });
    assert.equal(await count(w!), 1);
    assert.equal(system.lookup(w!.path), w);
    await system.terminate();
  });

  it('treats a rejected promise exactly like a synchronous throw', async () => {
    const { system, refs: [w] } = await supervised(oneForOne());
    const failures: FailureEvent[] = [];
    system.eventStream.subscribe('failure', (e) => failures.push(e));
    const sync = new Error('sync');
    const async = new Error('async');
    w!.tell({ type: 'inc' });
    w!.tell({ type: 'fail', error: sync });
    w!.tell({ type: 'inc' });
    w!.tell({ type: 'reject', error: async });
    w!.tell({ type: 'inc' });
    assert.equal(await count(w!), 1);
    assert.deepEqual(failures.map((f) => [f.path, f.error, f.directive]), [
      [w!.path, sync, 'restart'],
      [w!.path, async, 'restart'],
    ]);
    await system.terminate();
  });

  it('resume keeps the state and drops only the failing message', async () => {
    const { system, refs: [w] } = await supervised(oneForOne({ decide: () => Directive.resume }));
    w!.tell({ type: 'inc' });
    w!.tell({ type: 'fail', error: new Error('x') });
    w!.tell({ type: 'inc' });
    assert.equal(await count(w!), 2);
    await system.terminate();
  });

  it('decides by error type: the stop directive terminates the child', async () => {
    const decide = decideByType([[Fatal, Directive.stop], [Error, Directive.restart]]);
    const { system, refs: [w] } = await supervised(oneForOne({ decide }));
    const probe = new TestProbe(system);
    probe.watch(w!);
    w!.tell({ type: 'fail', error: new Error('ordinary') });
    await probe.expectNoMessage(10);
    assert.equal(await count(w!), 0);
    w!.tell({ type: 'fail', error: new Fatal('fatal') });
    await probe.expectTerminated(w!);
    await system.terminate();
  });

  it('stops the child once the restart budget within the window is spent', async () => {
    const { system, scheduler, refs: [w] } = await supervised(oneForOne({ maxRetries: 2, withinMs: 1000 }));
    const probe = new TestProbe(system);
    probe.watch(w!);
    w!.tell({ type: 'fail', error: new Error('1') });
    w!.tell({ type: 'fail', error: new Error('2') });
    await probe.expectNoMessage(10);
    await scheduler.advance(2000);
    // The window has passed: the count starts again, so two more restarts are allowed.
    w!.tell({ type: 'fail', error: new Error('3') });
    w!.tell({ type: 'fail', error: new Error('4') });
    await probe.expectNoMessage(10);
    assert.equal(await count(w!), 0);
    w!.tell({ type: 'fail', error: new Error('5') });
    await probe.expectTerminated(w!);
    await system.terminate();
  });

  it('all-for-one restarts every sibling when one fails', async () => {
    const { system, refs: [a, b] } = await supervised(allForOne(), ['a', 'b']);
    a!.tell({ type: 'inc' });
    b!.tell({ type: 'inc' });
    b!.tell({ type: 'inc' });
    assert.equal(await count(b!), 2);
    a!.tell({ type: 'fail', error: new Error('x') });
    assert.equal(await count(a!), 0);
    assert.equal(await count(b!), 0);
    await system.terminate();
  });

  it('all-for-one stop stops every sibling', async () => {
    const { system, refs: [a, b] } = await supervised(allForOne({ decide: () => Directive.stop }), ['a', 'b']);
    const probe = new TestProbe(system);
    a!.tell({ type: 'fail', error: new Error('x') });
    await probe.expectTerminated(a!);
    await probe.expectTerminated(b!);
    await system.terminate();
  });

  it('escalate hands the failure to the grandparent, whose restart of the supervisor resets the subtree', async () => {
    const { system } = testSystem();
    const grand = system.spawn(props<S>((ctx) => new Supervisor(ctx, oneForOne())), 'grand');
    const supProps = props<S>((ctx) => new Supervisor(ctx, oneForOne({ decide: () => Directive.escalate })));
    const sup = await grand.ask<ActorRef<S>>((replyTo) => ({ type: 'spawn', name: 'sup', props: supProps, replyTo }), 1000);
    const w = await sup.ask<ActorRef<W>>((replyTo) => ({ type: 'spawn', name: 'w', props: workerProps, replyTo }), 1000);
    const failures: FailureEvent[] = [];
    system.eventStream.subscribe('failure', (e) => failures.push(e));
    const probe = new TestProbe(system);
    probe.watch(w);
    w.tell({ type: 'fail', error: new Error('up') });
    await probe.expectTerminated(w);
    assert.deepEqual(failures.map((f) => [f.path, f.directive]), [
      [w.path, 'escalate'],
      [sup.path, 'restart'],
    ]);
    assert.equal(system.lookup(sup.path), sup);
    assert.equal(system.lookup(w.path), undefined, 'the restarted supervisor starts without its old children');
    await system.terminate();
  });

  // Changed on purpose (issue 20): Akka.NET terminates the system when a failure is escalated past the user guardian.
  it('Akka.NET: a failure escalated past the user guardian terminates the system, with the reason logged', async () => {
    const { system, logs } = testSystem();
    type T = { type: 'fail' };
    class Bad extends Actor<T> {
      readonly receive = {
        fail: () => {
          throw new Fatal('unrecoverable');
        },
      };
    }
    class Escalator extends Actor<S> {
      override readonly supervisorStrategy = oneForOne({ decide: () => Directive.escalate });
      readonly receive = {
        spawn: (m: { name: string; props: Props<any>; replyTo: ActorRef<ActorRef> }) => m.replyTo.tell(this.context.spawn(m.props, m.name)),
      };
    }
    const mid = system.spawn(props<S>((ctx) => new Escalator(ctx)), 'mid');
    const inner = await mid.ask<ActorRef<S>>((replyTo) => ({ type: 'spawn', name: 'inner', props: props<S>((ctx) => new Escalator(ctx)), replyTo }), 1000);
    const bad = await inner.ask<ActorRef<T>>((replyTo) => ({ type: 'spawn', name: 'bad', props: props<T>((ctx) => new Bad(ctx)), replyTo }), 1000);
    const bystander = system.spawn(workerProps, 'bystander');
    const probe = new TestProbe(system);
    probe.watch(bystander);
    bad.tell({ type: 'fail' });
    await probe.expectTerminated(bystander);
    await system.whenTerminated;
    assert.equal(system.isTerminated, true);
    const rootLog = logs.find((l) => l.msg === 'failure escalated past the user guardian; terminating the actor system');
    assert.equal(rootLog?.level, 60);
    assert.equal(rootLog?.child, mid.path);
    assert.equal((rootLog?.err as { message?: string }).message, 'unrecoverable');
    assert.throws(() => system.spawn(workerProps, 'late'), { code: 'ERR_ACTOR_NOT_RUNNING' });
  });

  it('the user guardian restarts a top-level actor that fails on its own', async () => {
    const { system } = testSystem();
    const top = system.spawn(workerProps, 'top');
    top.tell({ type: 'inc' });
    top.tell({ type: 'fail', error: new Error('own failure') });
    assert.equal(await count(top), 0);
    assert.equal(system.lookup(top.path), top);
    await system.terminate();
  });
});
