import type { ActorRef } from './actor-ref.js';
import type { ActorSystem } from './actor-system.js';
import type { Logger } from './logger.js';
import type { ControlMessage, Handlers, Message } from './message.js';
import type { Props } from './props.js';

export interface TimerScheduler<M extends Message> {
  // Starting a key that is active replaces it; a tick of the replaced timer already queued is dropped.
  // PoisonPill and Kill may be scheduled too: they act as when told.
  startSingle(key: string, message: M | ControlMessage, delayMs: number): void;
  startPeriodic(key: string, message: M | ControlMessage, intervalMs: number): void;
  cancel(key: string): void;
  cancelAll(): void;
  isActive(key: string): boolean;
}

export type PipeResult<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface ReceiveTimeoutOptions<M extends Message> {
  // Message types that do not count as activity (Akka's NotInfluenceReceiveTimeout), e.g. a periodic tick.
  readonly ignore?: readonly M['type'][];
}

export interface ActorContext<M extends Message> {
  readonly self: ActorRef<M>;
  readonly parent: ActorRef;
  readonly system: ActorSystem;
  readonly path: string;
  readonly name: string;
  readonly log: Logger;
  // The sender of the message being handled; the dead-letters ref when it was told without one.
  readonly sender: ActorRef;
  spawn<C extends Message>(props: Props<C>, name: string): ActorRef<C>;
  child(name: string): ActorRef | undefined;
  readonly children: readonly ActorRef[];
  stop(ref?: ActorRef): void;
  watch(ref: ActorRef, message?: M): void;
  unwatch(ref: ActorRef): void;
  become(handlers: Partial<Handlers<M>>, options?: { discardOld?: boolean }): void;
  unbecome(): void;
  stash(): void;
  unstashAll(): void;
  // Drops every stashed message and returns them, oldest first.
  clearStash(): unknown[];
  // Tells `target` the message with the current message's sender, so its reply goes to the original asker.
  forward<T>(target: ActorRef<T>, message: T): void;
  readonly timers: TimerScheduler<M>;
  setReceiveTimeout(ms: number | undefined, message?: M | ControlMessage, options?: ReceiveTimeoutOptions<M>): void;
  pipeToSelf<T>(promise: Promise<T>, map: (result: PipeResult<T>) => M | ControlMessage): void;
  // A promise's outcome mapped to a message for any ref, told with `sender` (default: none).
  pipeTo<T, R>(promise: Promise<T>, recipient: ActorRef<R>, map: (result: PipeResult<T>) => R, sender?: ActorRef): void;
}
