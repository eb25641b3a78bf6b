import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Actor, props, type ActorRef, type SystemMessage } from '../../src/runtime/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { testSystem } from './support.js';

type M =
  | { type: 'watch'; ref: ActorRef; withMessage: boolean }
  | { type: 'unwatch'; ref: ActorRef }
  | { type: 'gone'; path: string };

class Watcher extends Actor<M> {
  constructor(context: ConstructorParameters<typeof Actor<M>>[0], private readonly out: ActorRef<string>) {
    super(context);
  }
  readonly receive = {
    watch: (m: { ref: ActorRef; withMessage: boolean }) => this.context.watch(m.ref, m.withMessage ? { type: 'gone', path: m.ref.path } : undefined),
    unwatch: (m: { ref: ActorRef }) => this.context.unwatch(m.ref),
    gone: (m: { path: string }) => this.out.tell(`message:${m.path}`),
  };
  override onTerminated(ref: ActorRef): void {
    this.out.tell(`hook:${ref.path}`);
  }
}

type N = { type: 'noop' };
class Idle extends Actor<N> {
  readonly receive = { noop: () => {} };
}

describe('death watch', () => {
  it('notifies a watcher once through onTerminated when the watched actor stops', async () => {
    const { system } = testSystem();
    const out = new TestProbe<string>(system);
    const watcher = system.spawn(props<M>((ctx) => new Watcher(ctx, out.ref)), 'watcher');
    const target = system.spawn(props<N>((ctx) => new Idle(ctx)), 'target');
    watcher.tell({ type: 'watch', ref: target, withMessage: false });
    watcher.tell({ type: 'watch', ref: target, withMessage: false });
    await out.expectNoMessage(1);
    target.sendSystem({ type: 'stop' });
    assert.equal(await out.expectMessage(), `hook:${target.path}`);
    await out.expectNoMessage(100);
    await system.terminate();
  });

  it('delivers the chosen message instead of calling onTerminated', async () => {
    const { system } = testSystem();
    const out = new TestProbe<string>(system);
    const watcher = system.spawn(props<M>((ctx) => new Watcher(ctx, out.ref)), 'watcher');
    const target = system.spawn(props<N>((ctx) => new Idle(ctx)), 'target');
    watcher.tell({ type: 'watch', ref: target, withMessage: true });
    await out.expectNoMessage(1);
    target.sendSystem({ type: 'stop' });
    assert.equal(await out.expectMessage(), `message:${target.path}`);
    await system.terminate();
  });

  it('sends nothing after unwatch', async () => {
    const { system } = testSystem();
    const out = new TestProbe<string>(system);
    const watcher = system.spawn(props<M>((ctx) => new Watcher(ctx, out.ref)), 'watcher');
    const target = system.spawn(props<N>((ctx) => new Idle(ctx)), 'target');
    watcher.tell({ type: 'watch', ref: target, withMessage: false });
    watcher.tell({ type: 'unwatch', ref: target });
    await out.expectNoMessage(1);
    target.sendSystem({ type: 'stop' });
    await new TestProbe(system).expectTerminated(target);
    await out.expectNoMessage(100);
    await system.terminate();
  });

  it('answers a watch of an already dead actor with Terminated at once', async () => {
    const { system } = testSystem();
    const out = new TestProbe<string>(system);
    const target = system.spawn(props<N>((ctx) => new Idle(ctx)), 'target');
    target.sendSystem({ type: 'stop' });
    await new TestProbe(system).expectTerminated(target);
    const watcher = system.spawn(props<M>((ctx) => new Watcher(ctx, out.ref)), 'watcher');
    watcher.tell({ type: 'watch', ref: target, withMessage: false });
    assert.equal(await out.expectMessage(), `hook:${target.path}`);
    await system.terminate();
  });

  it('works with a ref from a transport: watch goes out as a system message, Terminated comes back in', async () => {
    const { system } = testSystem();
    const out = new TestProbe<string>(system);
    const outbound: SystemMessage[] = [];
    const remote: ActorRef = {
      path: 'imlight://game-1/user/zone',
      tell: () => {},
      ask: (build, timeoutMs) => system.ask(remote, build, timeoutMs),
      sendSystem: (message) => void outbound.push(message),
    };
    const watcher = system.spawn(props<M>((ctx) => new Watcher(ctx, out.ref)), 'watcher');
    watcher.tell({ type: 'watch', ref: remote, withMessage: false });
    await out.expectNoMessage(1);
    assert.equal(outbound.length, 1);
    const watch = outbound[0]!;
    assert.equal(watch.type, 'watch');
    // The transport reports the remote actor's death (or the peer's loss) to the watcher it recorded.
    if (watch.type === 'watch') watch.watcher.sendSystem({ type: 'terminated', ref: remote });
    assert.equal(await out.expectMessage(), 'hook:imlight://game-1/user/zone');
    await system.terminate();
  });

  it('delivers a Terminated that arrives during a restart to the fresh instance', async () => {
    const { system, scheduler } = testSystem();
    const out = new TestProbe<string>(system);
    type R = { type: 'watch'; ref: ActorRef } | { type: 'fail' };
    let instances = 0;
    class SlowToStop extends Actor<N> {
      readonly receive = { noop: () => {} };
      override postStop(): Promise<void> {
        return new Promise((resolve) => scheduler.schedule(100, resolve));
      }
    }
    class Restarting extends Actor<R> {
      readonly id = ++instances;
      constructor(context: ConstructorParameters<typeof Actor<R>>[0]) {
        super(context);
        // A child slow to stop keeps this actor in the middle of its restart while the Terminated arrives.
        context.spawn(props<N>((ctx) => new SlowToStop(ctx)), 'slow');
      }
      readonly receive = {
        watch: (m: { ref: ActorRef }) => this.context.watch(m.ref),
        fail: () => {
          throw new Error('fail');
        },
      };
      override onTerminated(ref: ActorRef): void {
        out.ref.tell(`instance ${this.id} saw ${ref.path}`);
      }
    }
    const watcher = system.spawn(props<R>((ctx) => new Restarting(ctx)), 'watcher');
    const target = system.spawn(props<N>((ctx) => new Idle(ctx)), 'target');
    watcher.tell({ type: 'watch', ref: target });
    watcher.tell({ type: 'fail' });
    await out.expectNoMessage(10);
    target.sendSystem({ type: 'stop' });
    assert.equal(await out.expectMessage(1000), `instance 2 saw ${target.path}`);
    const terminated = system.terminate();
    await scheduler.advance(1000);
    await terminated;
  });

  it('tells the refs a stopping actor watched that it no longer watches them', async () => {
    const { system } = testSystem();
    const out = new TestProbe<string>(system);
    const outbound: SystemMessage[] = [];
    const remote: ActorRef = { path: 'imlight://p/user/r', tell: () => {}, ask: (b, t) => system.ask(remote, b, t), sendSystem: (m) => void outbound.push(m) };
    const watcher = system.spawn(props<M>((ctx) => new Watcher(ctx, out.ref)), 'watcher');
    watcher.tell({ type: 'watch', ref: remote, withMessage: false });
    await out.expectNoMessage(1);
    watcher.sendSystem({ type: 'stop' });
    await new TestProbe(system).expectTerminated(watcher);
    assert.deepEqual(outbound.map((m) => m.type), ['watch', 'unwatch']);
    await system.terminate();
  });
});
