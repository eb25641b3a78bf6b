import type { TimerScheduler } from './actor-context.js';
import { TimerTick } from './internal-messages.js';
import type { ControlMessage, Message } from './message.js';
import type { Scheduler } from './scheduler.js';
import type { Cancellable } from './timer-heap.js';

export interface TimerOwner {
  readonly incarnation: number;
  enqueueSelf(message: unknown): void;
}

interface ActiveTimer {
  readonly generation: number;
  readonly periodic: boolean;
  handle: Cancellable;
}

// Keyed timers of one actor. A tick carries its key, generation and the owner's incarnation; a tick whose timer
// was cancelled, replaced or outlived by a restart is dropped when it reaches the head of the mailbox.
export class Timers<M extends Message> implements TimerScheduler<M> {
  readonly #active = new Map<string, ActiveTimer>();
  #generation = 0;

  constructor(private readonly owner: TimerOwner, private readonly scheduler: Scheduler) {}

  startSingle(key: string, message: M | ControlMessage, delayMs: number): void {
    this.#start(key, message, delayMs, false);
  }

  startPeriodic(key: string, message: M | ControlMessage, intervalMs: number): void {
    if (!(intervalMs > 0)) throw new RangeError(`a periodic timer needs an interval above 0 ms, got ${intervalMs}`);
    this.#start(key, message, intervalMs, true);
  }

  cancel(key: string): void {
    const timer = this.#active.get(key);
    if (timer === undefined) return;
    timer.handle.cancel();
    this.#active.delete(key);
  }

  cancelAll(): void {
    for (const timer of this.#active.values()) timer.handle.cancel();
    this.#active.clear();
  }

  isActive(key: string): boolean {
    return this.#active.has(key);
  }

  // Whether a tick that reached the head of the mailbox is still current; a single timer ends when delivered.
  accept(tick: TimerTick): boolean {
    const timer = this.#active.get(tick.key);
    if (timer === undefined || timer.generation !== tick.generation || tick.incarnation !== this.owner.incarnation) return false;
    if (!timer.periodic) this.#active.delete(tick.key);
    return true;
  }

  #start(key: string, message: M | ControlMessage, delayMs: number, periodic: boolean): void {
    this.cancel(key);
    const generation = ++this.#generation;
    const tick = new TimerTick(key, generation, this.owner.incarnation, message);
    const fire = (): void => {
      const timer = this.#active.get(key);
      if (timer === undefined || timer.generation !== generation) return;
      if (periodic) timer.handle = this.scheduler.schedule(delayMs, fire);
      this.owner.enqueueSelf(tick);
    };
    this.#active.set(key, { generation, periodic, handle: this.scheduler.schedule(delayMs, fire) });
  }
}
