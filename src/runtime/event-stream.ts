import type { ActorRef } from './actor-ref.js';
import type { Directive } from './supervision.js';

export interface DeadLetterEvent {
  readonly recipient: string;
  readonly message: unknown;
  readonly sender: ActorRef | undefined;
  readonly reason: 'closed' | 'full' | 'no-actor' | 'unmatched-reply';
}
export interface LifecycleEvent {
  readonly path: string;
  readonly kind: string;
  readonly event: 'started' | 'restarted' | 'stopped';
}
export interface FailureEvent {
  readonly path: string;
  readonly error: unknown;
  readonly directive: Directive;
}
export interface UnhandledEvent {
  readonly recipient: string;
  readonly message: unknown;
}

export interface EventMap {
  'dead-letter': DeadLetterEvent;
  lifecycle: LifecycleEvent;
  failure: FailureEvent;
  unhandled: UnhandledEvent;
}
export type EventKind = keyof EventMap;

// Publish/subscribe of system events. Publishing with no subscriber costs one array-length check.
export class EventStream {
  readonly #subscribers: { [K in EventKind]: Array<(event: EventMap[K]) => void> } = {
    'dead-letter': [],
    lifecycle: [],
    failure: [],
    unhandled: [],
  };

  constructor(private readonly onSubscriberError: (error: unknown, kind: EventKind) => void = () => {}) {}

  subscribe<K extends EventKind>(kind: K, fn: (event: EventMap[K]) => void): () => void {
    // Copy on write, so a subscriber that unsubscribes during publish does not skip its neighbour.
    this.#subscribers[kind] = [...this.#subscribers[kind], fn] as any;
    return () => {
      this.#subscribers[kind] = (this.#subscribers[kind] as Array<(event: EventMap[K]) => void>).filter((f) => f !== fn) as any;
    };
  }

  hasSubscribers(kind: EventKind): boolean {
    return this.#subscribers[kind].length > 0;
  }

  publish<K extends EventKind>(kind: K, event: EventMap[K]): void {
    const list = this.#subscribers[kind] as Array<(event: EventMap[K]) => void>;
    for (const fn of list) {
      try {
        fn(event);
      } catch (error) {
        this.onSubscriberError(error, kind);
      }
    }
  }
}
