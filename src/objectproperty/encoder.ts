// Writes objects in the shape the decoder produces. Values are checked against
// their property's type; a mismatch names the class and property.
import { BitWriter } from './bit-writer.js';
import {
  DepthLimitError, EncodeValueError, MissingDeltaError, UnknownClassError, UnknownPropertyError,
} from './errors.js';
import { SerializerFlags } from './flags.js';
import type { OpObject } from './object-shape.js';
import type { ClassDef, PropertyDef, TypeList } from './type-list.js';
import { Kind, type ValueType } from './value-type.js';
import { enumName, enumNumber } from './enum-names.js';
import { stringId } from '../protocol/hashes.js';

export interface EncoderSettings {
  readonly flags: number;
  readonly propertyMask: number;
  readonly verbose: boolean;
  readonly maxDepth: number;
}

const MAX_LENGTH = 0x7fffffff;

export class ObjectEncoder {
  readonly #types: TypeList;
  readonly #w: BitWriter;
  readonly #mask: number;
  readonly #verbose: boolean;
  readonly #maxDepth: number;
  readonly #compactPrefixes: boolean;
  readonly #enumsAsStrings: boolean;
  readonly #forbidDelta: boolean;
  #depth = 0;

  constructor(types: TypeList, writer: BitWriter, s: EncoderSettings) {
    this.#types = types;
    this.#w = writer;
    this.#mask = s.propertyMask;
    this.#verbose = s.verbose;
    this.#maxDepth = s.maxDepth;
    this.#compactPrefixes = (s.flags & SerializerFlags.COMPACT_LENGTH_PREFIXES) !== 0;
    this.#enumsAsStrings = (s.flags & SerializerFlags.HUMAN_READABLE_ENUMS) !== 0;
    this.#forbidDelta = (s.flags & SerializerFlags.FORBID_DELTA_ENCODE) !== 0;
  }

  classOf(value: unknown, path: string): ClassDef {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EncodeValueError(path, 'expected an object with $class');
    const name = (value as OpObject).$class;
    if (typeof name !== 'string') throw new EncodeValueError(path, 'object without a $class string');
    const c = this.#types.byName(name);
    if (c === undefined) throw new UnknownClassError(stringId(name), `(class ${JSON.stringify(name)} at ${path})`);
    return c;
  }

  /** Class hash and body, or u32 0 for null. */
  object(value: unknown, path: string): void {
    if (value === null || value === undefined) {
      this.#w.u32(0);
      return;
    }
    const c = this.classOf(value, path);
    this.#w.u32(c.hash);
    this.body(c, value as OpObject);
  }

  body(c: ClassDef, obj: OpObject): void {
    if (++this.#depth > this.#maxDepth) throw new DepthLimitError(this.#maxDepth);
    if (this.#verbose) this.#verboseBody(c, obj);
    else this.#compactBody(c, obj);
    this.#depth--;
  }

  #compactBody(c: ClassDef, obj: OpObject): void {
    const w = this.#w;
    for (const p of this.#types.masked(c, this.#mask)) {
      const v = obj[p.name];
      if (p.isDelta) {
        if (v === undefined) {
          if (this.#forbidDelta) throw new MissingDeltaError(c.name, p.name);
          w.bool(false);
          continue;
        }
        w.bool(true);
      } else if (v === undefined) {
        throw new EncodeValueError(`${c.name}.${p.name}`, 'missing (compact mode writes every masked property)');
      }
      if (p.dynamic) this.#list(c, p, v);
      else this.#value(c, p, v);
    }
  }

  #verboseBody(c: ClassDef, obj: OpObject): void {
    const w = this.#w;
    w.align();
    const sizePos = w.pos;
    w.u32(0);
    for (const key in obj) {
      if (key.charCodeAt(0) === 36 /* $ */) continue;
      const v = obj[key];
      if (v === undefined) continue;
      const p = c.byName.get(key);
      if (p === undefined) throw new UnknownPropertyError(c.name, JSON.stringify(key));
      // A record's size counts the padding that aligns its size field (katsuba does the same).
      const start = w.pos;
      w.align();
      const recordSizePos = w.pos;
      w.u32(0);
      w.u32(p.hash);
      if (p.dynamic) this.#list(c, p, v);
      else this.#value(c, p, v);
      w.patchU32(recordSizePos, w.pos - start);
    }
    w.patchU32(sizePos, w.pos - sizePos);
  }

  #length(n: number, isList: boolean): void {
    const w = this.#w;
    if (this.#compactPrefixes) {
      if (n < 0x80) {
        w.bool(false);
        w.bits(n, 7);
      } else {
        w.bool(true);
        w.bits(n, 31);
      }
    } else if (isList) {
      w.u32(n);
    } else {
      w.u16(n);
    }
  }

