import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Actor, AskTimeoutError, DeadLetterError, props, type ActorRef } from '../../src/runtime/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { testSystem } from './support.js';

type M = { type: 'echo'; text: string; replyTo: ActorRef<string> } | { type: 'ignore'; replyTo: ActorRef<string> } | { type: 'twice'; replyTo: ActorRef<string> };

class Echo extends Actor<M> {
  readonly receive = {
    echo: (m: { text: string; replyTo: ActorRef<string> }) => m.replyTo.tell(m.text),
    ignore: () => {},
    twice: (m: { replyTo: ActorRef<string> }) => {
      m.replyTo.tell('first');
      m.replyTo.tell('second');
    },
  };
}

describe('ask', () => {
  it('resolves with the reply', async () => {
    const { system } = testSystem();
    const echo = system.spawn(props<M>((ctx) => new Echo(ctx)), 'echo');
    assert.equal(await echo.ask<string>((replyTo) => ({ type: 'echo', text: 'hi', replyTo }), 1000), 'hi');
    await system.terminate();
  });

  it('times out on virtual time with the target path and the elapsed time', async () => {
    const { system, scheduler } = testSystem();
    const echo = system.spawn(props<M>((ctx) => new Echo(ctx)), 'echo');
    const pending = echo.ask<string>((replyTo) => ({ type: 'ignore', replyTo }), 250);
    const outcome = pending.then(() => undefined, (error: unknown) => error);
    await scheduler.advance(249);
    assert.equal(await Promise.race([outcome, Promise.resolve('still pending')]), 'still pending');
    await scheduler.advance(1);
    const error = await outcome;
    assert.ok(error instanceof AskTimeoutError);
    assert.equal(error.code, 'ERR_ASK_TIMEOUT');
    assert.equal(error.targetPath, echo.path);
    assert.equal(error.elapsedMs, 250);
    assert.match(error.message, /imlight:\/\/test\/user\/echo.*250 ms/);
    await system.terminate();
  });

  it('fails fast with a dead-letter error when the target is already dead', async () => {
    const { system, scheduler } = testSystem();
    const echo = system.spawn(props<M>((ctx) => new Echo(ctx)), 'echo');
    echo.sendSystem({ type: 'stop' });
    await new TestProbe(system).expectTerminated(echo);
    const before = scheduler.now();
    const error = await echo.ask<string>((replyTo) => ({ type: 'echo', text: 'x', replyTo }), 60_000).catch((e: unknown) => e);
    assert.ok(error instanceof DeadLetterError);
    assert.equal(error.code, 'ERR_ASK_DEAD_LETTER');
    assert.equal(error.targetPath, echo.path);
    assert.equal(scheduler.now(), before, 'no virtual time passed');
    await system.terminate();
  });

  it('fails with a dead-letter error when the target stops before reading the question', async () => {
    const { system } = testSystem();
    const echo = system.spawn(props<M>((ctx) => new Echo(ctx)), 'echo');
    const pending = echo.ask<string>((replyTo) => ({ type: 'echo', text: 'x', replyTo }), 60_000);
    echo.sendSystem({ type: 'stop' });
    await assert.rejects(pending, DeadLetterError);
    await system.terminate();
  });

  it('sends a second reply to dead letters', async () => {
    const { system } = testSystem();
    const echo = system.spawn(props<M>((ctx) => new Echo(ctx)), 'echo');
    assert.equal(await echo.ask<string>((replyTo) => ({ type: 'twice', replyTo }), 1000), 'first');
    assert.equal(system.deadLetterCount, 1);
    await system.terminate();
  });

  it('refuses an ask without a usable timeout', async () => {
    const { system } = testSystem();
    const echo = system.spawn(props<M>((ctx) => new Echo(ctx)), 'echo');
    for (const bad of [0, -1, Number.NaN, Infinity]) {
      await assert.rejects(echo.ask<string>((replyTo) => ({ type: 'ignore', replyTo }), bad), { code: 'ERR_INVALID_TIMEOUT' });
    }
    await system.terminate();
  });
});
