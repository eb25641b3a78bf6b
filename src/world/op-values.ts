// Lenient readers of decoded objects. A user's dump may name a list differently or leave a property out;
// the world reads what is there and falls back to documented defaults, so only undecodable bytes fail.
import type { OpObject, TypeList } from '../objectproperty/index.js';
import type { Vec3 } from './zone-data.js';

export const isOp = (v: unknown): v is OpObject => typeof v === 'object' && v !== null && typeof (v as { $class?: unknown }).$class === 'string';

export function str(o: OpObject, key: string, fallback = ''): string {
  const v = o[key];
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  return fallback;
}

export function num(o: OpObject, key: string, fallback = 0): number {
  const v = o[key];
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return fallback;
}

export function big(o: OpObject, key: string): bigint {
  const v = o[key];
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return 0n;
}

export function bool(o: OpObject, key: string, fallback = false): boolean {
  const v = o[key];
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  return fallback;
}

export function vec3(o: OpObject, key: string): Vec3 {
  const v = o[key] as { x?: unknown; y?: unknown; z?: unknown } | undefined;
  const n = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  return v === undefined || v === null ? { x: 0, y: 0, z: 0 } : { x: n(v.x), y: n(v.y), z: n(v.z) };
}

export function strings(o: OpObject, key: string): string[] {
  const v = o[key];
  if (!Array.isArray(v)) return [];
  return v.map((s) => (typeof s === 'string' ? s : Buffer.isBuffer(s) ? s.toString('latin1') : String(s)));
}

export function bigs(o: OpObject, key: string): bigint[] {
  const v = o[key];
  if (!Array.isArray(v)) return [];
  return v.map((x) => (typeof x === 'bigint' ? x : BigInt(Math.trunc(Number(x)))));
}

/** True when `className` is `base` or inherits it (bases listed whole or one level at a time). */
export function isA(types: TypeList, className: string, base: string): boolean {
  const seen = new Set<string>();
  const walk = (name: string): boolean => {
    if (name === base) return true;
    if (seen.has(name)) return false;
    seen.add(name);
    const c = types.byName(name);
    return c !== undefined && c.bases.some(walk);
  };
  return walk(className);
}

/**
 * The objects of the lists of `o` whose items are `base` or a subclass, in stream order, whatever the
 * list property is called (the names of some lists are not known: docs/world.md).
 */
export function itemsOf(types: TypeList, o: OpObject, base: string): OpObject[] {
  const out: OpObject[] = [];
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (!Array.isArray(v)) continue;
    for (const item of v) if (isOp(item) && isA(types, item.$class, base)) out.push(item);
  }
  return out;
}

/** An enum value as its option name: names pass through, numbers are looked up in `options` (name -> value). */
export function enumName<T extends string>(v: unknown, options: Readonly<Record<T, number>>, fallback: T): T {
  if (typeof v === 'string' && v in options) return v as T;
  if (typeof v === 'number') {
    for (const [name, value] of Object.entries(options) as [T, number][]) if (value === v) return name;
  }
  return fallback;
}
