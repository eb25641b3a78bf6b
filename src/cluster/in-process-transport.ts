import { TransportClosedError } from './errors.js';
import type { Transport, TransportStatus } from './transport.js';

// A message bus inside one process, with the delivery guarantees the cluster relies on from NATS (per-publisher
// order, at most once, nothing delivered to a closed or cut-off connection). It runs the cluster contract tests
// without a NATS server, and can simulate a network cut.
export class InProcessBus {
  readonly #subscriptions = new Map<string, Set<InProcessTransport>>();
  readonly #queue: Array<{ readonly subject: string; readonly data: Uint8Array; readonly from: InProcessTransport }> = [];
  #scheduled = false;

  constructor(readonly maxPayload = 1024 * 1024) {}

  connect(): InProcessTransport {
    return new InProcessTransport(this);
  }

  enqueue(subject: string, data: Uint8Array, from: InProcessTransport): void {
    // A copy, like bytes on a wire: the publisher may not change what the subscriber reads.
    this.#queue.push({ subject, data: Uint8Array.prototype.slice.call(data), from });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#drain);
    }
  }

  addSubscriber(subject: string, transport: InProcessTransport): void {
    let set = this.#subscriptions.get(subject);
    if (set === undefined) this.#subscriptions.set(subject, (set = new Set()));
    set.add(transport);
  }

  removeSubscriber(subject: string, transport: InProcessTransport): void {
    this.#subscriptions.get(subject)?.delete(transport);
  }

  readonly #drain = (): void => {
    this.#scheduled = false;
    const batch = this.#queue.splice(0);
    for (const { subject, data, from } of batch) {
      if (from.status !== 'connected') continue;
      const subscribers = this.#subscriptions.get(subject);
      if (subscribers !== undefined) for (const transport of subscribers) transport.deliver(subject, data);
    }
  };
}

export class InProcessTransport implements Transport {
  readonly #bus: InProcessBus;
  readonly #handlers = new Map<string, Set<(data: Uint8Array) => void>>();
  #statusListeners: Array<(status: TransportStatus) => void> = [];
  #status: TransportStatus = 'connected';

  constructor(bus: InProcessBus) {
    this.#bus = bus;
  }

  get status(): TransportStatus {
    return this.#status;
  }

  get maxPayload(): number {
    return this.#bus.maxPayload;
  }

  publish(subject: string, data: Uint8Array): void {
    if (this.#status === 'closed') throw new TransportClosedError('publish');
    if (this.#status !== 'connected') throw new TransportClosedError('publish while reconnecting');
    if (data.byteLength > this.#bus.maxPayload) throw new RangeError(`payload of ${data.byteLength} bytes exceeds ${this.#bus.maxPayload}`);
    this.#bus.enqueue(subject, data, this);
  }

  subscribe(subject: string, onMessage: (data: Uint8Array) => void): () => void {
    if (this.#status === 'closed') throw new TransportClosedError('subscribe');
    let set = this.#handlers.get(subject);
    if (set === undefined) {
      this.#handlers.set(subject, (set = new Set()));
      this.#bus.addSubscriber(subject, this);
    }
    set.add(onMessage);
    return () => {
      set.delete(onMessage);
      if (set.size === 0) {
        this.#handlers.delete(subject);
        this.#bus.removeSubscriber(subject, this);
      }
    };
  }

  onStatus(listener: (status: TransportStatus) => void): () => void {
    this.#statusListeners = [...this.#statusListeners, listener];
    return () => {
      this.#statusListeners = this.#statusListeners.filter((l) => l !== listener);
    };
  }

  flush(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  async close(): Promise<void> {
    this.#setStatus('closed');
    for (const subject of this.#handlers.keys()) this.#bus.removeSubscriber(subject, this);
    this.#handlers.clear();
  }

  // Simulates losing the connection: nothing is delivered to or from this transport until reconnect().
  disconnect(): void {
    if (this.#status === 'connected') this.#setStatus('reconnecting');
  }

  reconnect(): void {
    if (this.#status === 'reconnecting') this.#setStatus('connected');
  }

  deliver(subject: string, data: Uint8Array): void {
    if (this.#status !== 'connected') return;
    const handlers = this.#handlers.get(subject);
    if (handlers !== undefined) for (const handler of handlers) handler(data);
  }

  #setStatus(status: TransportStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    for (const listener of this.#statusListeners) listener(status);
  }
}
