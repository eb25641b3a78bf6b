import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Actor, stopGracefully, props, type ActorContext, type ActorRef, type DeadLetterEvent, type LifecycleEvent } from '../../src/runtime/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { testSystem } from './support.js';

type M = { type: 'work'; n: number } | { type: 'spawn'; name: string } | { type: 'stop-self' } | { type: 'boom' };

class Hooked extends Actor<M> {
  constructor(context: ActorContext<M>, private readonly events: string[], private readonly out?: ActorRef) {
    super(context);
  }
  readonly receive = {
    work: (m: { n: number }) => {
      this.events.push(`${this.context.name}:work${m.n}`);
      this.out?.tell(m.n);
    },
    spawn: (m: { name: string }) => void this.context.spawn(props<M>((ctx) => new Hooked(ctx, this.events)), m.name),
    'stop-self': () => this.context.stop(),
    boom: () => {
      throw new Error('boom');
    },
  };
  override preStart(): void {
    this.events.push(`${this.context.name}:preStart`);
  }
  override postStop(): void {
    this.events.push(`${this.context.name}:postStop`);
  }
  override preRestart(error: unknown): void {
    this.events.push(`${this.context.name}:preRestart:${(error as Error).message}`);
  }
  override postRestart(): void {
    this.events.push(`${this.context.name}:postRestart`);
  }
}

describe('lifecycle', () => {
  it('runs preStart before the first message, and preRestart/postRestart around a restart', async () => {
    const { system } = testSystem();
    const events: string[] = [];
    const ref = system.spawn(props<M>((ctx) => new Hooked(ctx, events)), 'a');
    ref.tell({ type: 'work', n: 1 });
    ref.tell({ type: 'boom' });
    ref.tell({ type: 'work', n: 2 });
    await new TestProbe(system).expectNoMessage(1);
    await system.terminate();
    assert.deepEqual(events, ['a:preStart', 'a:work1', 'a:preRestart:boom', 'a:postRestart', 'a:work2', 'a:postStop']);
  });

  it('stops children before their parent runs postStop', async () => {
    const { system } = testSystem();
    const events: string[] = [];
    const parent = system.spawn(props<M>((ctx) => new Hooked(ctx, events)), 'parent');
    parent.tell({ type: 'spawn', name: 'c1' });
    parent.tell({ type: 'spawn', name: 'c2' });
    const probe = new TestProbe(system);
    await probe.expectNoMessage(1);
    parent.sendSystem({ type: 'stop' });
    await probe.expectTerminated(parent);
    const stops = events.filter((e) => e.endsWith('postStop'));
    assert.equal(stops.at(-1), 'parent:postStop');
    assert.deepEqual(stops.slice(0, 2).sort(), ['c1:postStop', 'c2:postStop']);
    await system.terminate();
  });

  it('a graceful stop is processed in order: earlier messages first, later ones to dead letters', async () => {
    const { system } = testSystem();
    const events: string[] = [];
    const dead: DeadLetterEvent[] = [];
    system.eventStream.subscribe('dead-letter', (e) => dead.push(e));
    const ref = system.spawn(props<M>((ctx) => new Hooked(ctx, events)), 'g');
    ref.tell({ type: 'work', n: 1 });
    ref.tell({ type: 'work', n: 2 });
    stopGracefully(ref);
    ref.tell({ type: 'work', n: 3 });
    const probe = new TestProbe(system);
    await probe.expectTerminated(ref);
    assert.deepEqual(events, ['g:preStart', 'g:work1', 'g:work2', 'g:postStop']);
    assert.deepEqual(dead.map((d) => [d.recipient, d.message, d.reason]), [[ref.path, { type: 'work', n: 3 }, 'closed']]);
    await system.terminate();
  });

  it('context.stop() stops the actor right after the current message', async () => {
    const { system } = testSystem();
    const events: string[] = [];
    const ref = system.spawn(props<M>((ctx) => new Hooked(ctx, events)), 's');
    ref.tell({ type: 'stop-self' });
    ref.tell({ type: 'work', n: 1 });
    await new TestProbe(system).expectTerminated(ref);
    assert.deepEqual(events, ['s:preStart', 's:postStop']);
    assert.equal(system.deadLetterCount, 1);
    await system.terminate();
  });

  it('a stop is not stuck behind queued user messages', async () => {
    const { system } = testSystem();
    const events: string[] = [];
    const ref = system.spawn(props<M>((ctx) => new Hooked(ctx, events)), 'busy');
    await new TestProbe(system).expectNoMessage(1);
    for (let n = 0; n < 10_000; n++) ref.tell({ type: 'work', n });
    ref.sendSystem({ type: 'stop' });
    await new TestProbe(system).expectTerminated(ref);
    assert.deepEqual(events, ['busy:preStart', 'busy:postStop']);
    assert.equal(system.deadLetterCount, 10_000);
    await system.terminate();
  });

  it('counts and publishes messages sent to a stopped actor as dead letters', async () => {
    const { system } = testSystem();
    const probe = new TestProbe(system);
    const dead: DeadLetterEvent[] = [];
    system.eventStream.subscribe('dead-letter', (e) => dead.push(e));
    const ref = system.spawn(props<M>((ctx) => new Hooked(ctx, [])), 'd');
    ref.sendSystem({ type: 'stop' });
    await probe.expectTerminated(ref);
    ref.tell({ type: 'work', n: 9 }, probe.ref);
    assert.equal(system.deadLetterCount, 1);
    assert.equal(dead[0]?.recipient, ref.path);
    assert.equal(dead[0]?.sender, probe.ref);
    await system.terminate();
  });

  it('publishes started, restarted and stopped lifecycle events', async () => {
    const { system } = testSystem();
    const seen: LifecycleEvent[] = [];
    system.eventStream.subscribe('lifecycle', (e) => seen.push(e));
    const ref = system.spawn(props<M>((ctx) => new Hooked(ctx, [])), 'e');
    ref.tell({ type: 'boom' });
    await new TestProbe(system).expectNoMessage(1);
    ref.sendSystem({ type: 'stop' });
    await new TestProbe(system).expectTerminated(ref);
    assert.deepEqual(seen.filter((e) => e.path === ref.path).map((e) => `${e.kind}:${e.event}`), ['Hooked:started', 'Hooked:restarted', 'Hooked:stopped']);
    await system.terminate();
  });

  it('an async handler finishes before the next message starts', async () => {
    const { system, scheduler } = testSystem();
    type A = { type: 'slow'; id: number };
    const log: string[] = [];
    class Slow extends Actor<A> {
      readonly receive = {
        slow: async (m: { id: number }) => {
          log.push(`start${m.id}`);
          await new Promise<void>((resolve) => scheduler.schedule(100, resolve));
          log.push(`end${m.id}`);
        },
      };
    }
    const ref = system.spawn(props<A>((ctx) => new Slow(ctx)), 'slow');
    ref.tell({ type: 'slow', id: 1 });
    ref.tell({ type: 'slow', id: 2 });
    ref.tell({ type: 'slow', id: 3 });
    await scheduler.advance(50);
    assert.deepEqual(log, ['start1']);
    await scheduler.advance(300);
    assert.deepEqual(log, ['start1', 'end1', 'start2', 'end2', 'start3', 'end3']);
    await system.terminate();
  });
});
