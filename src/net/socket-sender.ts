// The write side of a session's socket, as an actor: frames told to it are written in order with
// backpressure (see SocketWriter). Past the byte cap the client is dropped: a log line, a counter,
// a reset, and the session is told.
import type { Socket } from 'node:net';
import { Actor, type ActorContext, type ActorRef, type Handlers } from '../runtime/index.js';
import type { SenderMessage, SessionMessage } from './messages.js';
import type { NetMetrics } from './net-metrics.js';
import { SocketWriter } from './socket-writer.js';

export interface SocketSenderInit {
  readonly socket: Socket;
  readonly capBytes: number;
  readonly flushBytes: number;
  readonly lingerMs: number;
  readonly metrics: NetMetrics;
}

export class SocketSender extends Actor<SenderMessage> {
  readonly #socket: Socket;
  readonly #writer: SocketWriter;
  readonly #metrics: NetMetrics;
  readonly #lingerMs: number;
  readonly #capBytes: number;
  #done = false;

  constructor(context: ActorContext<SenderMessage>, init: SocketSenderInit) {
    super(context);
    this.#socket = init.socket;
    this.#metrics = init.metrics;
    this.#lingerMs = init.lingerMs;
    this.#capBytes = init.capBytes;
    this.#writer = new SocketWriter(init.socket, { capBytes: init.capBytes, flushBytes: init.flushBytes, metrics: init.metrics });
  }

  // Bound methods rather than arrow fields: see Session.receive.
  readonly receive: Handlers<SenderMessage> = {
    'net.write': this.#write.bind(this),
    'net.send-frame': this.#write.bind(this),
    'net.send-frame-parts': this.#writeParts.bind(this),
    'net.end': this.#endMessage.bind(this),
  };

  #write({ frame }: { frame: Buffer }): void {
    if (this.#done) return;
    if (this.#writer.write(frame)) return;
    this.#overflow();
  }

  #writeParts({ parts }: { parts: readonly Buffer[] }): void {
    if (this.#done) return;
    if (this.#writer.writeParts(parts)) return;
    this.#overflow();
  }

  #overflow(): void {
    const heldBytes = this.#writer.heldBytes;
    this.#done = true;
    this.#writer.destroy();
    this.#metrics.droppedForBackpressure();
    this.context.log.warn({ heldBytes, capBytes: this.#capBytes }, 'client reads too slowly: outbound cap reached, connection dropped');
    (this.context.parent as ActorRef<SessionMessage>).tell({ type: 'net.outbound-overflow', heldBytes });
  }

  #endMessage({ graceful }: { graceful: boolean }): void {
    this.#end(graceful);
  }

  override postStop(): void {
    this.#end(true);
  }

  #end(graceful: boolean): void {
    if (this.#done) return;
    this.#done = true;
    if (!graceful) {
      this.#writer.destroy();
      return;
    }
    this.#writer.end();
    // A peer that never closes its side must not hold the socket: reset it after the linger.
    const socket = this.#socket;
    if (!socket.destroyed) this.context.system.scheduler.schedule(this.#lingerMs, socket.destroy.bind(socket));
  }
}
