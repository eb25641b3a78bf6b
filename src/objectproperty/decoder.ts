// Reads objects from a bit stream: compact mode (properties by mask, in id
// order) and verbose mode (sized records named by hash). Every count and size
// is checked against the bits left before anything is allocated.
import { isUtf8 } from 'node:buffer';
import { BitReader } from './bit-reader.js';
import {
  DepthLimitError, EnumValueError, LengthError, MissingDeltaError, ObjectPropertyError, SizeMismatchError, UnknownClassError,
} from './errors.js';
import { SerializerFlags } from './flags.js';
import type { CoreHeader, OpObject } from './object-shape.js';
import type { ClassDef, PropertyDef, TypeList } from './type-list.js';
import { Kind, minBits, type ValueType } from './value-type.js';
import { tryEnumName } from './enum-names.js';

export interface DecoderSettings {
  readonly flags: number;
  readonly propertyMask: number;
  readonly verbose: boolean;
  readonly maxDepth: number;
  readonly skipUnknownClasses: boolean;
  /** Numeric enums decode as their option names when the options express the value exactly. */
  readonly enumNames: boolean;
}

export class ObjectDecoder {
  readonly #types: TypeList;
  readonly #r: BitReader;
  readonly #mask: number;
  readonly #verbose: boolean;
  readonly #maxDepth: number;
  readonly #skipUnknown: boolean;
  readonly #compactPrefixes: boolean;
  readonly #enumsAsStrings: boolean;
  readonly #forbidDelta: boolean;
  readonly #enumNames: boolean;
  #depth = 0;

  constructor(types: TypeList, reader: BitReader, s: DecoderSettings) {
    this.#types = types;
    this.#r = reader;
    this.#mask = s.propertyMask;
    this.#verbose = s.verbose;
    this.#maxDepth = s.maxDepth;
    this.#skipUnknown = s.skipUnknownClasses;
    this.#compactPrefixes = (s.flags & SerializerFlags.COMPACT_LENGTH_PREFIXES) !== 0;
    this.#enumsAsStrings = (s.flags & SerializerFlags.HUMAN_READABLE_ENUMS) !== 0;
    this.#forbidDelta = (s.flags & SerializerFlags.FORBID_DELTA_ENCODE) !== 0;
    this.#enumNames = s.enumNames;
  }

  /** An object: class hash then body; null for a hash of 0. */
  object(context: string): OpObject | null {
    const hash = this.#r.u32();
    if (hash === 0) return null;
    const c = this.#types.byHash(hash);
    if (c === undefined) {
      if (this.#verbose && this.#skipUnknown) {
        const sizePos = this.#r.pos;
        const size = this.#r.u32();
        if (size < 32 || sizePos + size > this.#r.end) throw new LengthError(`unknown object of ${size} bits exceeds the data`);
        this.#r.pos = sizePos + size;
        return null;
      }
      throw new UnknownClassError(hash, context);
    }
    return this.body(c, undefined);
  }

  /** The CoreObject root header: u8 object id, u8 namespace id, u32 template id or class hash. */
  coreHeader(): CoreHeader {
    const objectId = this.#r.u8();
    const namespaceId = this.#r.u8();
    const templateId = this.#r.u32();
    return { objectId, namespaceId, templateId };
  }

