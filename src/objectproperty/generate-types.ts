// TypeScript declarations for classes of a type dump (`imlight codegen types`),
// matching the shape the codec decodes to, so services handle objects with types.
import { loadTypeDump, type ClassDef, type PropertyDef, TypeList } from './type-list.js';
import { TypeDumpError } from './errors.js';
import { Kind, type ValueType } from './value-type.js';
import { NETWORK_PROPERTY_MASK, PropertyFlags } from './flags.js';

export interface GenerateTypesOptions {
  /** Header comment line naming the source. */
  source?: string;
  /**
   * Properties this mask would not write (and DELTA_ENCODE ones) are optional
   * fields, since a compact decode leaves them out. Default 0x18 (network).
   */
  mask?: number;
}

const PRELUDE = `/** Any decoded object (a class outside this file, or one whose class is not known statically). */
export interface OpObject { $class: string; [field: string]: unknown }
/** std::string: a string when the bytes are UTF-8, else the raw bytes. */
export type OpString = string | Buffer;
export interface OpColor { b: number; g: number; r: number; a: number }
export interface OpVector3D { x: number; y: number; z: number }
export interface OpEuler { pitch: number; yaw: number; roll: number }
export interface OpQuaternion { w: number; x: number; y: number; z: number }
export interface OpPoint { x: number; y: number }
export interface OpSize { width: number; height: number }
export interface OpRect { left: number; top: number; right: number; bottom: number }
`;

const RECORD_NAMES: Record<string, string> = {
  'b,g,r,a': 'OpColor', 'x,y,z': 'OpVector3D', 'pitch,yaw,roll': 'OpEuler', 'w,x,y,z': 'OpQuaternion',
  'x,y': 'OpPoint', 'width,height': 'OpSize', 'left,top,right,bottom': 'OpRect',
};

/** The class a property refers to: "class X", "class X*", "class SharedPointer<class X>". */
function referencedClassName(type: string): string {
  let t = type.trim();
  const shared = /^class SharedPointer<(.+)>$/.exec(t);
  if (shared !== null) t = shared[1]!.trim();
  while (t.endsWith('*')) t = t.slice(0, -1).trim();
  return t;
}

/**
 * Emits TypeScript interfaces for `classNames` (all classes when omitted) and
 * every class they reference, with subclasses as unions where a base is used.
 */
