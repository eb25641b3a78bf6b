// Loading the type dump (objectproperty.md "The type dump"): versions 1 and 2,
// validated field by field, compiled into lookup tables the codec uses on its
// hot path (classes by hash and name, properties by hash, masked property lists).
import { readFile } from 'node:fs/promises';
import { propertyHash, stringId } from '../protocol/hashes.js';
import { TypeDumpError } from './errors.js';
import { PropertyFlags } from './flags.js';
import { type ValueType, valueTypeOf } from './value-type.js';

export interface PropertyDef {
  readonly name: string;
  /** The element type string exactly as dumped (used for the hash and for decoding). */
  readonly type: string;
  /** Order in compact mode. */
  readonly id: number;
  readonly flags: number;
  readonly container: string;
  /** true: a length-prefixed list of `type` values. */
  readonly dynamic: boolean;
  readonly pointer: boolean;
  readonly hash: number;
  /** Option name -> value, without `__DEFAULT` and `__BASECLASS`; empty when the dump gives none. */
  readonly enumOptions: ReadonlyMap<string, number>;
  readonly enumDefault: string | number | undefined;
  readonly isEnum: boolean;
  readonly isBits: boolean;
  readonly isDelta: boolean;
  readonly value: ValueType;
  /** The class that declares this property in the dump (the one listing it). */
  readonly owner: string;
}

export interface ClassDef {
  readonly name: string;
  readonly hash: number;
  readonly bases: readonly string[];
  /** In `id` order. */
  readonly properties: readonly PropertyDef[];
  readonly byHash: ReadonlyMap<number, PropertyDef>;
  readonly byName: ReadonlyMap<string, PropertyDef>;
}

export class TypeList {
  readonly version: 1 | 2;
  readonly classes: readonly ClassDef[];
  /**
   * Ambiguities that do not stop loading: a class hash used twice (the first
   * class keeps it), a property hash or id used twice in one class.
   */
  readonly warnings: readonly string[];
  readonly #byHash: Map<number, ClassDef>;
  readonly #byName: Map<string, ClassDef>;
  readonly #masked = new Map<ClassDef, Map<number, readonly PropertyDef[]>>();

  constructor(version: 1 | 2, classes: readonly ClassDef[], warnings: readonly string[] = []) {
    this.version = version;
    this.classes = classes;
    this.#byHash = new Map();
    this.#byName = new Map();
    const notes = [...warnings];
    for (const c of classes) {
      const clash = this.#byHash.get(c.hash);
      if (clash === undefined) this.#byHash.set(c.hash, c);
      else notes.push(`class ${JSON.stringify(c.name)}: hash ${c.hash} is also used by ${JSON.stringify(clash.name)}, which keeps it`);
      this.#byName.set(c.name, c);
    }
    this.warnings = notes;
  }

  byHash(hash: number): ClassDef | undefined {
    return this.#byHash.get(hash);
  }

  /** By full name ("class Foo"); a bare name ("Foo") also finds "class Foo" or "struct Foo". */
  byName(name: string): ClassDef | undefined {
    return this.#byName.get(name) ?? this.#byName.get(`class ${name}`) ?? this.#byName.get(`struct ${name}`);
  }

  /** The properties compact mode writes for `mask`: all of the mask's bits, not DEPRECATED, in id order. */
  masked(c: ClassDef, mask: number): readonly PropertyDef[] {
    let perMask = this.#masked.get(c);
    if (perMask === undefined) {
      perMask = new Map();
      this.#masked.set(c, perMask);
    }
    let list = perMask.get(mask);
    if (list === undefined) {
      list = c.properties.filter((p) => (p.flags & mask) === mask && (p.flags & PropertyFlags.DEPRECATED) === 0);
      perMask.set(mask, list);
    }
    return list;
  }
}

/** Reads and loads a type dump JSON file. */
export async function readTypeDump(path: string): Promise<TypeList> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TypeDumpError(`${path} is not JSON: ${(error as Error).message}`, {}, { cause: error });
  }
  return loadTypeDump(json);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isU32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;

/** Loads a parsed type dump (version 1: class names as top-level keys; version 2: `{version: 2, classes}`). */
export function loadTypeDump(json: unknown): TypeList {
  if (!isRecord(json)) throw new TypeDumpError('a type dump must be a JSON object');
  const classes: ClassDef[] = [];
  const warnings: string[] = [];
  if (json['version'] === 2) {
    const entries = json['classes'];
    if (!isRecord(entries)) throw new TypeDumpError('version 2 type dump: "classes" must be an object');
    for (const [key, raw] of Object.entries(entries)) {
      if (!isRecord(raw)) throw new TypeDumpError(`class entry ${JSON.stringify(key)} must be an object`);
      const name = raw['name'];
      if (typeof name !== 'string' || name.length === 0) throw new TypeDumpError(`class entry ${JSON.stringify(key)} has no "name"`);
      const keyHash = /^\d+$/.test(key) ? Number(key) : undefined;
      if (keyHash !== undefined && raw['hash'] !== undefined && raw['hash'] !== keyHash) {
        throw new TypeDumpError(`key ${key} and "hash" ${String(raw['hash'])} disagree`, { className: name });
      }
      classes.push(loadClass(name, raw, keyHash, warnings));
    }
  } else if (json['version'] === undefined || json['version'] === 1) {
    for (const [name, raw] of Object.entries(json)) {
      if (name === 'version') continue;
      if (!isRecord(raw)) throw new TypeDumpError('class entry must be an object', { className: name });
      classes.push(loadClass(name, raw, undefined, warnings));
    }
  } else {
    throw new TypeDumpError(`unsupported type dump version ${JSON.stringify(json['version'])}`);
  }
  return new TypeList(json['version'] === 2 ? 2 : 1, classes, warnings);
}

