// Messages the runtime puts in an actor's own user queue, so they keep their place in line.
// Their types are not in any actor's handlers, which sends them down the cell's slow path for checking.
export const TIMER_TICK = '@imlight/timer-tick';
export const RECEIVE_TIMEOUT_TICK = '@imlight/receive-timeout';
export const WATCH_MESSAGE = '@imlight/watch-message';

export class TimerTick {
  readonly type = TIMER_TICK;
  constructor(
    readonly key: string,
    readonly generation: number,
    readonly incarnation: number,
    readonly message: unknown,
  ) {}
}

export class ReceiveTimeoutTick {
  readonly type = RECEIVE_TIMEOUT_TICK;
  constructor(readonly generation: number, readonly incarnation: number) {}
}

// The message chosen in watch(ref, message), queued when `ref` terminated; dropped on arrival if unwatch(ref)
// came first.
export class WatchMessage {
  readonly type = WATCH_MESSAGE;
  constructor(readonly ref: { readonly path: string }, readonly message: unknown) {}
}

// The user message an internal envelope carries, for deciding whether it resets the receive timeout.
export function innerMessage(message: any): any {
  return message instanceof TimerTick || message instanceof WatchMessage ? message.message : message;
}
