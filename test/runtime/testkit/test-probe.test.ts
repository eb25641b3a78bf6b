import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActorSystem, ProbeTimeoutError, silentLogger, UnexpectedMessageError } from '../../../src/runtime/index.js';
import { TestProbe, VirtualScheduler } from '../../../src/runtime/testkit/index.js';
import { testSystem } from '../support.js';

describe('TestProbe', () => {
  it('expectMessage returns messages in order and remembers the sender', async () => {
    const { system } = testSystem();
    const probe = new TestProbe<string>(system);
    const other = new TestProbe<string>(system);
    probe.ref.tell('one', other.ref);
    probe.ref.tell('two');
    assert.equal(await probe.expectMessage(), 'one');
    probe.reply('back');
    assert.equal(await other.expectMessage(), 'back');
    assert.equal(await probe.expectMessage(), 'two');
    await system.terminate();
  });

  it('expectMessage fails after its timeout in virtual time, without waiting in real time', async () => {
    const { system, scheduler } = testSystem();
    const probe = new TestProbe(system);
    await assert.rejects(probe.expectMessage(60_000), ProbeTimeoutError);
    assert.equal(scheduler.now(), 60_000);
    await system.terminate();
  });

  it('expectMessage stops virtual time at the moment the message arrives', async () => {
    const { system, scheduler } = testSystem();
    const probe = new TestProbe<string>(system);
    scheduler.schedule(700, () => probe.ref.tell('late'));
    scheduler.schedule(900, () => probe.ref.tell('later'));
    assert.equal(await probe.expectMessage(5000), 'late');
    assert.equal(scheduler.now(), 700);
    await system.terminate();
  });

  it('expectNoMessage fails when a message arrives within the span', async () => {
    const { system, scheduler } = testSystem();
    const probe = new TestProbe<string>(system);
    scheduler.schedule(50, () => probe.ref.tell('surprise'));
    await assert.rejects(probe.expectNoMessage(100), UnexpectedMessageError);
    await system.terminate();
  });

  it('fishForMessage skips messages until one matches', async () => {
    const { system } = testSystem();
    const probe = new TestProbe<number>(system);
    for (const n of [1, 3, 4, 5]) probe.ref.tell(n);
    assert.equal(await probe.fishForMessage((n) => n % 2 === 0), 4);
    assert.equal(await probe.expectMessage(), 5);
    await system.terminate();
  });

  it('works on the real scheduler too', async () => {
    const system = ActorSystem.create('real', { logger: silentLogger });
    assert.ok(!(system.scheduler instanceof VirtualScheduler));
    const probe = new TestProbe<string>(system);
    setTimeout(() => probe.ref.tell('tick'), 5);
    assert.equal(await probe.expectMessage(2000), 'tick');
    await assert.rejects(probe.expectMessage(10), ProbeTimeoutError);
    await system.terminate();
  });
});
