// Character blobs (messages.md "Blobs inside messages"): what the login server
// reads from a client's CreationInfo and sends back in CHARACTERINFO. Two
// implementations behind one interface: the documented "IMCH" stand-in, and the
// client's own ObjectProperty serialization driven by a type dump.
import { ObjectPropertyCodec, type CodecOptions } from './codec.js';
import { defaultObject } from './default-object.js';
import { CharacterBlobError, ObjectPropertyError, UnknownClassError } from './errors.js';
import { NETWORK_PROPERTY_MASK } from './flags.js';
import type { OpObject } from './object-shape.js';
import type { TypeList } from './type-list.js';
import { Kind } from './value-type.js';
import { stringId } from '../protocol/hashes.js';

export interface CharacterRecord {
  id: bigint;
  name: string;
  zone: string;
  location: string;
  /** The CreationInfo bytes the client sent (opaque to the stand-in). */
  creationData: Buffer;
}

export interface CharacterBlobCodec {
  /** Reads a client's CreationInfo. Throws CharacterBlobError when the blob is malformed. */
  decodeCreation(bytes: Buffer): { name?: string; fields?: unknown };
  /** Builds the CHARACTERINFO blob of a stored character. */
  encodeInfo(character: CharacterRecord): Buffer;
}

const IMCH = Buffer.from('IMCH', 'latin1');
const IMCH_VERSION = 1;
const MAX_NAME_CHARS = 32;

/** True for a name of 1..32 characters (code points). */
function validName(name: string): boolean {
  const chars = [...name].length;
  return chars >= 1 && chars <= MAX_NAME_CHARS;
}

/**
 * The stand-in: "IMCH", u16 version 1, then in DML encoding GID id, STR name,
 * STR zone, STR location, STR creation data. Bytes that do not start with
 * "IMCH" version 1 are opaque creation data (no name).
 */
export class ImchCharacterCodec implements CharacterBlobCodec {
  decodeCreation(bytes: Buffer): { name?: string; fields?: unknown } {
    if (bytes.length < 6 || !bytes.subarray(0, 4).equals(IMCH) || bytes.readUInt16LE(4) !== IMCH_VERSION) return {};
    let at = 6;
    const need = (n: number, what: string): void => {
      if (at + n > bytes.length) throw new CharacterBlobError(`IMCH stand-in truncated in ${what} (need ${n} bytes at ${at}, have ${bytes.length - at})`);
    };
    const str = (what: string): Buffer => {
      need(2, `${what} length`);
      const len = bytes.readUInt16LE(at);
      at += 2;
      need(len, what);
      const out = bytes.subarray(at, at + len);
      at += len;
      return out;
    };
    need(8, 'character id');
    const id = bytes.readBigUInt64LE(at);
    at += 8;
    const nameBytes = str('name');
    const zone = str('zone').toString('utf8');
    const location = str('location').toString('utf8');
    const creationData = Buffer.from(str('creation data'));
    if (at !== bytes.length) throw new CharacterBlobError(`IMCH stand-in has ${bytes.length - at} bytes after its last field`);
    const name = nameBytes.toString('utf8');
    if (!Buffer.from(name, 'utf8').equals(nameBytes)) throw new CharacterBlobError('IMCH stand-in name is not UTF-8');
    if (!validName(name)) throw new CharacterBlobError(`IMCH stand-in name must have 1..${MAX_NAME_CHARS} characters, has ${[...name].length}`);
    return { name, fields: { id, zone, location, creationData } };
  }

  encodeInfo(character: CharacterRecord): Buffer {
    const strs: Buffer[] = [character.name, character.zone, character.location].map((s) => Buffer.from(s, 'utf8'));
    strs.push(character.creationData);
    for (const s of strs) if (s.length > 0xffff) throw new CharacterBlobError(`IMCH field of ${s.length} bytes exceeds a STR (65535)`);
    const out = Buffer.alloc(6 + 8 + strs.reduce((n, s) => n + 2 + s.length, 0));
    IMCH.copy(out, 0);
    out.writeUInt16LE(IMCH_VERSION, 4);
    out.writeBigUInt64LE(BigInt.asUintN(64, character.id), 6);
    let at = 14;
    for (const s of strs) {
      out.writeUInt16LE(s.length, at);
      s.copy(out, at + 2);
      at += 2 + s.length;
    }
    return out;
  }
}

