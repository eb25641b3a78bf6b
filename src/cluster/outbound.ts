// The outbound side of a cluster node: one batching link per remote node (outbound-link.ts), and the batches that
// wait while the transport is down, and after it is back until that node is heard from (then its subscription is
// surely back on the server too: NATS drops what has no subscriber).
import type { Logger } from '../runtime/index.js';
import { Subjects } from './address.js';
import { OutboundLink } from './outbound-link.js';
import type { Transport } from './transport.js';

interface HeldBatch {
  readonly node: string;
  readonly subject: string;
  readonly data: Uint8Array;
  readonly frames: number;
}

export class Outbound {
  readonly #transport: Transport;
  readonly #cluster: string;
  readonly #header: Uint8Array;
  readonly #maxBatchBytes: number;
  readonly #log: Logger;
  readonly #links = new Map<string, OutboundLink>();
  readonly #held = new Map<string, HeldBatch[]>();
  #heldBytes = 0;
  #batchesSent = 0;
  #droppedFrames = 0;

  /** `header`: the first frame of every batch (wire version, node name, incarnation). */
  constructor(transport: Transport, cluster: string, header: Uint8Array, maxBatchBytes: number, log: Logger) {
    this.#transport = transport;
    this.#cluster = cluster;
    this.#header = header;
    this.#maxBatchBytes = maxBatchBytes;
    this.#log = log;
  }

  get heldBytes(): number {
    return this.#heldBytes;
  }

  get batchesSent(): number {
    return this.#batchesSent;
  }

  /** Frames that never left: discarded while the transport was closed, or held for a node declared down. */
  get droppedFrames(): number {
    return this.#droppedFrames;
  }

  get isHolding(): boolean {
    return this.#held.size > 0;
  }

  /** The nodes batches wait for. */
  heldNodes(): string[] {
    return [...this.#held.keys()];
  }

  /** The batching link toward `node`. */
  link(node: string): OutboundLink {
    let link = this.#links.get(node);
    if (link === undefined) {
      link = new OutboundLink(node, Subjects.node(this.#cluster, node), this.#header, this.#maxBatchBytes, (from, data, frames) => this.#publishBatch(from, data, frames));
      this.#links.set(node, link);
    }
    return link;
  }

  /** Sends every link's pending batch now. */
  flushAll(): void {
    for (const link of this.#links.values()) link.flush();
  }

  /** Sends what waits for `node`, in order, once the transport is up. */
  releaseHeld(node: string): void {
    const held = this.#held.get(node);
    if (held === undefined || this.#transport.status !== 'connected') return;
    let sent = 0;
    try {
      for (; sent < held.length; sent++) {
        this.#transport.publish(held[sent]!.subject, held[sent]!.data);
        this.#heldBytes -= held[sent]!.data.byteLength;
        this.#batchesSent++;
      }
      this.#held.delete(node);
    } catch (error) {
      held.splice(0, sent);
      this.#log.warn({ err: error, member: node }, 'publish of held batches failed; holding the rest');
    }
  }

  /** `node` is down: its pending batch goes out (to nobody), what waited for it is discarded. */
  nodeDown(node: string): void {
    this.link(node).flush();
    const held = this.#held.get(node);
    if (held === undefined) return;
    this.#held.delete(node);
    const frames = held.reduce((sum, batch) => sum + batch.frames, 0);
    this.#heldBytes -= held.reduce((sum, batch) => sum + batch.data.byteLength, 0);
    this.#droppedFrames += frames;
    this.#log.warn({ member: node, frames }, 'discarded held messages for a node that is down');
  }

  #publishBatch(link: OutboundLink, data: Uint8Array, frames: number): void {
    if (this.#transport.status === 'connected' && !this.#held.has(link.node)) {
      try {
        this.#transport.publish(link.subject, data);
        this.#batchesSent++;
        return;
      } catch (error) {
        this.#log.warn({ err: error, node: link.node }, 'publish failed; holding the batch');
      }
    }
    if (this.#transport.status === 'closed') {
      this.#droppedFrames += frames;
      return;
    }
    let held = this.#held.get(link.node);
    if (held === undefined) this.#held.set(link.node, (held = []));
    held.push({ node: link.node, subject: link.subject, data, frames });
    this.#heldBytes += data.byteLength;
  }
}
