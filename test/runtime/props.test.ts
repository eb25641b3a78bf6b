import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Actor, props, type ActorRef, type DeadLetterEvent, type FailureEvent } from '../../src/runtime/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { testSystem } from './support.js';

type M = { type: 'item'; n: number };
class Sink extends Actor<M> {
  constructor(context: ConstructorParameters<typeof Actor<M>>[0], private readonly out: ActorRef<number>) {
    super(context);
  }
  readonly receive = { item: (m: { n: number }) => this.out.tell(m.n) };
}

describe('props', () => {
  it('a bounded mailbox with drop-newest sends what does not fit to dead letters', async () => {
    const { system } = testSystem();
    const out = new TestProbe<number>(system);
    const dead: DeadLetterEvent[] = [];
    system.eventStream.subscribe('dead-letter', (e) => dead.push(e));
    const sink = system.spawn(props<M>((ctx) => new Sink(ctx, out.ref), { mailbox: { capacity: 3, overflow: 'drop-newest' } }), 'sink');
    for (let n = 1; n <= 5; n++) sink.tell({ type: 'item', n });
    assert.deepEqual([await out.expectMessage(), await out.expectMessage(), await out.expectMessage()], [1, 2, 3]);
    await out.expectNoMessage(10);
    assert.deepEqual(dead.map((d) => [(d.message as M).n, d.reason]), [[4, 'full'], [5, 'full']]);
    await system.terminate();
  });

  it('a bounded mailbox with fail fails the actor on overflow, and the supervisor decides', async () => {
    const { system } = testSystem();
    const out = new TestProbe<number>(system);
    const failures: FailureEvent[] = [];
    system.eventStream.subscribe('failure', (e) => failures.push(e));
    const sink = system.spawn(props<M>((ctx) => new Sink(ctx, out.ref), { mailbox: { capacity: 2, overflow: 'fail' } }), 'sink');
    for (let n = 1; n <= 4; n++) sink.tell({ type: 'item', n });
    await out.expectMessage();
    await out.expectMessage();
    assert.equal(failures.length, 1);
    assert.equal((failures[0]!.error as { code?: string }).code, 'ERR_MAILBOX_OVERFLOW');
    assert.equal(system.deadLetterCount, 2);
    await system.terminate();
  });

  it('rejects invalid options when the props are made, not per message', () => {
    const make = (ctx: ConstructorParameters<typeof Actor<M>>[0]) => new Sink(ctx, undefined as never);
    assert.throws(() => props<M>(make, { mailbox: { capacity: 0, overflow: 'fail' } }), RangeError);
    assert.throws(() => props<M>(make, { throughput: 0 }), RangeError);
  });
});
