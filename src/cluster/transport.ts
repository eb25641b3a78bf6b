// What the cluster needs from a message bus: publish bytes to a subject, subscribe to one, and know whether the
// link is up. NATS is the real one (nats/nats-transport.ts); InProcessBus runs the same contract in one process.
export type TransportStatus = 'connected' | 'reconnecting' | 'closed';

export interface Transport {
  readonly status: TransportStatus;
  // The largest payload one publish may carry (NATS: the server's max_payload).
  readonly maxPayload: number;
  // Only while connected; the bytes belong to the transport afterwards (the caller must not reuse them).
  publish(subject: string, data: Uint8Array): void;
  // Delivers each message in publish order per publisher. Returns the unsubscribe function.
  subscribe(subject: string, onMessage: (data: Uint8Array) => void): () => void;
  onStatus(listener: (status: TransportStatus) => void): () => void;
  // Resolves when everything published so far reached the bus.
  flush(): Promise<void>;
  close(): Promise<void>;
}
