import { Decoder, Encoder, ExtensionCodec } from '@msgpack/msgpack';
import type { ActorRef } from '../runtime/index.js';

export const WIRE_VERSION = 1;

// One batch (one transport message) is a MessagePack stream: a header [version, node, incarnation], then frames.
//   [0, target, sender | null, message]     a user message
//   [1, target, watcher]                    watch target
//   [2, target, watcher]                    unwatch target
//   [3, target]                             stop target
//   [4, watcher, ref]                       ref terminated (sent to the watcher's node)
//   [5, replyTo, recipient, messageType]    dead-letter notice: a message sent by replyTo found no actor
export const FrameKind = { User: 0, Watch: 1, Unwatch: 2, Stop: 3, Terminated: 4, DeadLetter: 5 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

// MessagePack extension types inside messages (0..127 are the application's).
const Ext = { Ref: 0, BigInt: 1, Buffer: 2 } as const;

const MAX_PATH_BYTES = 1024;
const BIGINT_TEXT = /^-?[0-9]{1,80}$/;

export interface RefHooks {
  // The path written for a ref (refs that cannot be found by path, like an ask's reply slot, are exported here).
  exportRef(ref: ActorRef): string;
  // The ref for a path read from the wire; undefined when the path is not a valid actor path.
  reviveRef(path: string): ActorRef | undefined;
}

export function isActorRef(value: unknown): value is ActorRef {
  const ref = value as ActorRef | null;
  return typeof ref === 'object' && ref !== null && typeof ref.path === 'string' && typeof ref.tell === 'function' && typeof ref.sendSystem === 'function';
}

// MessagePack with three extensions: refs travel as their path and come back as refs, bigint (GIDs) as decimal text,
// Buffer as bytes that decode to a Buffer again (plain Uint8Array stays a MessagePack bin).
export class WireCodec {
  readonly #encoder: Encoder<undefined>;
  readonly #decoder: Decoder<undefined>;
  readonly #utf8 = new TextEncoder();
  readonly #utf8Strict = new TextDecoder('utf-8', { fatal: true });
  #invalid = 0;

  constructor(hooks: RefHooks, maxPayload: number) {
    const codec = new ExtensionCodec<undefined>();
    codec.register({
      type: Ext.Ref,
      encode: (value: unknown) => (isActorRef(value) ? this.#utf8.encode(hooks.exportRef(value)) : null),
      decode: (data: Uint8Array) => {
        const ref = data.byteLength <= MAX_PATH_BYTES ? hooks.reviveRef(this.#text(data) ?? '') : undefined;
        if (ref === undefined) this.#invalid++;
        return ref ?? null;
      },
    });
    codec.register({
      type: Ext.BigInt,
      encode: (value: unknown) => (typeof value === 'bigint' ? this.#utf8.encode(value.toString()) : null),
      decode: (data: Uint8Array) => {
        const text = data.byteLength <= 81 ? this.#text(data) : undefined;
        if (text === undefined || !BIGINT_TEXT.test(text)) {
          this.#invalid++;
          return null;
        }
        return BigInt(text);
      },
    });
    codec.register({
      type: Ext.Buffer,
      encode: (value: unknown) => (Buffer.isBuffer(value) ? value : null),
      decode: (data: Uint8Array) => Buffer.from(data),
    });
    this.#encoder = new Encoder({ extensionCodec: codec, ignoreUndefined: true, maxDepth: 64, initialBufferSize: 4096 });
    this.#decoder = new Decoder({
      extensionCodec: codec,
      maxStrLength: maxPayload,
      maxBinLength: maxPayload,
      maxArrayLength: 1 << 20,
      maxMapLength: 1 << 16,
      maxExtLength: Math.max(MAX_PATH_BYTES, 81),
    });
  }

  // A view into the encoder's buffer: valid until the next encode, so copy it at once.
  encodeShared(value: unknown): Uint8Array {
    return this.#encoder.encodeSharedRef(value);
  }

  encode(value: unknown): Uint8Array {
    return this.#encoder.encode(value);
  }

  // Values of a batch one by one; throws when the bytes are not MessagePack.
  decodeStream(data: Uint8Array): Generator<unknown, void, unknown> {
    return this.#decoder.decodeMulti(data);
  }

  // How many invalid refs or bigints the values decoded since the last call held (they decode to null, so one
  // bad value does not end the whole batch; the frame holding it is dropped).
  takeInvalid(): number {
    const count = this.#invalid;
    this.#invalid = 0;
    return count;
  }

  #text(data: Uint8Array): string | undefined {
    try {
      return this.#utf8Strict.decode(data);
    } catch {
      return undefined;
    }
  }
}
