// The read side of a session's socket: reassembles frames, decodes DML, and hands each message to
// the session. A frame error ends only this session, and so does a DML message whose length runs
// past its frame or is shorter than its header (the rest of the frame cannot be delimited). A
// well-delimited message that cannot be decoded (unknown service or order, fields short of the
// record) is skipped (client revisions differ), counted, and logged a bounded number of times.
import type { Socket } from 'node:net';
import { Actor, type ActorContext, type ActorRef, type Handlers } from '../runtime/index.js';
import { DmlHeaderError, FrameReader, visitDml, type DmlError, type DmlVisitor, type FrameVisitor, type MessageRegistry, type ProtocolError, type RecordDef } from '../protocol/index.js';
import type { ListenerMessage, SessionMessage } from './messages.js';
import type { NetMetrics } from './net-metrics.js';

export interface SocketListenerInit {
  readonly socket: Socket;
  readonly registry: MessageRegistry;
  readonly maxFrameBytes: number;
  readonly metrics: NetMetrics;
}

/** Undecodable DML messages logged per session; later ones are only counted. */
const LOGGED_DML_ERRORS = 5;

export class SocketListener extends Actor<ListenerMessage> {
  readonly #socket: Socket;
  readonly #registry: MessageRegistry;
  readonly #metrics: NetMetrics;
  readonly #reader: FrameReader;
  readonly #session: ActorRef<SessionMessage>;
  readonly #visitor: DmlVisitor;
  readonly #frames: FrameVisitor;
  #dmlErrors = 0;
  #failed = false;
  // Bound methods rather than arrow fields: see Session.receive.
  // Chunks are decoded in the socket's callback: the socket is this actor's inbox, and a hop
  // through its mailbox per chunk would only add latency. The callbacks are detached on stop.
  readonly #onData = this.#chunk.bind(this);
  readonly #onEnd = this.#closed.bind(this);
  readonly #onError = this.#error.bind(this);

  constructor(context: ActorContext<ListenerMessage>, init: SocketListenerInit) {
    super(context);
    this.#socket = init.socket;
    this.#registry = init.registry;
    this.#metrics = init.metrics;
    this.#reader = new FrameReader({ maxBodyLength: init.maxFrameBytes });
    this.#session = context.parent as ActorRef<SessionMessage>;
    this.#visitor = { message: this.#message.bind(this), error: this.#dmlError.bind(this) };
    this.#frames = { frame: this.#frame.bind(this) };
  }

  readonly receive: Handlers<ListenerMessage> = {
    'net.closed': this.#socketClosed.bind(this),
  };

  #closed(): void {
    this.context.self.tell({ type: 'net.closed' });
  }

  #error(error: Error): void {
    this.context.self.tell({ type: 'net.closed', error: (error as NodeJS.ErrnoException).code ?? error.message });
  }

  #message(record: RecordDef, data: Record<string, unknown>): void {
    this.#metrics.messageIn(record.protocol);
    this.#session.tell({ type: 'net.client-dml', record, data });
  }

  #chunk(chunk: Buffer): void {
    if (this.#failed) return;
    this.#metrics.bytesIn(chunk.length);
    // Frames are handed over as they complete, with no Frame object or array per chunk. #frame catches its own
    // failures, so what escapes pushEach is the reader's protocol error.
    try {
      this.#reader.pushEach(chunk, this.#frames);
    } catch (error) {
      this.#fail(error as ProtocolError);
    }
  }

  #frame(isControl: boolean, opcode: number, buffer: Buffer, start: number, end: number): void {
    if (this.#failed) return;
    // This runs in the socket's callback, outside the mailbox: nothing may escape to the process.
    try {
      if (isControl) {
        this.#session.tell({ type: 'net.client-control', opcode, payload: buffer.subarray(start, end) });
      } else if (opcode === 0) {
        visitDml(this.#registry, buffer, this.#visitor, start, end);
      } else {
        this.#metrics.protocolError('ERR_FRAME_OPCODE');
        this.context.log.debug({ opcode }, 'skipped a data frame with a non-zero opcode');
      }
    } catch (error) {
      this.context.log.error({ err: error }, 'decoding a frame failed unexpectedly');
      this.#fail({ code: 'ERR_NET_DECODE_BUG', message: String(error) } as ProtocolError);
    }
  }

  #socketClosed({ error }: { error?: string }): void {
    this.#detach();
    this.#session.tell(error === undefined ? { type: 'net.socket-closed' } : { type: 'net.socket-closed', error });
  }

  override preStart(): void {
    const socket = this.#socket;
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onEnd);
    socket.on('error', this.#onError);
    // The server accepts with pauseOnConnect: nothing is read before this listener is in place.
    socket.resume();
    // A client gone before this actor started would otherwise wait for the accept timeout.
    if (socket.destroyed) this.context.self.tell({ type: 'net.closed' });
  }

  override postStop(): void {
    this.#detach();
  }

  #detach(): void {
    const socket = this.#socket;
    socket.off('data', this.#onData);
    socket.off('end', this.#onEnd);
    socket.off('close', this.#onEnd);
    // An 'error' after this point must still not crash the process.
    socket.off('error', this.#onError);
    if (socket.listenerCount('error') === 0) socket.on('error', ignoreError);
  }

  #fail(error: ProtocolError): void {
    this.#failed = true;
    this.#socket.pause();
    this.#metrics.protocolError(error.code);
    this.#session.tell({ type: 'net.protocol-error', code: error.code, detail: error.message });
  }

  #dmlError(error: DmlError): void {
    if (error instanceof DmlHeaderError) {
      this.#fail(error);
      return;
    }
    this.#metrics.protocolError(error.code);
    if (++this.#dmlErrors <= LOGGED_DML_ERRORS) {
      this.context.log.warn({ code: error.code, detail: error.message, logged: `${this.#dmlErrors}/${LOGGED_DML_ERRORS}` }, 'skipped an undecodable DML message');
    }
  }
}

function ignoreError(): void {}