function loadClass(name: string, raw: Record<string, unknown>, keyHash: number | undefined, warnings: string[]): ClassDef {
  const where = { className: name };
  const hashField = raw['hash'];
  if (hashField !== undefined && !isU32(hashField)) throw new TypeDumpError('"hash" must be an unsigned 32-bit integer', where);
  const hash = hashField ?? keyHash ?? stringId(name);
  const basesField = raw['bases'] ?? [];
  if (!Array.isArray(basesField) || !basesField.every((b) => typeof b === 'string')) throw new TypeDumpError('"bases" must be an array of strings', where);
  const propsField = raw['properties'] ?? {};
  if (!isRecord(propsField)) throw new TypeDumpError('"properties" must be an object', where);

  const properties: PropertyDef[] = [];
  const byHash = new Map<number, PropertyDef>();
  const byName = new Map<string, PropertyDef>();
  const ids = new Map<number, string>();
  for (const [propName, rawProp] of Object.entries(propsField)) {
    const p = loadProperty(name, propName, rawProp);
    const sameHash = byHash.get(p.hash);
    if (sameHash === undefined) byHash.set(p.hash, p);
    else warnings.push(`class ${JSON.stringify(name)}, property ${JSON.stringify(propName)}: hash ${p.hash} is also used by ${JSON.stringify(sameHash.name)}, which keeps it in verbose mode`);
    const sameId = ids.get(p.id);
    if (sameId === undefined) ids.set(p.id, propName);
    else warnings.push(`class ${JSON.stringify(name)}, property ${JSON.stringify(propName)}: id ${p.id} is also used by ${JSON.stringify(sameId)}; compact mode keeps dump order between them`);
    byName.set(propName, p);
    properties.push(p);
  }
  properties.sort((a, b) => a.id - b.id);
  return { name, hash, bases: basesField as string[], properties, byHash, byName };
}

function loadProperty(className: string, name: string, raw: unknown): PropertyDef {
  const where = { className, propertyName: name };
  if (!isRecord(raw)) throw new TypeDumpError('a property must be an object', where);
  const type = raw['type'];
  if (typeof type !== 'string' || type.length === 0) throw new TypeDumpError('"type" must be a non-empty string', where);
  const id = raw['id'];
  if (!isU32(id)) throw new TypeDumpError('"id" must be a non-negative integer', where);
  const flags = raw['flags'] ?? 0;
  if (!isU32(flags)) throw new TypeDumpError('"flags" must be an unsigned 32-bit integer', where);
  const container = raw['container'] ?? 'Static';
  if (typeof container !== 'string') throw new TypeDumpError('"container" must be a string', where);
  const dynamic = raw['dynamic'] ?? false;
  if (typeof dynamic !== 'boolean') throw new TypeDumpError('"dynamic" must be a boolean', where);
  const pointer = raw['pointer'] ?? false;
  if (typeof pointer !== 'boolean') throw new TypeDumpError('"pointer" must be a boolean', where);
  const hashField = raw['hash'];
  if (hashField !== undefined && !isU32(hashField)) throw new TypeDumpError('"hash" must be an unsigned 32-bit integer', where);

  const enumOptions = new Map<string, number>();
  let enumDefault: string | number | undefined;
  const rawOptions = raw['enum_options'];
  if (rawOptions !== undefined && rawOptions !== null) {
    if (!isRecord(rawOptions)) throw new TypeDumpError('"enum_options" must be an object', where);
    for (const [option, value] of Object.entries(rawOptions)) {
      if (option === '__BASECLASS') continue;
      if (option === '__DEFAULT') {
        if (typeof value !== 'string' && typeof value !== 'number') throw new TypeDumpError('enum option __DEFAULT must be a string or number', where);
        enumDefault = value;
        continue;
      }
      const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < -0x80000000 || n > 0xffffffff) {
        throw new TypeDumpError(`enum option ${JSON.stringify(option)} must have a 32-bit integer value`, where);
      }
      enumOptions.set(option, n >>> 0);
    }
  }
  const isBits = (flags & PropertyFlags.BITS) !== 0;
  const isEnum = isBits || (flags & PropertyFlags.ENUM) !== 0 || type.startsWith('enum ');
  return {
    name, type, id, flags, container, dynamic, pointer,
    hash: hashField ?? propertyHash(type, name),
    enumOptions, enumDefault, isEnum, isBits,
    isDelta: (flags & PropertyFlags.DELTA_ENCODE) !== 0,
    value: valueTypeOf(type),
    owner: className,
  };
}
