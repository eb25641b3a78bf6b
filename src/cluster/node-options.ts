// The options of a ClusterNode and the figures it reports, with the checks of the options.
import type { Logger } from '../runtime/index.js';
import { ClusterConfigError } from './errors.js';
import type { MessageTypes } from './message-types.js';
import type { Transport, TransportStatus } from './transport.js';
import type { MemberStatus } from './membership.js';

export interface ClusterNodeOptions {
  readonly transport: Transport;
  // The message types allowed across processes (both directions).
  readonly messages: MessageTypes;
  // Namespace of the subjects, so several clusters can share one NATS. Default 'imlight'.
  readonly cluster?: string;
  // Default 1000 ms.
  readonly heartbeatIntervalMs?: number;
  // Silence after which a node is reported unreachable. Default 3 heartbeats.
  readonly unreachableAfterMs?: number;
  // Silence after which a node is declared down and every watch on its actors fires. Default 10 000 ms.
  readonly downAfterMs?: number;
  // Largest batch per publish. Default 256 KiB, never above the transport's maxPayload.
  readonly maxBatchBytes?: number;
  // While the transport is reconnecting, batches wait up to this many bytes; past it, messages are dead letters.
  // Default 8 MiB.
  readonly disconnectedBufferBytes?: number;
  readonly logger?: Logger;
}

export interface ClusterStats {
  readonly status: TransportStatus;
  readonly members: Readonly<Record<MemberStatus, number>>;
  readonly messagesSent: number;
  readonly messagesReceived: number;
  readonly batchesSent: number;
  readonly batchesReceived: number;
  // Inbound messages refused: unregistered type, schema failure, malformed frame or batch.
  readonly droppedInbound: number;
  // Outbound messages that became dead letters (node down, not serializable, buffer full) or were discarded
  // while waiting for the transport.
  readonly droppedOutbound: number;
  readonly heldBytes: number;
  readonly exportedRefs: number;
}

export function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export function positive(name: string, value: number): number {
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) throw new ClusterConfigError(`${name} must be a number above 0, got ${String(value)}`);
  return value;
}
