// Supervision and lifecycle rules of Akka.NET that the runtime follows (issue 20); each test names its rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Actor,
  Directive,
  Kill,
  oneForOne,
  props,
  restartAlways,
  type ActorContext,
  type ActorRef,
  type FailureEvent,
  type LifecycleEvent,
  type SupervisorStrategy,
} from '../../src/runtime/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { testSystem } from './support.js';

type N =
  | { type: 'ping'; replyTo: ActorRef<string> }
  | { type: 'fail' }
  | { type: 'busy'; ms: number }
  | { type: 'inc' }
  | { type: 'count'; replyTo: ActorRef<number> };

class Pinger extends Actor<N> {
  count = 0;
  readonly receive = {
    ping: (m: { replyTo: ActorRef<string> }) => m.replyTo.tell(this.context.name),
    fail: () => {
      throw new Error(`${this.context.name} failed`);
    },
    busy: (m: { ms: number }) => new Promise<void>((resolve) => this.context.system.scheduler.schedule(m.ms, resolve)),
    inc: () => void this.count++,
    count: (m: { replyTo: ActorRef<number> }) => m.replyTo.tell(this.count),
  };
}

// A chain of nodes: each spawns one child named after `names[0]`, which spawns `names[1]`, and so on. A fresh
// instance after a restart spawns its child only if no child survived (Akka's idiom for kept children).
class Node extends Pinger {
  constructor(
    context: ActorContext<N>,
    readonly names: readonly string[],
    override readonly supervisorStrategy?: SupervisorStrategy,
    private readonly keepChildren = false,
  ) {
    super(context);
    const [next, ...rest] = names;
    if (next !== undefined && context.child(next) === undefined) context.spawn(props<N>((ctx) => new Node(ctx, rest)), next);
  }
  override preRestart(error: unknown, message: N | undefined): void | Promise<void> {
    if (!this.keepChildren) return super.preRestart(error, message);
  }
}

const lookup = <T>(system: { lookup(path: string): ActorRef | undefined }, path: string): ActorRef<T> => {
  const ref = system.lookup(path);
  assert.ok(ref, `${path} is alive`);
  return ref as ActorRef<T>;
};