export function generateTypes(dump: TypeList | unknown, classNames?: readonly string[], options: GenerateTypesOptions = {}): string {
  const types = dump instanceof TypeList ? dump : loadTypeDump(dump);
  const mask = options.mask ?? NETWORK_PROPERTY_MASK;
  const ancestors = new Map<ClassDef, Set<string>>();
  const ancestorsOf = (c: ClassDef, seen = new Set<string>()): Set<string> => {
    const known = ancestors.get(c);
    if (known !== undefined) return known;
    const out = new Set<string>();
    for (const b of c.bases) {
      if (seen.has(b)) continue;
      seen.add(b);
      out.add(b);
      const bc = types.byName(b);
      if (bc !== undefined) for (const a of ancestorsOf(bc, seen)) out.add(a);
    }
    ancestors.set(c, out);
    return out;
  };
  const subclasses = (c: ClassDef): ClassDef[] => types.classes.filter((d) => d !== c && ancestorsOf(d).has(c.name));

  const chosen = new Set<ClassDef>();
  const queue: ClassDef[] = [];
  const add = (c: ClassDef): void => {
    if (chosen.has(c)) return;
    chosen.add(c);
    queue.push(c);
  };
  if (classNames === undefined || classNames.length === 0) {
    for (const c of types.classes) add(c);
  } else {
    for (const n of classNames) {
      const c = types.byName(n);
      if (c === undefined) throw new TypeDumpError(`class ${JSON.stringify(n)} is not in the type dump`);
      add(c);
    }
  }
  while (queue.length > 0) {
    const c = queue.shift()!;
    for (const p of c.properties) {
      if (p.isEnum || p.value.kind !== Kind.Object) continue;
      const ref = types.byName(referencedClassName(p.type));
      if (ref === undefined) continue;
      add(ref);
      for (const s of subclasses(ref)) add(s);
    }
  }

  const ordered = [...chosen].sort((a, b) => a.name.localeCompare(b.name));
  const idents = new Map<ClassDef, string>();
  const used = new Set<string>(['OpObject', 'OpString', 'OpColor', 'OpVector3D', 'OpEuler', 'OpQuaternion', 'OpPoint', 'OpSize', 'OpRect']);
  for (const c of ordered) {
    let id = c.name.replace(/^(class|struct|enum)\s+/, '').replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
    if (id === '' || /^\d/.test(id)) id = `C_${id}`;
    if (used.has(id)) id = `${id}_${c.hash}`;
    used.add(id);
    idents.set(c, id);
  }
  const unionOf = new Map<ClassDef, string>();
  for (const c of ordered) {
    const subs = subclasses(c).filter((s) => chosen.has(s));
    if (subs.length > 0) unionOf.set(c, `${idents.get(c)}Like`);
  }

  const refType = (p: PropertyDef): string => {
    const ref = types.byName(referencedClassName(p.type));
    if (ref === undefined || !chosen.has(ref)) return 'OpObject | null';
    return `${unionOf.get(ref) ?? idents.get(ref)!} | null`;
  };
  const valueType = (p: PropertyDef, t: ValueType): string => {
    if (p.isEnum) {
      const names = [...p.enumOptions.keys()].map((n) => JSON.stringify(n));
      return names.length === 0 ? 'number | string' : `${names.join(' | ')} | number${p.isBits ? ' | string' : ''}`;
    }
    switch (t.kind) {
      case Kind.Bool: return 'boolean';
      case Kind.U64: case Kind.I64: return 'bigint';
      case Kind.String: return 'OpString';
      case Kind.WString: return 'string';
      case Kind.Record: return RECORD_NAMES[t.fields.join(',')] ?? `{ ${t.fields.map((f) => `${f}: number`).join('; ')} }`;
      case Kind.FloatArray: return 'number[]';
      case Kind.Object: return refType(p);
      default: return 'number';
    }
  };
  const key = (name: string): string => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name));
  const comment = (s: string): string => s.replace(/\*\//g, '*\\/');

  const lines: string[] = [
    `// Generated by \`imlight codegen types\`${options.source === undefined ? '' : ` from ${options.source}`}. Do not edit by hand.`,
    '/* eslint-disable */',
    '',
    PRELUDE,
  ];
  for (const c of ordered) {
    const id = idents.get(c)!;
    lines.push(`/** ${comment(c.name)} (hash ${c.hash})${c.bases.length > 0 ? `, bases: ${comment(c.bases.join(', '))}` : ''} */`);
    lines.push(`export interface ${id} {`);
    lines.push(`  $class: ${JSON.stringify(c.name)};`);
    for (const p of c.properties) {
      const base = valueType(p, p.value);
      const full = p.dynamic ? `Array<${base}>` : base;
      lines.push(`  /** ${comment(p.type)}${p.dynamic ? ` (${comment(p.container)})` : ''}, id ${p.id}, flags 0x${p.flags.toString(16)} */`);
      const optional = p.isDelta || (p.flags & mask) !== mask || (p.flags & PropertyFlags.DEPRECATED) !== 0;
      lines.push(`  ${key(p.name)}${optional ? '?' : ''}: ${full};`);
    }
    lines.push('}');
    const union = unionOf.get(c);
    if (union !== undefined) {
      const members = [c, ...subclasses(c).filter((s) => chosen.has(s))].map((m) => idents.get(m)!);
      lines.push(`/** ${comment(c.name)} or any of its subclasses. */`);
      lines.push(`export type ${union} = ${members.join(' | ')};`);
    }
    lines.push('');
  }
  lines.push(`export const CLASS_HASHES = {`);
  for (const c of ordered) lines.push(`  ${key(c.name)}: ${c.hash},`);
  lines.push('} as const;');
  return `${lines.join('\n')}\n`;
}