  body(c: ClassDef, core: CoreHeader | undefined): OpObject {
    if (++this.#depth > this.#maxDepth) throw new DepthLimitError(this.#maxDepth);
    const obj: OpObject = core === undefined ? { $class: c.name } : { $class: c.name, $core: core };
    if (this.#verbose) this.#verboseBody(c, obj);
    else this.#compactBody(c, obj);
    this.#depth--;
    return obj;
  }

  #compactBody(c: ClassDef, obj: OpObject): void {
    const r = this.#r;
    for (const p of this.#types.masked(c, this.#mask)) {
      if (p.isDelta && !r.bool()) {
        if (this.#forbidDelta) throw new MissingDeltaError(c.name, p.name);
        continue;
      }
      obj[p.name] = p.dynamic ? this.#list(c, p) : this.#value(c, p);
    }
  }

  #verboseBody(c: ClassDef, obj: OpObject): void {
    const r = this.#r;
    const sizePos = r.pos;
    const size = r.u32();
    const end = sizePos + size;
    if (size < 32) throw new SizeMismatchError(`object ${c.name} declares ${size} bits, less than its size field`);
    if (end > r.end) throw new LengthError(`object ${c.name} declares ${size} bits, more than the data holds`);
    while (r.pos < end) {
      const start = r.pos;
      const recordSize = r.u32();
      const hash = r.u32();
      const recordEnd = start + recordSize;
      if (recordEnd > end || r.pos > recordEnd) {
        throw new SizeMismatchError(`property record of ${recordSize} bits in ${c.name} does not fit its object`);
      }
      const p = c.byHash.get(hash);
      if (p === undefined) {
        r.pos = recordEnd;
        continue;
      }
      try {
        obj[p.name] = p.dynamic ? this.#list(c, p) : this.#value(c, p);
      } catch (error) {
        // Files are large: name the property (and the ones around it) so the broken data can be found.
        if (error instanceof ObjectPropertyError) {
          const here = `${c.name}.${p.name}`;
          error.propertyPath = error.propertyPath === undefined ? here : `${here} > ${error.propertyPath}`;
        }
        throw error;
      }
      if (r.pos !== recordEnd) {
        throw new SizeMismatchError(`property ${p.name} of ${c.name} declares ${recordSize} bits but takes ${r.pos - start}`);
      }
    }
    if (r.pos !== end) throw new SizeMismatchError(`object ${c.name} declares ${size} bits but its properties take ${r.pos - sizePos}`);
  }

  #length(isList: boolean): number {
    const r = this.#r;
    if (this.#compactPrefixes) return r.bool() ? r.bits(31) : r.bits(7);
    return isList ? r.u32() : r.u16();
  }

  #list(c: ClassDef, p: PropertyDef): unknown[] {
    const count = this.#length(true);
    const least = minBits(p.value, p.isEnum, this.#enumsAsStrings, this.#compactPrefixes);
    if (count * least > this.#r.remainingBits) {
      throw new LengthError(`list ${p.name} of ${c.name} claims ${count} elements, more than the ${this.#r.remainingBits} bits left can hold`);
    }
    const out: unknown[] = [];
    for (let i = 0; i < count; i++) out.push(this.#value(c, p));
    return out;
  }

  #string(): string | Buffer {
    const len = this.#length(false);
    if (len === 0) return '';
    const start = this.#r.skipBytes(len);
    const end = start + len;
    const buf = this.#r.buffer;
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (buf[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    // Most game strings are ASCII: decode them without an intermediate view.
    if (ascii) return buf.toString('latin1', start, end);
    const bytes = buf.subarray(start, end);
    return isUtf8(bytes) ? bytes.toString('utf8') : Buffer.from(bytes);
  }

  #value(c: ClassDef, p: PropertyDef): unknown {
    if (p.isEnum) return this.#enum(c, p);
    return this.#plain(p.value, c, p);
  }

  #enum(c: ClassDef, p: PropertyDef): number | string {
    if (!this.#enumsAsStrings) {
      const n = this.#r.bits(32);
      return this.#enumNames ? tryEnumName(p, n) ?? n : n;
    }
    const raw = this.#string();
    const name = typeof raw === 'string' ? raw : raw.toString('latin1');
    if (p.enumOptions.size > 0) {
      const parts = p.isBits ? (name === '' ? [] : name.split('|')) : [name];
      for (const part of parts) if (!p.enumOptions.has(part)) throw new EnumValueError(c.name, p.name, name);
    }
    return name;
  }

  #plain(t: ValueType, c: ClassDef, p: PropertyDef): unknown {
    const r = this.#r;
    switch (t.kind) {
      case Kind.Bool: return r.bool();
      case Kind.UBits: return r.bits(t.bits);
      case Kind.SBits: return r.signedBits(t.bits);
      case Kind.U8: return r.u8();
      case Kind.I8: return r.i8();
      case Kind.U16: return r.u16();
      case Kind.I16: return r.i16();
      case Kind.U32: return r.u32();
      case Kind.I32: return r.i32();
      case Kind.F32: return r.f32();
      case Kind.F64: return r.f64();
      case Kind.U64: return r.u64();
      case Kind.I64: return r.i64();
      case Kind.String: return this.#string();
      case Kind.WString: {
        const len = this.#length(false);
        if (len === 0) return '';
        return r.bytes(len * 2).toString('utf16le');
      }
      case Kind.Record: {
        const out: Record<string, number> = {};
        for (const f of t.fields) {
          out[f] = t.element === Kind.U8 ? r.u8() : t.element === Kind.I32 ? r.i32() : t.element === Kind.U32 ? r.u32() : r.f32();
        }
        return out;
      }
      case Kind.FloatArray: {
        const out: number[] = [];
        for (let i = 0; i < t.count; i++) out.push(r.f32());
        return out;
      }
      default:
        return this.object(`in property ${p.name} of ${c.name}`);
    }
  }
}
