// Messages the runtime puts in an actor's own user queue, so they keep their place in line.
// Their types are not in any actor's handlers, which sends them down the cell's slow path for checking.
export const TIMER_TICK = '@imlight/timer-tick';
export const RECEIVE_TIMEOUT_TICK = '@imlight/receive-timeout';

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
