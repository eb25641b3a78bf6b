// Compile-time checks: every `@ts-expect-error` line must fail to type-check, so `tsc --noEmit` breaks if the
// runtime's types ever start accepting a wrong message.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Actor, props, type ActorRef } from '../../src/runtime/index.js';
import { testSystem } from './support.js';

type Greeting = { type: 'hello'; name: string } | { type: 'bye' } | { type: 'ask-name'; replyTo: ActorRef<string> };

class Greeter extends Actor<Greeting> {
  readonly receive = {
    hello: (m: { name: string }) => void m.name.toUpperCase(),
    bye: () => {},
    'ask-name': (m: { replyTo: ActorRef<string> }) => m.replyTo.tell('greeter'),
  };
}

class MissingHandler extends Actor<Greeting> {
  // @ts-expect-error a handler is missing ('bye')
  override readonly receive = {
    hello: () => {},
    'ask-name': () => {},
  };
}

class WrongPayload extends Actor<Greeting> {
  // @ts-expect-error the handler reads a field the message does not have
  override readonly receive = {
    hello: (m: { age: number }) => void m.age,
    bye: () => {},
    'ask-name': () => {},
  };
}

describe('typed messages', () => {
  it('accepts the declared messages and rejects others at compile time', async () => {
    const { system } = testSystem();
    const ref: ActorRef<Greeting> = system.spawn(props<Greeting>((ctx) => new Greeter(ctx)), 'greeter');
    ref.tell({ type: 'hello', name: 'Ann' });
    ref.tell({ type: 'bye' });
    // @ts-expect-error unknown message type
    ref.tell({ type: 'hullo', name: 'Ann' });
    // @ts-expect-error known type, missing field
    ref.tell({ type: 'hello' });
    // @ts-expect-error known type, wrong field type
    ref.tell({ type: 'hello', name: 42 });
    // @ts-expect-error not a message at all
    ref.tell('hello');
    const name = await ref.ask<string>((replyTo) => ({ type: 'ask-name', replyTo }), 1000);
    // @ts-expect-error the reply is typed by ask's type argument
    const wrong: number = name;
    // @ts-expect-error the ask must build a message of the target's type
    void ref.ask<string>((replyTo) => ({ type: 'unknown', replyTo }), 1000).catch(() => {});
    // @ts-expect-error the reply slot accepts only the reply type
    void ref.ask<string>((replyTo) => (replyTo.tell(5), { type: 'bye' }), 1000).catch(() => {});
    // @ts-expect-error props must create an actor of the same message type
    props<{ type: 'other' }>((ctx) => new Greeter(ctx));
    assert.equal(name, 'greeter');
    assert.equal(typeof wrong, 'string');
    assert.ok(MissingHandler && WrongPayload);
    await system.terminate();
  });
});
