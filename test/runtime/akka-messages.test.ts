// Message-handling rules of Akka.NET that the runtime follows (issue 20); each test names its rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Actor,
  PoisonPill,
  props,
  type ActorContext,
  type ActorRef,
  type DeadLetterEvent,
  type FailureEvent,
  type UnhandledEvent,
} from '../../src/runtime/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { testSystem } from './support.js';

describe('Akka.NET message semantics', () => {
  it('Akka.NET Become in the constructor sets the starting behavior, also stacked (discardOld: false)', async () => {
    const { system } = testSystem();
    type M = { type: 'hello' } | { type: 'back' };
    const out = new TestProbe<string>(system);
    class Greeter extends Actor<M> {
      constructor(context: ActorContext<M>, stacked: boolean) {
        super(context);
        const greeting = {
          hello: () => out.ref.tell(`${context.name}: greeting`),
          back: () => context.unbecome(),
        };
        context.become(greeting, { discardOld: !stacked });
      }
      readonly receive = {
        hello: () => out.ref.tell(`${this.context.name}: receive`),
        back: () => {},
      };
    }
    const plain = system.spawn(props<M>((ctx) => new Greeter(ctx, false)), 'plain');
    const stacked = system.spawn(props<M>((ctx) => new Greeter(ctx, true)), 'stacked');
    for (const [ref, name] of [[plain, 'plain'], [stacked, 'stacked']] as const) {
      ref.tell({ type: 'hello' });
      assert.equal(await out.expectMessage(), `${name}: greeting`);
      // Unbecome of a replaced behavior falls back to receive; of a stacked one, pops back to receive.
      ref.tell({ type: 'back' });
      ref.tell({ type: 'hello' });
      assert.equal(await out.expectMessage(), `${name}: receive`);
    }
    await system.terminate();
  });

  it('Akka.NET Stash: stashing the same message twice throws (IllegalActorStateException), supervised as a failure', async () => {
    const { system } = testSystem();
    type M = { type: 'job'; n: number } | { type: 'open' };
    const out = new TestProbe<number>(system);
    const failures: FailureEvent[] = [];
    system.eventStream.subscribe('failure', (e) => failures.push(e));
    let deliveries = 0;
    class Twice extends Actor<M> {
      readonly receive = {
        job: () => {
          this.context.stash();
          if (++deliveries === 1) this.context.stash();
        },
        open: () => {
          this.context.become({ job: (m) => out.ref.tell(m.n) });
          this.context.unstashAll();
        },
      };
    }
    const ref = system.spawn(props<M>((ctx) => new Twice(ctx)), 'twice');
    ref.tell({ type: 'job', n: 1 });
    await out.expectNoMessage(1);
    assert.deepEqual(failures.map((f) => [(f.error as { code?: string }).code, f.directive]), [['ERR_STASHED_TWICE', 'restart']]);
    // The restart hands the stash (one copy) to the fresh instance, which stashes it again: opened, it comes out once.
    ref.tell({ type: 'open' });
    assert.equal(await out.expectMessage(), 1);
    await out.expectNoMessage(100);
    await system.terminate();
  });

  it('Akka.NET PoisonPill from a timer or as the receive timeout stops the actor as when told directly', async () => {
    const { system, scheduler } = testSystem();
    type M = { type: 'arm'; how: 'timer' | 'receive-timeout' };
    const unhandled: UnhandledEvent[] = [];
    system.eventStream.subscribe('unhandled', (e) => unhandled.push(e));
    class Doomed extends Actor<M> {
      readonly receive = {
        arm: (m: { how: 'timer' | 'receive-timeout' }) => {
          if (m.how === 'timer') this.context.timers.startSingle('end', PoisonPill, 100);
          else this.context.setReceiveTimeout(100, PoisonPill);
        },
      };
    }
    const probe = new TestProbe(system);
    for (const how of ['timer', 'receive-timeout'] as const) {
      const ref = system.spawn(props<M>((ctx) => new Doomed(ctx)), how);
      ref.tell({ type: 'arm', how });
      const start = scheduler.now();
      await probe.expectTerminated(ref);
      assert.ok(scheduler.now() - start >= 100, `${how}: stopped by the pill, not before`);
    }
    assert.deepEqual(unhandled, []);
    await system.terminate();
  });

  it('Akka.NET Unwatch: a watch message already queued is dropped once unwatched, like Terminated', async () => {
    const { system, scheduler } = testSystem();
    type M = { type: 'busy' } | { type: 'unwatch' } | { type: 'gone' };
    const out = new TestProbe<string>(system);
    type T = { type: 'noop' };
    class Target extends Actor<T> {
      readonly receive = { noop: () => {} };
    }
    const target = system.spawn(props<T>((ctx) => new Target(ctx)), 'target');
    class Watcher extends Actor<M> {
      constructor(context: ActorContext<M>) {
        super(context);
        context.watch(target, { type: 'gone' });
      }
      readonly receive = {
        // While this runs, the target stops: its Terminated is turned into 'gone' after 'unwatch' was queued.
        busy: () => new Promise<void>((resolve) => scheduler.schedule(100, resolve)),
        unwatch: () => this.context.unwatch(target),
        gone: () => out.ref.tell('gone'),
      };
    }
    const watcher = system.spawn(props<M>((ctx) => new Watcher(ctx)), 'watcher');
    await out.expectNoMessage(1);
    watcher.tell({ type: 'busy' });
    watcher.tell({ type: 'unwatch' });
    target.sendSystem({ type: 'stop' });
    await out.expectNoMessage(500);
    assert.equal(system.deadLetterCount, 0);
    await system.terminate();
  });

  it('Akka.NET Forward keeps the original sender, so the reply goes to the first asker', async () => {
    const { system } = testSystem();
    type Q = { type: 'question'; text: string };
    class Answerer extends Actor<Q> {
      readonly receive = { question: (m: { text: string }) => this.context.sender.tell(`answer to ${m.text}`) };
    }
    class Front extends Actor<Q> {
      readonly #back = this.context.spawn(props<Q>((ctx) => new Answerer(ctx)), 'back');
      readonly receive = { question: (m: Q) => this.context.forward(this.#back, m) };
    }
    const front = system.spawn(props<Q>((ctx) => new Front(ctx)), 'front');
    const probe = new TestProbe<string>(system);
    front.tell({ type: 'question', text: 'why' }, probe.ref);
    assert.equal(await probe.expectMessage(), 'answer to why');
    await system.terminate();
  });

  it('Akka.NET PipeTo sends a task result to any ref, with the given sender', async () => {
    const { system } = testSystem();
    type M = { type: 'compute'; n: number; replyTo: ActorRef<string> };
    class Piper extends Actor<M> {
      readonly receive = {
        compute: (m: { n: number; replyTo: ActorRef<string> }) =>
          this.context.pipeTo(
            m.n >= 0 ? Promise.resolve(m.n * 2) : Promise.reject(new Error('negative')),
            m.replyTo,
            (r) => (r.ok ? `value ${r.value}` : `error ${(r.error as Error).message}`),
            this.context.self,
          ),
      };
    }
    const piper = system.spawn(props<M>((ctx) => new Piper(ctx)), 'piper');
    const probe = new TestProbe<string>(system);
    piper.tell({ type: 'compute', n: 21, replyTo: probe.ref });
    assert.equal(await probe.expectMessage(), 'value 42');
    assert.equal(probe.lastSender, piper);
    piper.tell({ type: 'compute', n: -1, replyTo: probe.ref });
    assert.equal(await probe.expectMessage(), 'error negative');
    await system.terminate();
  });

  it('Akka.NET ClearStash drops the stashed messages (returned, oldest first), so unstashAll delivers none', async () => {
    const { system } = testSystem();
    type M = { type: 'job'; n: number } | { type: 'clear'; replyTo: ActorRef<unknown[]> } | { type: 'open' };
    const out = new TestProbe<number>(system);
    class Stasher extends Actor<M> {
      readonly receive = {
        job: () => this.context.stash(),
        clear: (m: { replyTo: ActorRef<unknown[]> }) => m.replyTo.tell(this.context.clearStash()),
        open: () => {
          this.context.become({ job: (m) => out.ref.tell(m.n) });
          this.context.unstashAll();
        },
      };
    }
    const ref = system.spawn(props<M>((ctx) => new Stasher(ctx)), 'stasher');
    ref.tell({ type: 'job', n: 1 });
    ref.tell({ type: 'job', n: 2 });
    const cleared = await ref.ask<unknown[]>((replyTo) => ({ type: 'clear', replyTo }), 100);
    assert.deepEqual(cleared, [{ type: 'job', n: 1 }, { type: 'job', n: 2 }]);
    ref.tell({ type: 'open' });
    ref.tell({ type: 'job', n: 3 });
    assert.equal(await out.expectMessage(), 3);
    await out.expectNoMessage(10);
    await system.terminate();
  });

  it('Akka.NET INotInfluenceReceiveTimeout: ignored message types do not reset the receive timeout', async () => {
    const { system, scheduler } = testSystem();
    type M = { type: 'flush' } | { type: 'work' } | { type: 'idle' };
    const out = new TestProbe<string>(system);
    class Flusher extends Actor<M> {
      constructor(context: ActorContext<M>) {
        super(context);
        context.timers.startPeriodic('flush', { type: 'flush' }, 100);
        context.setReceiveTimeout(250, { type: 'idle' }, { ignore: ['flush'] });
      }
      readonly receive = {
        flush: () => {},
        work: () => {},
        idle: () => out.ref.tell(`idle at ${scheduler.now()}`),
      };
    }
    const ref = system.spawn(props<M>((ctx) => new Flusher(ctx)), 'flusher');
    assert.equal(await out.expectMessage(1000), 'idle at 250', 'the periodic flush did not keep it busy');
    await scheduler.advance(100);
    ref.tell({ type: 'work' });
    await out.expectNoMessage(200);
    assert.equal(await out.expectMessage(1000), 'idle at 600', 'a work message at 350 ms did reset it');
    await system.terminate();
  });

  it('Akka.NET NoSender: the sender of a message told without one is the dead-letters ref', async () => {
    const { system } = testSystem();
    type M = { type: 'echo' };
    const dead: DeadLetterEvent[] = [];
    system.eventStream.subscribe('dead-letter', (e) => dead.push(e));
    class Echo extends Actor<M> {
      readonly receive = { echo: (m: M) => this.context.sender.tell(m, this.context.self) };
    }
    const echo = system.spawn(props<M>((ctx) => new Echo(ctx)), 'echo');
    echo.tell({ type: 'echo' });
    await new TestProbe(system).expectNoMessage(1);
    assert.deepEqual(dead.map((d) => [d.recipient, d.sender?.path]), [[system.deadLetters.path, echo.path]]);
    await system.terminate();
  });

  it('Akka.NET log-dead-letters: dead letters are logged, throttled, with counts, as well as published', async () => {
    const { system, scheduler, logs } = testSystem('dl', { deadLetterLog: { limit: 3, suspendMs: 1000 } });
    const published: DeadLetterEvent[] = [];
    system.eventStream.subscribe('dead-letter', (e) => published.push(e));
    const lines = (): Array<Record<string, unknown>> => logs.filter((l) => String(l.msg).startsWith('dead letter'));
    for (let i = 0; i < 10; i++) system.deadLetters.tell({ type: 'lost', i });
    assert.equal(published.length, 10);
    assert.deepEqual(lines().map((l) => [l.level, l.deadLetters, l.messageType]), [[30, 1, 'lost'], [30, 2, 'lost'], [30, 3, 'lost']]);
    assert.equal(lines()[2]!.pauseMs, 1000);
    await scheduler.advance(1000);
    system.deadLetters.tell({ type: 'late' });
    const resumed = lines()[3]!;
    assert.equal(resumed.deadLetters, 11);
    assert.equal(resumed.notLogged, 7);
    assert.equal(resumed.recipient, system.deadLetters.path);
    await system.terminate();
  });

  it('Akka.NET GracefulStop resolves true once the actor stopped, false when it did not within the timeout', async () => {
    const { system, scheduler } = testSystem();
    type M = { type: 'slow'; ms: number };
    class Slow extends Actor<M> {
      readonly receive = { slow: (m: { ms: number }) => new Promise<void>((resolve) => scheduler.schedule(m.ms, resolve)) };
    }
    const quick = system.spawn(props<M>((ctx) => new Slow(ctx)), 'quick');
    const stuck = system.spawn(props<M>((ctx) => new Slow(ctx)), 'stuck');
    quick.tell({ type: 'slow', ms: 50 });
    stuck.tell({ type: 'slow', ms: 5000 });
    const quickStopped = system.gracefulStop(quick, 1000);
    const stuckStopped = system.gracefulStop(stuck, 1000);
    await scheduler.advance(1000);
    assert.equal(await quickStopped, true);
    assert.equal(await stuckStopped, false);
    assert.equal(system.lookup(quick.path), undefined);
    await new TestProbe(system).expectTerminated(stuck, 5000);
    await assert.rejects(system.gracefulStop(quick, 0), { code: 'ERR_INVALID_TIMEOUT' });
    await system.terminate();
  });
});
