// The one place a ref's message type is restated (docs/runtime.md, "Typed refs"). A ref's type is a promise made
// at compile time: a ref that came back inside a message (a child the pool spawned from props we gave it), or
// one resolved by path, carries the type of the protocol it travelled in, not of the actor behind it. The caller
// states what it knows; nothing is checked at run time, so use it only where the actor's props are in hand.
import type { ActorRef } from './actor-ref.js';
import type { Message } from './message.js';
import type { Props } from './props.js';

/** `ref` is the actor spawned from `spawnedFrom`: a ref of that actor's messages. */
export function refOfProps<M extends Message>(ref: ActorRef<never>, _spawnedFrom: Props<M>): ActorRef<M> {
  return ref as unknown as ActorRef<M>;
}
