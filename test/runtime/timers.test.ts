import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Actor, props, type ActorRef } from '../../src/runtime/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { testSystem } from './support.js';

type M =
  | { type: 'single'; key: string; label: string; ms: number }
  | { type: 'periodic'; key: string; label: string; ms: number }
  | { type: 'cancel'; key: string }
  | { type: 'active'; key: string; replyTo: ActorRef<boolean> }
  | { type: 'tick'; label: string }
  | { type: 'fail' }
  | { type: 'idle-after'; ms: number | undefined }
  | { type: 'poke' }
  | { type: 'hold'; ms: number; then: 'replace' | 'fail' };

class Timed extends Actor<M> {
  constructor(context: ConstructorParameters<typeof Actor<M>>[0], private readonly out: ActorRef<string>) {
    super(context);
  }
  readonly receive = {
    single: (m: { key: string; label: string; ms: number }) => this.context.timers.startSingle(m.key, { type: 'tick', label: m.label }, m.ms),
    periodic: (m: { key: string; label: string; ms: number }) => this.context.timers.startPeriodic(m.key, { type: 'tick', label: m.label }, m.ms),
    cancel: (m: { key: string }) => this.context.timers.cancel(m.key),
    active: (m: { key: string; replyTo: ActorRef<boolean> }) => m.replyTo.tell(this.context.timers.isActive(m.key)),
    tick: (m: { label: string }) => this.out.tell(m.label),
    fail: () => {
      throw new Error('restart me');
    },
    'idle-after': (m: { ms: number | undefined }) => this.context.setReceiveTimeout(m.ms, { type: 'tick', label: 'idle' }),
    poke: () => {},
    // Keeps the mailbox busy while a timer fires, then replaces the timer or fails: the tick waits in the mailbox.
    hold: async (m: { ms: number; then: 'replace' | 'fail' }) => {
      await new Promise<void>((resolve) => this.context.system.scheduler.schedule(m.ms, resolve));
      if (m.then === 'fail') throw new Error('failed while a tick was queued');
      this.context.timers.startSingle('k', { type: 'tick', label: 'new' }, 100);
    },
  };
}

function setup() {
  const ts = testSystem();
  const out = new TestProbe<string>(ts.system);
  const ref = ts.system.spawn(props<M>((ctx) => new Timed(ctx, out.ref)), 'timed');
  return { ...ts, out, ref };
}

describe('timers', () => {
  it('fires a single timer once, after its delay in virtual time', async () => {
    const { system, scheduler, out, ref } = setup();
    ref.tell({ type: 'single', key: 'k', label: 'once', ms: 500 });
    await out.expectNoMessage(499);
    assert.equal(await out.expectMessage(10), 'once');
    assert.equal(scheduler.now(), 500);
    await out.expectNoMessage(5000);
    assert.equal(await ref.ask<boolean>((replyTo) => ({ type: 'active', key: 'k', replyTo }), 100), false);
    await system.terminate();
  });

  it('repeats a periodic timer until it is cancelled', async () => {
    const { system, scheduler, out, ref } = setup();
    ref.tell({ type: 'periodic', key: 'p', label: 'beat', ms: 100 });
    await scheduler.advance(350);
    assert.equal(out.received, 3);
    assert.equal(await ref.ask<boolean>((replyTo) => ({ type: 'active', key: 'p', replyTo }), 100), true);
    ref.tell({ type: 'cancel', key: 'p' });
    await scheduler.advance(1000);
    assert.equal(out.received, 3);
    await system.terminate();
  });

  it('restarting a key replaces the timer and drops a tick of the old one already in the mailbox', async () => {
    const { system, scheduler, out, ref } = setup();
    ref.tell({ type: 'single', key: 'k', label: 'old', ms: 100 });
    ref.tell({ type: 'hold', ms: 150, then: 'replace' });
    await scheduler.advance(150);
    assert.equal(out.received, 0, 'the old tick was dropped');
    assert.equal(await out.expectMessage(1000), 'new');
    assert.equal(scheduler.now(), 250);
    await out.expectNoMessage(1000);
    await system.terminate();
  });

  it('cancels every timer when the actor stops', async () => {
    const { system, scheduler, out, ref } = setup();
    ref.tell({ type: 'periodic', key: 'p', label: 'beat', ms: 100 });
    ref.tell({ type: 'single', key: 's', label: 'late', ms: 1000 });
    await out.expectNoMessage(1);
    ref.sendSystem({ type: 'stop' });
    await new TestProbe(system).expectTerminated(ref);
    assert.equal(scheduler.pending, 0);
    await scheduler.advance(5000);
    assert.equal(out.received, 0);
    assert.equal(system.deadLetterCount, 0, 'timer ticks are not dead letters');
    await system.terminate();
  });

  it('cancels timers on restart, so no tick from before the restart is delivered', async () => {
    const { system, scheduler, out, ref } = setup();
    ref.tell({ type: 'periodic', key: 'p', label: 'beat', ms: 100 });
    ref.tell({ type: 'single', key: 's', label: 'late', ms: 150 });
    await scheduler.advance(100);
    assert.equal(await out.expectMessage(1), 'beat');
    ref.tell({ type: 'fail' });
    await scheduler.advance(2000);
    assert.equal(out.received, 0);
    assert.equal(await ref.ask<boolean>((replyTo) => ({ type: 'active', key: 'p', replyTo }), 100), false);
    await system.terminate();
  });

  it('drops a tick that reached the mailbox before a restart', async () => {
    const { system, scheduler, out, ref } = setup();
    ref.tell({ type: 'single', key: 's', label: 'stale', ms: 100 });
    ref.tell({ type: 'hold', ms: 150, then: 'fail' });
    await scheduler.advance(150);
    await scheduler.advance(1000);
    assert.equal(out.received, 0);
    await system.terminate();
  });

  it('sends the receive timeout message after the given idle time, pushed back by every message', async () => {
    const { system, scheduler, out, ref } = setup();
    ref.tell({ type: 'idle-after', ms: 1000 });
    await scheduler.advance(600);
    ref.tell({ type: 'poke' });
    await scheduler.advance(600);
    assert.equal(out.received, 0, 'the poke at 600 ms reset the idle clock');
    await scheduler.advance(400);
    assert.equal(await out.expectMessage(1), 'idle');
    assert.equal(scheduler.now(), 1600);
    await scheduler.advance(1000);
    assert.equal(await out.expectMessage(1), 'idle', 'it repeats while idle');
    ref.tell({ type: 'idle-after', ms: undefined });
    await scheduler.advance(5000);
    assert.equal(out.received, 0);
    await system.terminate();
  });
});
