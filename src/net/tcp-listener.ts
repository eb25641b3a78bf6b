// The server's TCP socket, as an actor: accepts connections (paused, so no byte is read before the
// session's SocketListener exists) and hands each to its server. It never throws: a bind failure
// is reported to the server as a message.
import { createServer, type Server, type Socket } from 'node:net';
import { Actor, LogThrottle, type ActorContext, type ActorRef, type Handlers } from '../runtime/index.js';
import type { ServerMessage } from './messages.js';
import type { NetMetrics } from './net-metrics.js';

export interface TcpListenerInit {
  readonly host: string;
  readonly port: number;
  readonly maxConnections: number;
  readonly metrics: NetMetrics;
}

export type TcpListenerMessage = { readonly type: 'net.stop-accepting' };

export class TcpListener extends Actor<TcpListenerMessage> {
  readonly #init: TcpListenerInit;
  readonly #server: ActorRef<ServerMessage>;
  #tcp: Server | undefined = undefined;

  constructor(context: ActorContext<TcpListenerMessage>, init: TcpListenerInit) {
    super(context);
    this.#init = init;
    this.#server = context.parent as ActorRef<ServerMessage>;
  }

  readonly receive: Handlers<TcpListenerMessage> = {
    'net.stop-accepting': () => this.#close(),
  };

  override preStart(): void {
    const { host, port, maxConnections, metrics } = this.#init;
    const log = this.context.log;
    const server = this.#server;
    const tcp = createServer({ pauseOnConnect: true, noDelay: true });
    tcp.maxConnections = maxConnections;
    tcp.on('connection', (socket: Socket) => {
      metrics.connectionAccepted();
      server.tell({ type: 'net.connection', socket });
    });
    // Node closes connections past maxConnections itself and reports them here.
    const scheduler = this.context.system.scheduler;
    const dropLog = new LogThrottle(1000, () => scheduler.now());
    tcp.on('drop', (data?: { remoteAddress?: string; remotePort?: number }) => {
      metrics.connectionRefused('max-connections');
      const suppressed = dropLog.take();
      if (suppressed === undefined) return;
      log.warn({ remote: `${data?.remoteAddress ?? '?'}:${data?.remotePort ?? 0}`, maxConnections, alsoRefusedSinceLastLine: suppressed }, 'connection refused: the server is at its connection cap');
    });
    tcp.once('listening', () => {
      const address = tcp.address();
      const bound = typeof address === 'object' && address !== null ? { host: address.address, port: address.port } : { host, port };
      log.info(bound, 'listening');
      server.tell({ type: 'net.listening', address: bound });
    });
    tcp.on('error', (error: NodeJS.ErrnoException) => {
      if (!tcp.listening) {
        log.error({ err: error, host, port }, 'cannot listen');
        server.tell({ type: 'net.listen-failed', error: `${host}:${port}: ${error.code ?? error.message}` });
      } else {
        log.warn({ err: error }, 'listener error');
      }
    });
    tcp.listen({ host, port });
    this.#tcp = tcp;
  }

  override postStop(): void {
    this.#close();
  }

  #close(): void {
    // Stops accepting; open connections belong to their sessions.
    this.#tcp?.close();
    this.#tcp = undefined;
  }
}
