import type { ActorRef } from './actor-ref.js';
import type { ActorSystem } from './actor-system.js';
import type { Logger } from './logger.js';
import type { Handlers, Message } from './message.js';
import type { Props } from './props.js';

export interface TimerScheduler<M extends Message> {
  // Starting a key that is active replaces it; a tick of the replaced timer already queued is dropped.
  startSingle(key: string, message: M, delayMs: number): void;
  startPeriodic(key: string, message: M, intervalMs: number): void;
  cancel(key: string): void;
  cancelAll(): void;
  isActive(key: string): boolean;
}

export type PipeResult<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface ActorContext<M extends Message> {
  readonly self: ActorRef<M>;
  readonly parent: ActorRef;
  readonly system: ActorSystem;
  readonly path: string;
  readonly name: string;
  readonly log: Logger;
  // The sender of the message being handled, if it gave one.
  readonly sender: ActorRef | undefined;
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
  readonly timers: TimerScheduler<M>;
  setReceiveTimeout(ms: number | undefined, message?: M): void;
  pipeToSelf<T>(promise: Promise<T>, map: (result: PipeResult<T>) => M): void;
}
