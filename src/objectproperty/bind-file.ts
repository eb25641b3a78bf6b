// BINd files (objectproperty.md "Framing" 1): the 4 bytes "BINd", a u32
// flags word, then one verbose-mode object.
import { ObjectPropertyCodec } from './codec.js';
import { FramingError } from './errors.js';
import { SerializerFlags } from './flags.js';
import type { OpObject } from './object-shape.js';
import type { TypeList } from './type-list.js';

const BIND_MAGIC = Buffer.from('BINd', 'latin1');

export interface BindFile {
  /** The flags word stored after the magic. */
  flags: number;
  object: OpObject;
}

export interface BindOptions {
  maxDepth?: number;
  enumNames?: boolean;
  maxInflatedBytes?: number;
  skipUnknownClasses?: boolean;
  compressionLevel?: number;
}

/** True when the bytes start with the BINd magic. */
export function isBind(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x42 && bytes[1] === 0x49 && bytes[2] === 0x4e && bytes[3] === 0x64;
}

/** Decodes a BINd file: "BINd", u32 flags, then a verbose-mode object. */
export function decodeBind(types: TypeList, bytes: Uint8Array, options: BindOptions = {}): BindFile {
  if (!isBind(bytes)) throw new FramingError('not a BINd file (missing "BINd" magic)');
  const codec = new ObjectPropertyCodec(types, { ...options, verbose: true, flags: SerializerFlags.STATEFUL_FLAGS });
  const { object, flags } = codec.decodeDetailed(bytes.subarray(4));
  return { flags, object };
}

/** Encodes a BINd file; `flags` is stored as is (bit 0 is implied: the word is always stored). */
export function encodeBind(types: TypeList, file: BindFile, options: BindOptions = {}): Buffer {
  const codec = new ObjectPropertyCodec(types, { ...options, verbose: true, flags: SerializerFlags.STATEFUL_FLAGS });
  const body = codec.encode(file.object, { flags: file.flags | SerializerFlags.STATEFUL_FLAGS });
  if ((file.flags & SerializerFlags.STATEFUL_FLAGS) === 0) body.writeUInt32LE(file.flags >>> 0, 0);
  return Buffer.concat([BIND_MAGIC, body]);
}
