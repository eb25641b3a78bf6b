import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActorRef, SystemMessage } from '../../src/runtime/actor-ref.js';
import { Dispatcher } from '../../src/runtime/dispatcher.js';
import { BoundedMailbox, Mailbox, type MessageInvoker } from '../../src/runtime/mailbox.js';
import { settle } from '../../src/runtime/testkit/index.js';

class FakeInvoker implements MessageInvoker {
  readonly log: string[] = [];
  readonly failures: Array<[unknown, unknown]> = [];
  readonly rejections: Array<[unknown, string]> = [];
  onUser: (message: unknown) => unknown = () => undefined;
  onSystem: (message: SystemMessage) => unknown = () => undefined;
  invokeSystem(message: SystemMessage): unknown {
    this.log.push(`sys:${message.type}`);
    return this.onSystem(message);
  }
  invokeUser(message: unknown, _sender: ActorRef | undefined): unknown {
    this.log.push(`user:${String(message)}`);
    return this.onUser(message);
  }
  invocationFailed(error: unknown, message: unknown): void {
    this.failures.push([error, message]);
  }
  rejected(message: unknown, _sender: ActorRef | undefined, reason: 'closed' | 'full'): void {
    this.rejections.push([message, reason]);
  }
}

describe('Mailbox', () => {
  it('runs queued system messages before user messages that were queued earlier', async () => {
    const invoker = new FakeInvoker();
    const mailbox = new Mailbox(invoker, new Dispatcher(), 300);
    mailbox.post('a', undefined);
    mailbox.post('b', undefined);
    mailbox.postSystem({ type: 'stop' });
    await settle();
    assert.deepEqual(invoker.log, ['sys:stop', 'user:a', 'user:b']);
  });

  it('re-checks system messages after each user message', async () => {
    const invoker = new FakeInvoker();
    const mailbox = new Mailbox(invoker, new Dispatcher(), 300);
    invoker.onUser = (m) => {
      if (m === 'a') mailbox.postSystem({ type: 'resume' });
    };
    mailbox.post('a', undefined);
    mailbox.post('b', undefined);
    await settle();
    assert.deepEqual(invoker.log, ['user:a', 'sys:resume', 'user:b']);
  });

  it('processes synchronous handlers in one run, with no promise or microtask per message', () => {
    const invoker = new FakeInvoker();
    const ran: Array<{ run(): number }> = [];
    const dispatcher = { schedule: (m: { run(): number }) => ran.push(m) } as unknown as Dispatcher;
    const mailbox = new Mailbox(invoker, dispatcher, 1000);
    for (let i = 0; i < 500; i++) mailbox.post(i, undefined);
    assert.equal(ran.length, 1, 'scheduled once, on idle -> busy');
    assert.equal(mailbox.run(), 500, 'all processed synchronously inside one run()');
    assert.equal(mailbox.processed, 500);
  });

  it('stops at the throughput limit and requeues itself behind other mailboxes', async () => {
    const invoker = new FakeInvoker();
    const other = new FakeInvoker();
    const dispatcher = new Dispatcher();
    const busy = new Mailbox(invoker, dispatcher, 3);
    const quiet = new Mailbox(other, dispatcher, 3);
    for (let i = 0; i < 7; i++) busy.post(i, undefined);
    quiet.post('q', undefined);
    const order: string[] = [];
    invoker.onUser = (m) => void order.push(`busy${String(m)}`);
    other.onUser = (m) => void order.push(String(m));
    await settle();
    assert.deepEqual(order, ['busy0', 'busy1', 'busy2', 'q', 'busy3', 'busy4', 'busy5', 'busy6']);
  });

  it('does not start the next message until a returned promise settles', async () => {
    const invoker = new FakeInvoker();
    const mailbox = new Mailbox(invoker, new Dispatcher(), 300);
    let release!: () => void;
    invoker.onUser = (m) => (m === 'slow' ? new Promise<void>((resolve) => (release = resolve)) : undefined);
    mailbox.post('slow', undefined);
    mailbox.post('next', undefined);
    await settle();
    mailbox.postSystem({ type: 'stop' });
    await settle();
    assert.deepEqual(invoker.log, ['user:slow']);
    release();
    await settle();
    assert.deepEqual(invoker.log, ['user:slow', 'sys:stop', 'user:next']);
  });

  it('reports a synchronous throw and a rejection the same way, with the failing message', async () => {
    const invoker = new FakeInvoker();
    const mailbox = new Mailbox(invoker, new Dispatcher(), 300);
    const sync = new Error('sync');
    const async = new Error('async');
    invoker.onUser = (m) => {
      if (m === 'throw') throw sync;
      if (m === 'reject') return Promise.reject(async);
      return undefined;
    };
    mailbox.post('throw', undefined);
    mailbox.post('reject', undefined);
    await settle();
    assert.deepEqual(invoker.failures, [[sync, 'throw'], [async, 'reject']]);
  });

  it('holds user messages while suspended but still runs system messages', async () => {
    const invoker = new FakeInvoker();
    const mailbox = new Mailbox(invoker, new Dispatcher(), 300);
    mailbox.suspend();
    mailbox.post('a', undefined);
    mailbox.postSystem({ type: 'resume' });
    await settle();
    assert.deepEqual(invoker.log, ['sys:resume']);
    mailbox.resume();
    await settle();
    assert.deepEqual(invoker.log, ['sys:resume', 'user:a']);
  });

  it('hands leftovers to dead letters on close and rejects later posts', async () => {
    const invoker = new FakeInvoker();
    const mailbox = new Mailbox(invoker, new Dispatcher(), 300);
    mailbox.suspend();
    mailbox.post('a', undefined);
    const leftovers: unknown[] = [];
    mailbox.close((m) => leftovers.push(m), () => {});
    mailbox.post('b', undefined);
    assert.deepEqual(leftovers, ['a']);
    assert.deepEqual(invoker.rejections, [['b', 'closed']]);
  });

  it('a bounded mailbox rejects the newest message when full', async () => {
    const invoker = new FakeInvoker();
    const mailbox = new BoundedMailbox(invoker, new Dispatcher(), 300, 2);
    mailbox.post(1, undefined);
    mailbox.post(2, undefined);
    mailbox.post(3, undefined);
    await settle();
    assert.deepEqual(invoker.log, ['user:1', 'user:2']);
    assert.deepEqual(invoker.rejections, [[3, 'full']]);
  });
});
