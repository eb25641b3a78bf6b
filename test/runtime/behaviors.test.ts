import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Actor, props, type ActorRef, type FailureEvent, type UnhandledEvent } from '../../src/runtime/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { testSystem } from './support.js';

type M = { type: 'open' } | { type: 'close' } | { type: 'use'; n: number } | { type: 'peek' } | { type: 'back' };

class Door extends Actor<M> {
  constructor(context: ConstructorParameters<typeof Actor<M>>[0], private readonly out: ActorRef<string>) {
    super(context);
  }
  readonly receive = {
    open: () => {
      this.context.become({
        use: (m) => this.out.tell(`used ${m.n}`),
        close: () => {
          this.context.unbecome();
          this.context.unstashAll();
        },
        peek: () => this.context.become({ back: () => this.context.unbecome(), use: () => this.out.tell('peeking') }, { discardOld: false }),
      });
      this.context.unstashAll();
    },
    close: () => {},
    use: () => this.context.stash(),
    peek: () => this.out.tell('closed'),
    back: () => {},
  };
}

describe('behaviors', () => {
  it('stashes while closed and replays the stash in order after become', async () => {
    const { system } = testSystem();
    const out = new TestProbe<string>(system);
    const door = system.spawn(props<M>((ctx) => new Door(ctx, out.ref)), 'door');
    door.tell({ type: 'use', n: 1 });
    door.tell({ type: 'use', n: 2 });
    await out.expectNoMessage(1);
    door.tell({ type: 'open' });
    door.tell({ type: 'use', n: 3 });
    assert.deepEqual([await out.expectMessage(), await out.expectMessage(), await out.expectMessage()], ['used 1', 'used 2', 'used 3']);
    await system.terminate();
  });

  it('unbecome returns to the previous behavior on a stack when discardOld is false', async () => {
    const { system } = testSystem();
    const out = new TestProbe<string>(system);
    const door = system.spawn(props<M>((ctx) => new Door(ctx, out.ref)), 'door');
    door.tell({ type: 'open' });
    door.tell({ type: 'peek' });
    door.tell({ type: 'use', n: 1 });
    door.tell({ type: 'back' });
    door.tell({ type: 'use', n: 2 });
    door.tell({ type: 'close' });
    door.tell({ type: 'peek' });
    assert.deepEqual([await out.expectMessage(), await out.expectMessage(), await out.expectMessage()], ['peeking', 'used 2', 'closed']);
    await system.terminate();
  });

  it('publishes a message the current behavior does not handle as unhandled', async () => {
    const { system } = testSystem();
    const out = new TestProbe<string>(system);
    const unhandled: UnhandledEvent[] = [];
    system.eventStream.subscribe('unhandled', (e) => unhandled.push(e));
    const door = system.spawn(props<M>((ctx) => new Door(ctx, out.ref)), 'door');
    door.tell({ type: 'open' });
    door.tell({ type: 'back' });
    (door as ActorRef).tell({ type: 'toString' });
    (door as ActorRef).tell({ type: 'constructor' });
    await out.expectNoMessage(1);
    assert.deepEqual(unhandled.map((u) => (u.message as { type: string }).type), ['back', 'toString', 'constructor']);
    await system.terminate();
  });

  it('fails the actor when the stash is over its bound', async () => {
    const { system } = testSystem();
    const out = new TestProbe<string>(system);
    const failures: FailureEvent[] = [];
    system.eventStream.subscribe('failure', (e) => failures.push(e));
    const door = system.spawn(props<M>((ctx) => new Door(ctx, out.ref), { stashCapacity: 2 }), 'door');
    door.tell({ type: 'use', n: 1 });
    door.tell({ type: 'use', n: 2 });
    door.tell({ type: 'use', n: 3 });
    await out.expectNoMessage(1);
    assert.equal(failures.length, 1);
    assert.equal((failures[0]!.error as { code?: string }).code, 'ERR_STASH_OVERFLOW');
    // The restart replays what was stashed into the fresh instance, which stashes it again.
    door.tell({ type: 'open' });
    assert.deepEqual([await out.expectMessage(), await out.expectMessage()], ['used 1', 'used 2']);
    await system.terminate();
  });
});
