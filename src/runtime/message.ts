import type { ActorRef } from './actor-ref.js';

// Every actor message is a plain object with a string discriminator, so it can cross processes as data.
export interface Message {
  readonly type: string;
}

// One handler per message type; a missing or misspelled type is a compile error.
export type Handlers<M extends Message> = {
  readonly [K in M['type']]: (message: Extract<M, { type: K }>) => void | Promise<void>;
};

// The graceful stop: a user message that stops the actor when it reaches the head of the mailbox,
// so everything sent before it is processed first. Send it with `stopGracefully(ref)`.
export const POISON_PILL_TYPE = '@imlight/poison-pill';
export interface PoisonPill {
  readonly type: typeof POISON_PILL_TYPE;
}
export const PoisonPill: PoisonPill = Object.freeze({ type: POISON_PILL_TYPE });

export function stopGracefully(ref: ActorRef): void {
  ref.tell(PoisonPill);
}

// The forced failure: the actor that takes it fails with ActorKilledError, which the default strategy stops.
// Like PoisonPill it waits for its turn in the mailbox.
export const KILL_TYPE = '@imlight/kill';
export interface Kill {
  readonly type: typeof KILL_TYPE;
}
export const Kill: Kill = Object.freeze({ type: KILL_TYPE });

// The messages every actor understands without a handler, however they arrive: told, from a timer, as a receive
// timeout, piped or as a watch message.
export type ControlMessage = PoisonPill | Kill;
