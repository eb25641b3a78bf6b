// Counters of the networking layer. Plain numbers behind a small interface, so the ops code can
// read them (or mirror them into prom-client) without src/net depending on any metrics library.

/** What the servers, sessions and sockets report. Implement it to forward events elsewhere. */
export interface NetMetrics {
  connectionAccepted(): void;
  /** reason: 'max-connections' or 'session-ids-exhausted'. */
  connectionRefused(reason: string): void;
  sessionOpened(): void;
  sessionClosed(reason: string): void;
  messageIn(protocol: string): void;
  messageOut(protocol: string): void;
  bytesIn(count: number): void;
  bytesOut(count: number): void;
  /** code: the protocol error's stable code (ERR_FRAME_START, ERR_DML_TRUNCATED, ...). */
  protocolError(code: string): void;
  droppedForBackpressure(): void;
  serviceRestarted(service: string): void;
  /** A message service handled one client message in `seconds` (its promise settled, for an async handler). */
  messageHandled?(service: string, seconds: number): void;
  /**
   * A step a player waits on took `seconds`: `authenticate`, `character_list`, `select` (login server), `attach`
   * (game server). Timed by the services, so the figures include the store and the other actors they wait on.
   */
  stepTimed?(step: string, seconds: number): void;
}

export interface NetCountersSnapshot {
  connectionsAccepted: number;
  connectionsRefused: Record<string, number>;
  sessionsOpened: number;
  sessionsClosed: Record<string, number>;
  sessionsActive: number;
  messagesIn: Record<string, number>;
  messagesOut: Record<string, number>;
  bytesIn: number;
  bytesOut: number;
  protocolErrors: Record<string, number>;
  droppedForBackpressure: number;
  serviceRestarts: Record<string, number>;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** The default NetMetrics: in-memory counters, read with snapshot(). One instance may serve many servers. */
export class NetCounters implements NetMetrics {
  #accepted = 0;
  #opened = 0;
  #closedTotal = 0;
  #bytesIn = 0;
  #bytesOut = 0;
  #backpressure = 0;
  readonly #refused = new Map<string, number>();
  readonly #closed = new Map<string, number>();
  readonly #in = new Map<string, number>();
  readonly #out = new Map<string, number>();
  readonly #protocolErrors = new Map<string, number>();
  readonly #restarts = new Map<string, number>();

  connectionAccepted(): void {
    this.#accepted++;
  }
  connectionRefused(reason: string): void {
    bump(this.#refused, reason);
  }
  sessionOpened(): void {
    this.#opened++;
  }
  sessionClosed(reason: string): void {
    this.#closedTotal++;
    bump(this.#closed, reason);
  }
  messageIn(protocol: string): void {
    bump(this.#in, protocol);
  }
  messageOut(protocol: string): void {
    bump(this.#out, protocol);
  }
  bytesIn(count: number): void {
    this.#bytesIn += count;
  }
  bytesOut(count: number): void {
    this.#bytesOut += count;
  }
  protocolError(code: string): void {
    bump(this.#protocolErrors, code);
  }
  droppedForBackpressure(): void {
    this.#backpressure++;
  }
  serviceRestarted(service: string): void {
    bump(this.#restarts, service);
  }

  snapshot(): NetCountersSnapshot {
    return {
      connectionsAccepted: this.#accepted,
      connectionsRefused: Object.fromEntries(this.#refused),
      sessionsOpened: this.#opened,
      sessionsClosed: Object.fromEntries(this.#closed),
      sessionsActive: this.#opened - this.#closedTotal,
      messagesIn: Object.fromEntries(this.#in),
      messagesOut: Object.fromEntries(this.#out),
      bytesIn: this.#bytesIn,
      bytesOut: this.#bytesOut,
      protocolErrors: Object.fromEntries(this.#protocolErrors),
      droppedForBackpressure: this.#backpressure,
      serviceRestarts: Object.fromEntries(this.#restarts),
    };
  }
}