describe('Akka.NET supervision semantics', () => {
  it('Akka.NET: a failed actor suspends its whole subtree until its supervisor decides (here: resume)', async () => {
    const { system } = testSystem();
    const top = system.spawn(props<N>((ctx) => new Node(ctx, ['f', 'c', 'g'], oneForOne({ decide: () => Directive.resume }))), 'top');
    const probe = new TestProbe<string>(system);
    await probe.expectNoMessage(1);
    const f = lookup<N>(system, '/user/top/f');
    const c = lookup<N>(system, '/user/top/f/c');
    const g = lookup<N>(system, '/user/top/f/c/g');
    // The supervisor is busy for 100 ms, so its directive for f comes only then.
    top.tell({ type: 'busy', ms: 100 });
    f.tell({ type: 'fail' });
    f.tell({ type: 'ping', replyTo: probe.ref });
    c.tell({ type: 'ping', replyTo: probe.ref });
    g.tell({ type: 'ping', replyTo: probe.ref });
    await probe.expectNoMessage(99);
    const answers = [await probe.expectMessage(10), await probe.expectMessage(10), await probe.expectMessage(10)];
    assert.deepEqual(answers.sort(), ['c', 'f', 'g']);
    await system.terminate();
  });

  it('Akka.NET: an escalated failure keeps the subtree suspended until the grandparent decides (here: resume)', async () => {
    const { system } = testSystem();
    const failures: FailureEvent[] = [];
    system.eventStream.subscribe('failure', (e) => failures.push(e));
    class Escalating extends Node {
      override readonly supervisorStrategy = oneForOne({ decide: () => Directive.escalate });
    }
    // root (resumes) -> f (escalates) -> c -> g; root is busy for 100 ms, so its directive comes only then.
    class Top extends Node {
      constructor(context: ActorContext<N>) {
        super(context, [], oneForOne({ decide: () => Directive.resume }));
        context.spawn(props<N>((ctx) => new Escalating(ctx, ['c', 'g'])), 'f');
      }
    }
    const root = system.spawn(props<N>((ctx) => new Top(ctx)), 'root');
    const probe = new TestProbe<string>(system);
    await probe.expectNoMessage(1);
    const f = lookup<N>(system, '/user/root/f');
    const c = lookup<N>(system, '/user/root/f/c');
    const g = lookup<N>(system, '/user/root/f/c/g');
    root.tell({ type: 'busy', ms: 100 });
    c.tell({ type: 'fail' });
    for (const ref of [c, g, f]) ref.tell({ type: 'ping', replyTo: probe.ref });
    await probe.expectNoMessage(99);
    const answers = [await probe.expectMessage(10), await probe.expectMessage(10), await probe.expectMessage(10)];
    assert.deepEqual(answers.sort(), ['c', 'f', 'g']);
    assert.deepEqual(failures.map((e) => [e.path, e.directive]), [[c.path, 'escalate'], [f.path, 'resume']]);
    await system.terminate();
  });

  it('Akka.NET: a creation that failed and is retried is a fresh start (preStart runs, postRestart does not)', async () => {
    const { system } = testSystem();
    const hooks: string[] = [];
    const lifecycle: LifecycleEvent[] = [];
    system.eventStream.subscribe('lifecycle', (e) => lifecycle.push(e));
    let attempts = 0;
    class Flaky extends Pinger {
      readonly failPreStart: boolean;
      constructor(context: ActorContext<N>, failIn: 'constructor' | 'preStart') {
        super(context);
        attempts++;
        if (failIn === 'constructor' && attempts === 1) throw new Error('not yet');
        this.failPreStart = failIn === 'preStart' && attempts === 1;
      }
      override preStart(): void {
        hooks.push(`preStart ${attempts}`);
        if (this.failPreStart) throw new Error('preStart failed');
      }
      override preRestart(): void {
        hooks.push('preRestart');
      }
      override postRestart(): void {
        hooks.push('postRestart');
      }
    }
    for (const failIn of ['constructor', 'preStart'] as const) {
      attempts = 0;
      hooks.length = 0;
      class Parent extends Node {
        constructor(context: ActorContext<N>) {
          super(context, [], oneForOne({ decide: restartAlways }));
          context.spawn(props<N>((ctx) => new Flaky(ctx, failIn)), 'flaky');
        }
      }
      system.spawn(props<N>((ctx) => new Parent(ctx)), `parent-${failIn}`);
      const probe = new TestProbe<string>(system);
      await probe.expectNoMessage(1);
      const flaky = lookup<N>(system, `/user/parent-${failIn}/flaky`);
      flaky.tell({ type: 'ping', replyTo: probe.ref });
      assert.equal(await probe.expectMessage(), 'flaky');
      assert.deepEqual(hooks, failIn === 'constructor' ? ['preStart 2'] : ['preStart 1', 'preStart 2'], failIn);
      assert.deepEqual(lifecycle.filter((e) => e.path === flaky.path).map((e) => e.event), failIn === 'constructor' ? ['started'] : ['started', 'started']);
    }
    await system.terminate();
  });

  it('Akka.NET default decider: an actor whose creation failed is stopped', async () => {
    const { system } = testSystem();
    class Broken extends Pinger {
      constructor(context: ActorContext<N>) {
        super(context);
        throw new Error('cannot start');
      }
    }
    const failures: FailureEvent[] = [];
    system.eventStream.subscribe('failure', (e) => failures.push(e));
    const broken = system.spawn(props<N>((ctx) => new Broken(ctx)), 'broken');
    await new TestProbe(system).expectTerminated(broken);
    assert.deepEqual(failures.map((e) => [(e.error as { code?: string }).code, e.directive]), [['ERR_ACTOR_INIT', 'stop']]);
    await system.terminate();
  });

  it('Akka.NET death pact: an unhandled Terminated fails the watcher with DeathPactException (stopped by default)', async () => {
    const { system } = testSystem();
    const failures: FailureEvent[] = [];
    system.eventStream.subscribe('failure', (e) => failures.push(e));
    type W = { type: 'watch'; ref: ActorRef };
    class Watcher extends Actor<W> {
      readonly receive = { watch: (m: { ref: ActorRef }) => this.context.watch(m.ref) };
    }
    const watcher = system.spawn(props<W>((ctx) => new Watcher(ctx)), 'watcher');
    const target = system.spawn(props<N>((ctx) => new Node(ctx, [])), 'target');
    watcher.tell({ type: 'watch', ref: target });
    const probe = new TestProbe(system);
    await probe.expectNoMessage(1);
    target.sendSystem({ type: 'stop' });
    await probe.expectTerminated(watcher);
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.path, watcher.path);
    assert.equal(failures[0]!.directive, 'stop');
    const error = failures[0]!.error as { code?: string; terminatedPath?: string; message?: string };
    assert.equal(error.code, 'ERR_DEATH_PACT');
    assert.equal(error.terminatedPath, target.path);
    await system.terminate();
  });

  it('Akka.NET Kill: the actor fails with ActorKilledException, which the default strategy stops', async () => {
    const { system } = testSystem();
    const failures: FailureEvent[] = [];
    system.eventStream.subscribe('failure', (e) => failures.push(e));
    const probe = new TestProbe<string>(system);
    const victim = system.spawn(props<N>((ctx) => new Node(ctx, [])), 'victim');
    victim.tell({ type: 'ping', replyTo: probe.ref });
    (victim as ActorRef).tell(Kill);
    victim.tell({ type: 'ping', replyTo: probe.ref });
    assert.equal(await probe.expectMessage(), 'victim', 'messages before Kill are processed');
    await probe.expectTerminated(victim);
    await probe.expectNoMessage(10);
    assert.deepEqual(failures.map((e) => [e.path, (e.error as { code?: string }).code, e.directive]), [[victim.path, 'ERR_ACTOR_KILLED', 'stop']]);
    await system.terminate();
  });

  it('Akka.NET PreRestart: by default it stops the children; overridden not to, they survive and are restarted', async () => {
    const { system } = testSystem();
    const lifecycle: LifecycleEvent[] = [];
    system.eventStream.subscribe('lifecycle', (e) => lifecycle.push(e));
    const keeper = system.spawn(props<N>((ctx) => new Node(ctx, ['kid'], undefined, true)), 'keeper');
    const stopper = system.spawn(props<N>((ctx) => new Node(ctx, ['kid'], undefined, false)), 'stopper');
    const probe = new TestProbe<string>(system);
    await probe.expectNoMessage(1);
    const kept = lookup<N>(system, '/user/keeper/kid');
    const stopped = lookup<N>(system, '/user/stopper/kid');
    kept.tell({ type: 'inc' });
    keeper.tell({ type: 'fail' });
    stopper.tell({ type: 'fail' });
    await probe.expectTerminated(stopped);
    // The keeper's fresh constructor tried to spawn "kid" again: the survivor holds the name.
    await probe.expectNoMessage(10);
    assert.equal(system.lookup('/user/keeper/kid'), kept, 'same ref, same mailbox');
    assert.notEqual(system.lookup('/user/stopper/kid'), stopped, 'a new child took the name');
    assert.equal(await kept.ask<number>((replyTo) => ({ type: 'count', replyTo }), 100), 0, 'the survivor was restarted');
    assert.deepEqual(lifecycle.filter((e) => e.path === kept.path).map((e) => e.event), ['started', 'restarted']);
    await system.terminate();
  });
});
