// Keeps the recent failures and dead letters of an actor system for the console. Only facts safe to show are kept:
// a dead letter's message type, never its contents (a message may carry a password hash or a key).
import type { DeadLetterEvent, FailureEvent } from '../runtime/index.js';
import type { AdminSystem } from './admin-sources.js';
import { RingBuffer } from './ring-buffer.js';

export interface FailureRecord {
  readonly at: number;
  readonly path: string;
  readonly error: string;
  readonly code?: string;
  readonly message: string;
  readonly directive: string;
}

export interface DeadLetterRecord {
  readonly at: number;
  readonly recipient: string;
  readonly messageType: string;
  readonly sender?: string;
  readonly reason: string;
}

const TEXT_LIMIT = 500;

function clip(text: string, limit = TEXT_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function describeError(error: unknown): { error: string; code?: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { error: clip(error.name, 100), message: clip(error.message), ...(typeof code === 'string' ? { code: clip(code, 100) } : {}) };
  }
  return { error: typeof error, message: clip(String(error)) };
}

function messageType(message: unknown): string {
  if (typeof message === 'object' && message !== null) {
    const type = (message as { type?: unknown }).type;
    if (typeof type === 'string') return clip(type, 100);
    return clip(message.constructor?.name ?? 'object', 100);
  }
  return typeof message;
}

export class EventRecorder {
  readonly failures: RingBuffer<FailureRecord>;
  readonly deadLetters: RingBuffer<DeadLetterRecord>;
  readonly #unsubscribes: Array<() => void>;

  constructor(system: AdminSystem, options: { capacity?: number; now?: () => number } = {}) {
    const capacity = options.capacity ?? 100;
    const now = options.now ?? Date.now;
    this.failures = new RingBuffer(capacity);
    this.deadLetters = new RingBuffer(capacity);
    this.#unsubscribes = [
      system.eventStream.subscribe('failure', (event: FailureEvent) => {
        this.failures.push({ at: now(), path: event.path, ...describeError(event.error), directive: String(event.directive) });
      }),
      system.eventStream.subscribe('dead-letter', (event: DeadLetterEvent) => {
        this.deadLetters.push({
          at: now(),
          recipient: event.recipient,
          messageType: messageType(event.message),
          ...(event.sender === undefined ? {} : { sender: event.sender.path }),
          reason: event.reason,
        });
      }),
    ];
  }

  close(): void {
    for (const unsubscribe of this.#unsubscribes) unsubscribe();
  }
}
