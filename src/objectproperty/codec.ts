// The serializer: framing around the object codec (stored flags word, manual
// zlib wrapper, in-flags compression header, CoreObject root header, BINd files).
import { deflateSync, inflateSync } from 'node:zlib';
import { BitReader } from './bit-reader.js';
import { BitWriter } from './bit-writer.js';
import { ObjectDecoder } from './decoder.js';
import { ObjectEncoder } from './encoder.js';
import { CompressionError, FramingError, TruncatedError, UnknownClassError } from './errors.js';
import { NETWORK_PROPERTY_MASK, SerializerFlags } from './flags.js';
import type { CoreHeader, OpObject } from './object-shape.js';
import type { ClassDef, TypeList } from './type-list.js';

export interface CodecOptions {
  /** Serializer flags (objectproperty.md "Serializer flags"); with bit 0 the data carries its own. Default 0. */
  flags?: number;
  /** Compact mode: a property is written when it has all these bits. Default 0x18 (network). */
  propertyMask?: number;
  /** Verbose mode (files): sized records by property hash. Default false (compact). */
  verbose?: boolean;
  /** The whole blob is u32 uncompressed length + zlib stream. Default false. */
  manualCompression?: boolean;
  /**
   * CoreObject blobs: the root starts with u8 object id, u8 namespace id, u32 template id
   * (the class hash when both ids are 0). Compact only.
   */
  coreObject?: boolean;
  /** Maps a CoreObject template id to a class name, for roots whose ids are not both 0. */
  resolveTemplate?: (header: CoreHeader) => string | undefined;
  /** Nesting limit (objects within objects). Default 64. */
  maxDepth?: number;
  /** Largest inflated size accepted from a zlib stream. Default 64 MiB. */
  maxInflatedBytes?: number;
  /** Verbose mode: skip objects of unknown classes by their size (they decode as null). Default false. */
  skipUnknownClasses?: boolean;
  /** zlib level when compressing. Default: zlib's default (6), what the client's zlib uses. */
  compressionLevel?: number;
  /**
   * Decode numeric enums as option names (BITS: joined by '|') when the options
   * express the value exactly; the encoder turns names back into the same number.
   */
  enumNames?: boolean;
}

export interface DecodedBlob {
  object: OpObject;
  /** The serializer flags in effect (read from the data when bit 0 was configured). */
  flags: number;
  /** With flag bit 3: whether the toggle byte announced a zlib stream. */
  compressed: boolean;
}

export interface EncodeOverrides {
  /** Flags to use instead of the configured ones (e.g. those a decode reported). */
  flags?: number;
  /** With flag bit 3: write a zlib stream (toggle 1, default) or the raw object (toggle 0). */
  compress?: boolean;
}

const DEFAULT_MAX_INFLATED = 64 * 1024 * 1024;

/** Encodes and decodes one kind of blob (fixed options) against a type list. */
export class ObjectPropertyCodec {
  readonly types: TypeList;
  readonly #flags: number;
  readonly #mask: number;
  readonly #verbose: boolean;
  readonly #manual: boolean;
  readonly #core: boolean;
  readonly #resolveTemplate: ((header: CoreHeader) => string | undefined) | undefined;
  readonly #maxDepth: number;
  readonly #maxInflated: number;
  readonly #skipUnknown: boolean;
  readonly #level: number | undefined;
  readonly #enumNames: boolean;
  readonly #writer = new BitWriter(1024);

