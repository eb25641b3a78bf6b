// The write side of a session's socket: coalesces frames into one flush per event-loop turn, honours
// write() returning false by waiting for 'drain', and bounds what a slow reader can make us hold.
import type { Socket } from 'node:net';

export interface SocketWriterOptions {
  /** Bytes held for the peer (our queue plus the socket's own buffer) past which it is dropped. */
  readonly capBytes: number;
  /** A queue this large is flushed at once instead of at the end of the microtask. */
  readonly flushBytes: number;
  readonly metrics?: { bytesOut(count: number): void };
}

export class SocketWriter {
  readonly #socket: Socket;
  readonly #cap: number;
  readonly #flushBytes: number;
  readonly #metrics: { bytesOut(count: number): void } | undefined;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #scheduled = false;
  #waitingForDrain = false;
  #ended = false;
  // Bound methods rather than arrow fields: under tsx each named arrow costs a property table.
  readonly #flush = this.flush.bind(this);
  readonly #onDrain = this.#drained.bind(this);

  constructor(socket: Socket, options: SocketWriterOptions) {
    this.#socket = socket;
    this.#cap = options.capBytes;
    this.#flushBytes = options.flushBytes;
    this.#metrics = options.metrics;
  }

  /** Our queue plus the socket's buffer: everything held in memory for this peer. */
  get heldBytes(): number {
    return this.#queuedBytes + this.#socket.writableLength;
  }

  get waitingForDrain(): boolean {
    return this.#waitingForDrain;
  }

  /**
   * Queues one frame. Returns false, keeping nothing, when that would hold more than the cap for
   * this peer: the caller then drops the session.
   */
  write(frame: Buffer): boolean {
    if (this.#ended) return true;
    if (this.#queuedBytes + frame.length + this.#socket.writableLength > this.#cap) return false;
    this.#queue.push(frame);
    this.#queuedBytes += frame.length;
    this.#scheduleFlush();
    return true;
  }

  #scheduleFlush(): void {
    if (this.#waitingForDrain) return;
    if (this.#queuedBytes >= this.#flushBytes) {
      this.flush();
    } else if (!this.#scheduled) {
      this.#scheduled = true;
      // At the end of this event-loop turn, not of this microtask: the replies of one client message
      // often come from several actors and store calls (microtasks of the same turn), and each
      // write is a system call, the dearest part of a small exchange.
      setImmediate(this.#flush);
    }
  }

  /** Queues the pieces of one frame, all or none (see write). */
  writeParts(parts: readonly Buffer[]): boolean {
    if (this.#ended) return true;
    let bytes = 0;
    for (const part of parts) bytes += part.length;
    if (this.#queuedBytes + bytes + this.#socket.writableLength > this.#cap) return false;
    for (const part of parts) this.#queue.push(part);
    this.#queuedBytes += bytes;
    this.#scheduleFlush();
    return true;
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#waitingForDrain || this.#queue.length === 0 || this.#socket.destroyed) return;
    const queue = this.#queue;
    const bytes = this.#queuedBytes;
    this.#queue = [];
    this.#queuedBytes = 0;
    let more: boolean;
    if (queue.length === 1) {
      more = this.#socket.write(queue[0]!);
    } else {
      // One writev for the batch instead of a syscall per frame.
      this.#socket.cork();
      more = true;
      for (const frame of queue) more = this.#socket.write(frame);
      this.#socket.uncork();
    }
    this.#metrics?.bytesOut(bytes);
    if (!more) {
      this.#waitingForDrain = true;
      this.#socket.once('drain', this.#onDrain);
    }
  }

  #drained(): void {
    this.#waitingForDrain = false;
    this.flush();
  }

  /** Hands what is queued to the socket (ignoring backpressure: it is bounded by the cap) and sends FIN. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#socket.off('drain', this.#onDrain);
    if (!this.#socket.destroyed) {
      for (const frame of this.#queue) this.#socket.write(frame);
      this.#metrics?.bytesOut(this.#queuedBytes);
      this.#socket.end();
    }
    this.#queue = [];
    this.#queuedBytes = 0;
  }

  /** Drops the queue and resets the connection. */
  destroy(): void {
    this.#ended = true;
    this.#socket.off('drain', this.#onDrain);
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#socket.destroy();
  }
}
