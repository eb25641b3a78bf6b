import type { DeadLetterEvent } from './event-stream.js';
import type { Logger } from './logger.js';
import type { Scheduler } from './scheduler.js';

export interface DeadLetterLogOptions {
  // Dead letters logged one by one before logging pauses. Default 10; 0 logs none.
  readonly limit?: number;
  // How long logging pauses once `limit` lines were written; the first dead letter after it says how many were
  // not logged meanwhile. Default 5 minutes.
  readonly suspendMs?: number;
}

// Logs dead letters at info level, throttled like Akka's dead-letter listener: `limit` lines, then a pause of
// `suspendMs`, then a line with the count not logged, and so on. Every dead letter is still counted and published.
export class DeadLetterLog {
  readonly #limit: number;
  readonly #suspendMs: number;
  #logged = 0;
  #notLogged = 0;
  #suspendedUntil = 0;

  constructor(private readonly log: Logger, private readonly scheduler: Scheduler, options: DeadLetterLogOptions = {}) {
    this.#limit = options.limit ?? 10;
    this.#suspendMs = options.suspendMs ?? 300_000;
    if (!(Number.isInteger(this.#limit) && this.#limit >= 0)) throw new RangeError(`dead-letter log limit must be an integer >= 0, got ${this.#limit}`);
    if (!(this.#suspendMs >= 0)) throw new RangeError(`dead-letter log suspendMs must be >= 0, got ${this.#suspendMs}`);
  }

  record(event: DeadLetterEvent, total: number): void {
    if (this.#limit === 0) return;
    if (this.#logged >= this.#limit) {
      if (this.scheduler.now() < this.#suspendedUntil) {
        this.#notLogged++;
        return;
      }
      this.#logged = 0;
    }
    this.#logged++;
    const fields: Record<string, unknown> = {
      recipient: event.recipient,
      sender: event.sender?.path,
      messageType: (event.message as { type?: unknown } | null | undefined)?.type,
      reason: event.reason,
      deadLetters: total,
    };
    if (this.#notLogged > 0) {
      fields['notLogged'] = this.#notLogged;
      this.#notLogged = 0;
    }
    if (this.#logged < this.#limit) {
      this.log.info(fields, 'dead letter: message not delivered');
      return;
    }
    this.#suspendedUntil = this.scheduler.now() + this.#suspendMs;
    this.log.info({ ...fields, pauseMs: this.#suspendMs }, 'dead letter: message not delivered; pausing dead-letter logging');
  }
}
