import { connect, type ConnectionOptions, type NatsConnection, type Subscription } from 'nats';
import { TransportClosedError, TransportConnectError } from '../errors.js';
import type { Transport, TransportStatus } from '../transport.js';

export interface NatsTransportOptions {
  // One URL or several ("nats://10.0.0.5:4222"). Default "nats://127.0.0.1:4222".
  readonly servers?: string | readonly string[];
  // Shown by the NATS server's monitoring (connz); use the node name.
  readonly name?: string;
  // Pause between reconnect attempts. Default 1000 ms. Reconnects never give up.
  readonly reconnectTimeWaitMs?: number;
  // How long the first connect may take. Default 5000 ms.
  readonly connectTimeoutMs?: number;
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
  // Anything else nats.js accepts (TLS, authenticator, ...), passed through.
  readonly extra?: Partial<ConnectionOptions>;
}

// The NATS adapter: core NATS publish/subscribe (no JetStream), reconnecting forever on its own.
export class NatsTransport implements Transport {
  readonly #connection: NatsConnection;
  readonly #subscriptions = new Set<Subscription>();
  #listeners: Array<(status: TransportStatus) => void> = [];
  #status: TransportStatus = 'connected';

  private constructor(connection: NatsConnection) {
    this.#connection = connection;
    void this.#watchStatus();
    connection.closed().then(
      () => this.#setStatus('closed'),
      () => this.#setStatus('closed'),
    );
  }

  static async connect(options: NatsTransportOptions = {}): Promise<NatsTransport> {
    const servers = options.servers === undefined ? ['nats://127.0.0.1:4222'] : typeof options.servers === 'string' ? [options.servers] : [...options.servers];
    try {
      const connection = await connect({
        ...options.extra,
        servers,
        name: options.name,
        reconnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: options.reconnectTimeWaitMs ?? 1000,
        timeout: options.connectTimeoutMs ?? 5000,
        user: options.user,
        pass: options.pass,
        token: options.token,
      });
      return new NatsTransport(connection);
    } catch (error) {
      throw new TransportConnectError(servers.join(','), error);
    }
  }

  get status(): TransportStatus {
    return this.#status;
  }

  get maxPayload(): number {
    return this.#connection.info?.max_payload ?? 1024 * 1024;
  }

  // The server this connection is on, for logs.
  get server(): string {
    return this.#connection.getServer();
  }

  publish(subject: string, data: Uint8Array): void {
    if (this.#status === 'closed') throw new TransportClosedError('publish');
    this.#connection.publish(subject, data);
  }

  subscribe(subject: string, onMessage: (data: Uint8Array) => void): () => void {
    if (this.#status === 'closed') throw new TransportClosedError('subscribe');
    const subscription = this.#connection.subscribe(subject, {
      callback: (error, message) => {
        if (error === null) onMessage(message.data);
      },
    });
    this.#subscriptions.add(subscription);
    return () => {
      this.#subscriptions.delete(subscription);
      if (!subscription.isClosed()) subscription.unsubscribe();
    };
  }

  onStatus(listener: (status: TransportStatus) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  async flush(): Promise<void> {
    if (this.#status === 'closed') return;
    await this.#connection.flush();
  }

  async close(): Promise<void> {
    if (this.#connection.isClosed()) return;
    await this.#connection.close();
  }

  async #watchStatus(): Promise<void> {
    for await (const event of this.#connection.status()) {
      if (event.type === 'disconnect' || event.type === 'reconnecting') this.#setStatus('reconnecting');
      else if (event.type === 'reconnect') this.#setStatus('connected');
    }
  }

  #setStatus(status: TransportStatus): void {
    if (this.#status === status || this.#status === 'closed') return;
    this.#status = status;
    for (const listener of this.#listeners) listener(status);
  }
}