export interface ObjectPropertyCharacterCodecOptions {
  types: TypeList;
  /** The class of CHARACTERINFO objects, e.g. "class CharacterInfo". */
  className: string;
  /** Which properties carry the character's data; those the class lacks are left alone. */
  fields?: { id?: string; name?: string; zone?: string; location?: string };
  /** Serializer settings of the blobs (default: compact, flags 0, mask 0x18). */
  codec?: CodecOptions;
}

const DEFAULT_FIELDS = { id: 'm_globalID', name: 'm_name', zone: 'm_zoneName', location: 'm_location' } as const;

/**
 * The client's own format. CreationInfo is decoded with the type dump (any
 * class it names); CHARACTERINFO is an object of `className` built from the
 * creation fields it shares with that class, then the character's id, name,
 * zone and location in the configured properties.
 */
export class ObjectPropertyCharacterCodec implements CharacterBlobCodec {
  readonly #types: TypeList;
  readonly #className: string;
  readonly #fields: { id: string; name: string; zone: string; location: string };
  readonly #codec: ObjectPropertyCodec;
  readonly #mask: number;

  constructor(options: ObjectPropertyCharacterCodecOptions) {
    this.#types = options.types;
    const c = options.types.byName(options.className);
    if (c === undefined) throw new UnknownClassError(stringId(options.className), `(class ${JSON.stringify(options.className)} is not in the type dump)`);
    this.#className = c.name;
    this.#fields = { ...DEFAULT_FIELDS, ...options.fields };
    this.#codec = new ObjectPropertyCodec(options.types, options.codec);
    this.#mask = options.codec?.propertyMask ?? NETWORK_PROPERTY_MASK;
  }

  decodeCreation(bytes: Buffer): { name?: string; fields?: unknown } {
    let object: OpObject;
    try {
      object = this.#codec.decode(bytes);
    } catch (error) {
      if (error instanceof ObjectPropertyError) throw new CharacterBlobError(`CreationInfo does not decode: ${error.message}`, { cause: error });
      throw error;
    }
    const name = object[this.#fields.name];
    if (typeof name === 'string') {
      if (!validName(name)) throw new CharacterBlobError(`character name must have 1..${MAX_NAME_CHARS} characters, has ${[...name].length}`);
      return { name, fields: object };
    }
    return { fields: object };
  }

  encodeInfo(character: CharacterRecord): Buffer {
    const c = this.#types.byName(this.#className)!;
    const info = defaultObject(this.#types, this.#className, this.#mask);
    if (character.creationData.length > 0) {
      try {
        const creation = this.#codec.decode(character.creationData);
        for (const [k, v] of Object.entries(creation)) if (k !== '$class' && k in info) info[k] = v;
      } catch (error) {
        if (!(error instanceof ObjectPropertyError)) throw error;
      }
    }
    const set = (property: string, value: bigint | string): void => {
      const p = c.byName.get(property);
      if (p === undefined || !(property in info)) return;
      if (typeof value === 'bigint') {
        const k = p.value.kind;
        info[property] = k === Kind.U64 || k === Kind.I64 ? value : k === Kind.String || k === Kind.WString ? value.toString() : Number(value);
      } else {
        info[property] = value;
      }
    };
    set(this.#fields.id, character.id);
    set(this.#fields.name, character.name);
    set(this.#fields.zone, character.zone);
    set(this.#fields.location, character.location);
    try {
      return this.#codec.encode(info);
    } catch (error) {
      if (error instanceof ObjectPropertyError) throw new CharacterBlobError(`CHARACTERINFO does not encode: ${error.message}`, { cause: error });
      throw error;
    }
  }
}