  constructor(types: TypeList, options: CodecOptions = {}) {
    this.types = types;
    this.#flags = (options.flags ?? 0) >>> 0;
    this.#mask = (options.propertyMask ?? NETWORK_PROPERTY_MASK) >>> 0;
    this.#verbose = options.verbose ?? false;
    this.#manual = options.manualCompression ?? false;
    this.#core = options.coreObject ?? false;
    this.#resolveTemplate = options.resolveTemplate;
    this.#maxDepth = options.maxDepth ?? 64;
    this.#maxInflated = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED;
    this.#skipUnknown = options.skipUnknownClasses ?? false;
    this.#level = options.compressionLevel;
    this.#enumNames = options.enumNames ?? false;
    if (this.#core && this.#verbose) throw new RangeError('CoreObject blobs are always compact');
  }

  decode(bytes: Uint8Array): OpObject {
    return this.decodeDetailed(bytes).object;
  }

  decodeDetailed(input: Uint8Array): DecodedBlob {
    let data = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (this.#manual) data = this.#inflate(data, 0);
    let reader = new BitReader(data);
    let flags = this.#flags;
    if ((flags & SerializerFlags.STATEFUL_FLAGS) !== 0) flags = reader.u32();
    let compressed = false;
    if ((flags & SerializerFlags.WITH_COMPRESSION) !== 0 && reader.u8() !== 0) {
      compressed = true;
      reader = new BitReader(this.#inflate(data, reader.pos >>> 3));
    }
    const decoder = new ObjectDecoder(this.types, reader, {
      flags, propertyMask: this.#mask, verbose: this.#verbose, maxDepth: this.#maxDepth, skipUnknownClasses: this.#skipUnknown,
      enumNames: this.#enumNames,
    });
    let object: OpObject | null;
    if (this.#core) {
      const header = decoder.coreHeader();
      object = decoder.body(this.#coreClass(header), header);
    } else {
      object = decoder.object('at the root');
    }
    if (object === null) throw new FramingError('the root object is null');
    return { object, flags, compressed };
  }

  encode(object: OpObject, overrides: EncodeOverrides = {}): Buffer {
    const flags = (overrides.flags ?? this.#flags) >>> 0;
    const w = this.#writer;
    w.reset();
    const encoder = new ObjectEncoder(this.types, w, { flags, propertyMask: this.#mask, verbose: this.#verbose, maxDepth: this.#maxDepth });
    if (this.#core) {
      const c = encoder.classOf(object, 'root');
      const header = object.$core ?? { objectId: 0, namespaceId: 0, templateId: c.hash };
      w.u8(header.objectId);
      w.u8(header.namespaceId);
      w.u32(header.objectId === 0 && header.namespaceId === 0 ? c.hash : header.templateId);
      encoder.body(c, object);
    } else {
      if (object === null || typeof object !== 'object') throw new FramingError('the root object is null');
      encoder.object(object, 'root');
    }
    let body = w.toBuffer();
    const head: Buffer[] = [];
    // A decoder configured for stored flags reads a word whatever that word says, so write one.
    if (((flags | this.#flags) & SerializerFlags.STATEFUL_FLAGS) !== 0) head.push(u32le(flags));
    if ((flags & SerializerFlags.WITH_COMPRESSION) !== 0) {
      if (overrides.compress ?? true) {
        head.push(Buffer.of(1));
        body = this.#deflate(body);
      } else {
        head.push(Buffer.of(0));
      }
    }
    const out = head.length === 0 ? body : Buffer.concat([...head, body]);
    return this.#manual ? this.#deflate(out) : out;
  }

  #coreClass(header: CoreHeader): ClassDef {
    if (header.objectId === 0 && header.namespaceId === 0) {
      const c = this.types.byHash(header.templateId);
      if (c === undefined) throw new UnknownClassError(header.templateId, 'at the CoreObject root');
      return c;
    }
    const name = this.#resolveTemplate?.(header);
    const c = name === undefined ? undefined : this.types.byName(name);
    if (c === undefined) throw new UnknownClassError(header.templateId, `(template id of object ${header.objectId}/${header.namespaceId}; no resolveTemplate mapping)`);
    return c;
  }

  /** u32 uncompressed length + zlib stream, starting at byte `at`. */
  #inflate(data: Buffer, at: number): Buffer {
    if (data.length < at + 4) throw new TruncatedError(at * 8, 32, Math.max(0, data.length - at) * 8);
    const size = data.readUInt32LE(at);
    if (size > this.#maxInflated) throw new CompressionError(`zlib stream claims ${size} bytes, more than the limit of ${this.#maxInflated}`);
    let out: Buffer;
    try {
      out = inflateSync(data.subarray(at + 4), { maxOutputLength: Math.max(size, 1) });
    } catch (error) {
      throw new CompressionError(`bad zlib stream: ${(error as Error).message}`, { cause: error });
    }
    if (out.length !== size) throw new CompressionError(`zlib stream inflates to ${out.length} bytes, not the ${size} announced`);
    return out;
  }

  #deflate(data: Buffer): Buffer {
    const z = this.#level === undefined ? deflateSync(data) : deflateSync(data, { level: this.#level });
    return Buffer.concat([u32le(data.length), z]);
  }
}

function u32le(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
}
