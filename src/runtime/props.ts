import type { ActorContext } from './actor-context.js';
import type { Actor } from './actor.js';
import type { Message } from './message.js';

export interface MailboxOptions {
  readonly capacity: number;
  // drop-newest: the message that does not fit goes to dead letters. fail: it goes to dead letters and the actor fails.
  readonly overflow: 'drop-newest' | 'fail';
}

export interface PropsOptions {
  readonly mailbox?: MailboxOptions;
  // Maximum stashed messages; stash() beyond it fails the actor. Default 1000.
  readonly stashCapacity?: number;
  // Shown in snapshots; defaults to the actor class name.
  readonly kind?: string;
  // User messages one actor processes before other actors get a turn. Default 300.
  readonly throughput?: number;
}

export interface Props<M extends Message> {
  readonly create: (context: ActorContext<M>) => Actor<M>;
  readonly mailbox: MailboxOptions | undefined;
  readonly stashCapacity: number;
  readonly kind: string | undefined;
  readonly throughput: number;
}

export function props<M extends Message>(create: (context: ActorContext<M>) => Actor<M>, options: PropsOptions = {}): Props<M> {
  const mailbox = options.mailbox;
  if (mailbox !== undefined && !(Number.isInteger(mailbox.capacity) && mailbox.capacity > 0)) {
    throw new RangeError(`mailbox capacity must be a positive integer, got ${mailbox.capacity}`);
  }
  const stashCapacity = options.stashCapacity ?? 1000;
  const throughput = options.throughput ?? 300;
  if (!(stashCapacity >= 0)) throw new RangeError(`stashCapacity must be >= 0, got ${stashCapacity}`);
  if (!(Number.isInteger(throughput) && throughput > 0)) throw new RangeError(`throughput must be a positive integer, got ${throughput}`);
  return Object.freeze({ create, mailbox, stashCapacity, kind: options.kind, throughput });
}