  #list(c: ClassDef, p: PropertyDef, v: unknown): void {
    if (!Array.isArray(v)) throw new EncodeValueError(`${c.name}.${p.name}`, 'expected an array (dynamic property)');
    if (v.length > MAX_LENGTH) throw new EncodeValueError(`${c.name}.${p.name}`, 'list too long');
    this.#length(v.length, true);
    for (const item of v) this.#value(c, p, item);
  }

  #stringBytes(c: ClassDef, p: PropertyDef, v: unknown): Uint8Array {
    if (typeof v === 'string') return Buffer.from(v, 'utf8');
    if (v instanceof Uint8Array) return v;
    if (typeof v === 'object' && v !== null && typeof (v as { $hex?: unknown }).$hex === 'string') {
      const hex = (v as { $hex: string }).$hex;
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new EncodeValueError(`${c.name}.${p.name}`, '$hex is not hexadecimal');
      return Buffer.from(hex, 'hex');
    }
    throw new EncodeValueError(`${c.name}.${p.name}`, 'expected a string or bytes');
  }

  #string(c: ClassDef, p: PropertyDef, v: unknown): void {
    const limit = this.#compactPrefixes ? MAX_LENGTH : 0xffff;
    if (typeof v === 'string') {
      const n = Buffer.byteLength(v, 'utf8');
      if (n > limit) throw new EncodeValueError(`${c.name}.${p.name}`, `string of ${n} bytes exceeds ${limit}`);
      this.#length(n, false);
      if (n > 0) this.#w.utf8(v, n);
      return;
    }
    const bytes = this.#stringBytes(c, p, v);
    if (bytes.length > limit) throw new EncodeValueError(`${c.name}.${p.name}`, `string of ${bytes.length} bytes exceeds ${limit}`);
    this.#length(bytes.length, false);
    if (bytes.length > 0) this.#w.bytes(bytes);
  }

  #value(c: ClassDef, p: PropertyDef, v: unknown): void {
    if (p.isEnum) this.#enum(c, p, v);
    else this.#plain(p.value, c, p, v);
  }

  #enum(c: ClassDef, p: PropertyDef, v: unknown): void {
    if (this.#enumsAsStrings) {
      let name: string;
      if (typeof v === 'string') name = v;
      else if (typeof v === 'number') name = enumName(c, p, v);
      else throw new EncodeValueError(`${c.name}.${p.name}`, 'expected an enum option name or number');
      this.#string(c, p, name);
    } else {
      let n: number;
      if (typeof v === 'number') n = v;
      else if (typeof v === 'string') n = enumNumber(c, p, v);
      else throw new EncodeValueError(`${c.name}.${p.name}`, 'expected an enum option name or number');
      if (!Number.isInteger(n) || n < -0x80000000 || n > 0xffffffff) throw new EncodeValueError(`${c.name}.${p.name}`, `enum value ${n} is not a 32-bit integer`);
      this.#w.bits(n >>> 0, 32);
    }
  }

  #int(c: ClassDef, p: PropertyDef, v: unknown, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new EncodeValueError(`${c.name}.${p.name}`, `expected an integer in ${min}..${max}, got ${describe(v)}`);
    }
    return v;
  }

  #float(c: ClassDef, p: PropertyDef, v: unknown): number {
    if (typeof v === 'number') return v;
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    throw new EncodeValueError(`${c.name}.${p.name}`, `expected a number, got ${describe(v)}`);
  }

  #big(c: ClassDef, p: PropertyDef, v: unknown, signed: boolean): bigint {
    let b: bigint;
    if (typeof v === 'bigint') b = v;
    else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
    else if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) b = BigInt(v);
    else throw new EncodeValueError(`${c.name}.${p.name}`, `expected a 64-bit integer (bigint, safe integer or decimal string), got ${describe(v)}`);
    const ok = signed ? BigInt.asIntN(64, b) === b : BigInt.asUintN(64, b) === b;
    if (!ok) throw new EncodeValueError(`${c.name}.${p.name}`, `${b} does not fit 64 bits`);
    return b;
  }

  #plain(t: ValueType, c: ClassDef, p: PropertyDef, v: unknown): void {
    const w = this.#w;
    switch (t.kind) {
      case Kind.Bool:
        if (typeof v !== 'boolean') throw new EncodeValueError(`${c.name}.${p.name}`, `expected a boolean, got ${describe(v)}`);
        w.bool(v);
        return;
      case Kind.UBits: w.bits(this.#int(c, p, v, 0, 2 ** t.bits - 1), t.bits); return;
      case Kind.SBits: {
        const n = this.#int(c, p, v, -(2 ** (t.bits - 1)), 2 ** (t.bits - 1) - 1);
        w.bits(n < 0 ? n + 2 ** t.bits : n, t.bits);
        return;
      }
      case Kind.U8: w.u8(this.#int(c, p, v, 0, 0xff)); return;
      case Kind.I8: w.u8(this.#int(c, p, v, -0x80, 0x7f)); return;
      case Kind.U16: w.u16(this.#int(c, p, v, 0, 0xffff)); return;
      case Kind.I16: w.u16(this.#int(c, p, v, -0x8000, 0x7fff)); return;
      case Kind.U32: w.u32(this.#int(c, p, v, 0, 0xffffffff)); return;
      case Kind.I32: w.u32(this.#int(c, p, v, -0x80000000, 0x7fffffff)); return;
      case Kind.F32: w.f32(this.#float(c, p, v)); return;
      case Kind.F64: w.f64(this.#float(c, p, v)); return;
      case Kind.U64: w.u64(this.#big(c, p, v, false)); return;
      case Kind.I64: w.u64(this.#big(c, p, v, true)); return;
      case Kind.String: this.#string(c, p, v); return;
      case Kind.WString: {
        if (typeof v !== 'string') throw new EncodeValueError(`${c.name}.${p.name}`, `expected a string, got ${describe(v)}`);
        const limit = this.#compactPrefixes ? MAX_LENGTH : 0xffff;
        if (v.length > limit) throw new EncodeValueError(`${c.name}.${p.name}`, `string of ${v.length} units exceeds ${limit}`);
        this.#length(v.length, false);
        if (v.length > 0) w.bytes(Buffer.from(v, 'utf16le'));
        return;
      }
      case Kind.Record: {
        if (typeof v !== 'object' || v === null) throw new EncodeValueError(`${c.name}.${p.name}`, `expected {${t.fields.join(', ')}}`);
        const rec = v as Record<string, unknown>;
        for (const f of t.fields) {
          const x = rec[f];
          if (t.element === Kind.U8) w.u8(this.#int(c, p, x, 0, 0xff));
          else if (t.element === Kind.I32) w.u32(this.#int(c, p, x, -0x80000000, 0x7fffffff));
          else if (t.element === Kind.U32) w.u32(this.#int(c, p, x, 0, 0xffffffff));
          else w.f32(this.#float(c, p, x));
        }
        return;
      }
      case Kind.FloatArray: {
        if (!Array.isArray(v) || v.length !== t.count) throw new EncodeValueError(`${c.name}.${p.name}`, `expected an array of ${t.count} numbers`);
        for (const x of v) w.f32(this.#float(c, p, x));
        return;
      }
      default:
        this.object(v, `${c.name}.${p.name}`);
    }
  }
}

function describe(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'object') return v === null ? 'null' : Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}
