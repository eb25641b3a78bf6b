// The inbound side of a cluster node: a batch from another node is checked (header, then every frame: hostile or
// broken peers must not reach an actor with a bad message, nor flood the log) and each frame is delivered: user
// messages to their actor, watch frames to the remote death watch, dead-letter notices to the asker.
import type { ActorRef, ActorSystem } from '../runtime/index.js';
import { isValidNodeName } from './address.js';
import { FrameKind, WIRE_VERSION, type WireCodec } from './codec.js';
import { BatchDecodeError, InvalidMessageError } from './errors.js';
import type { MessageTypes } from './message-types.js';
import type { RefTable } from './ref-table.js';
import type { RemoteWatches } from './remote-watch.js';
import type { ThrottledWarnings } from './throttled-warnings.js';

const REMOTE_DEAD_LETTER = '@imlight/remote-dead-letter';

/** What inbound delivery needs of its node. */
export interface InboundHost {
  readonly name: string;
  readonly system: ActorSystem;
  readonly warnings: ThrottledWarnings;
  readonly codec: WireCodec;
  readonly messages: MessageTypes;
  readonly refs: RefTable;
  readonly watches: RemoteWatches;
  /** A batch's header named node `from` (another node than this one), with that incarnation. */
  heardFrom(from: string, incarnation: string): void;
}

export class Inbound {
  readonly #host: InboundHost;
  #messagesReceived = 0;
  #batchesReceived = 0;
  #dropped = 0;

  constructor(host: InboundHost) {
    this.#host = host;
  }

  get messagesReceived(): number {
    return this.#messagesReceived;
  }

  get batchesReceived(): number {
    return this.#batchesReceived;
  }

  /** Inbound messages refused: unregistered type, schema failure, malformed frame, batch or heartbeat. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Counts a refused piece of input and logs it, one line per kind per interval. */
  drop(kind: string, fields: object, msg: string): void {
    this.#dropped++;
    this.#host.warnings.warn(kind, fields, msg);
  }

  onBatch(data: Uint8Array): void {
    const { codec, refs } = this.#host;
    this.#batchesReceived++;
    let frames: Generator<unknown, void, unknown> | undefined;
    let from: string;
    try {
      frames = codec.decodeStream(data);
      const first = frames.next();
      const header = first.done ? undefined : first.value;
      if (!Array.isArray(header) || header[0] !== WIRE_VERSION || typeof header[1] !== 'string' || typeof header[2] !== 'string' || !isValidNodeName(header[1])) {
        throw new BatchDecodeError('missing or unknown header');
      }
      from = header[1];
      if (from !== this.#host.name) this.#host.heardFrom(from, header[2]);
    } catch (error) {
      // Ends the generator, so the shared decoder is free again (a suspended one makes every later batch clone it).
      frames?.return();
      this.drop('bad-batch', { err: error, bytes: data.byteLength }, 'batch dropped');
      return;
    }
    codec.takeInvalid();
    refs.beginBatch();
    try {
      for (const frame of frames) {
        const invalid = codec.takeInvalid();
        try {
          if (invalid > 0) throw new InvalidMessageError(`${invalid} invalid actor path(s) or bigint(s)`);
          this.#onFrame(from, frame);
        } catch (error) {
          this.drop('bad-frame', { err: error, from }, 'frame dropped');
        }
      }
    } catch (error) {
      this.drop('bad-batch', { err: new BatchDecodeError('malformed MessagePack', { cause: error }), from }, 'rest of the batch dropped');
    } finally {
      refs.endBatch();
    }
  }

  /** The actor of this node a frame names (undefined when it is gone); throws on a path not of this node. */
  localTarget(path: unknown): ActorRef | undefined {
    if (typeof path !== 'string') throw new InvalidMessageError('target is not a path');
    const refs = this.#host.refs;
    if (!path.startsWith(refs.ownPrefix)) throw new InvalidMessageError(`target ${JSON.stringify(path.slice(0, 100))} is not on this node`);
    return refs.resolveLocal(path);
  }

  #onFrame(from: string, frame: unknown): void {
    if (!Array.isArray(frame)) throw new InvalidMessageError('a frame is not an array');
    switch (frame[0]) {
      case FrameKind.User:
        return this.#onUser(frame);
      case FrameKind.Watch:
      case FrameKind.Unwatch:
        return this.#host.watches.onWatchFrame(from, frame, frame[0] === FrameKind.Watch);
      case FrameKind.Stop:
        this.localTarget(frame[1])?.sendSystem({ type: 'stop' });
        return;
      case FrameKind.Terminated:
        return this.#host.watches.onTerminatedFrame(from, frame);
      case FrameKind.DeadLetter:
        return this.#onDeadLetterNotice(frame);
      default:
        throw new InvalidMessageError(`unknown frame kind ${String(frame[0])}`);
    }
  }

  #onUser(frame: unknown[]): void {
    const [, target, sender, message] = frame;
    if (typeof target !== 'string' || !(sender === null || typeof sender === 'string')) throw new InvalidMessageError('user frame fields');
    const verdict = this.#host.messages.check(message);
    if (verdict !== 'ok') {
      const type = (message as { type?: unknown } | null)?.type;
      throw new InvalidMessageError(`${verdict === 'unregistered' ? 'unregistered type' : verdict === 'schema' ? 'schema check failed for' : 'not a message:'} ${JSON.stringify(String(type).slice(0, 100))}`);
    }
    this.#messagesReceived++;
    const ref = this.localTarget(target);
    let senderRef: ActorRef | undefined;
    if (sender !== null) {
      senderRef = this.#host.refs.revive(sender);
      if (senderRef === undefined) throw new InvalidMessageError('sender is not an actor path');
    }
    if (ref === undefined) this.#host.system.recordDeadLetter(target, message, senderRef);
    else ref.tell(message, senderRef);
  }

  #onDeadLetterNotice(frame: unknown[]): void {
    const [, replyTo, recipient, messageType] = frame;
    if (typeof replyTo !== 'string' || typeof recipient !== 'string' || typeof messageType !== 'string') throw new InvalidMessageError('dead-letter notice fields');
    const refs = this.#host.refs;
    if (!replyTo.startsWith(refs.ownPrefix) || replyTo.startsWith(refs.userPrefix)) return;
    const ref = refs.exported(replyTo);
    if (ref !== undefined) this.#host.system.recordDeadLetter(recipient, { type: REMOTE_DEAD_LETTER, messageType: messageType.slice(0, 128) }, ref);
  }
}
