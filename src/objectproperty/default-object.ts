// A zero-valued object of a class, to build blobs from scratch (the character
// codec fills one in) rather than from decoded data.
import { UnknownClassError } from './errors.js';
import { NETWORK_PROPERTY_MASK } from './flags.js';
import type { OpObject } from './object-shape.js';
import type { PropertyDef, TypeList } from './type-list.js';
import { Kind, type ValueType } from './value-type.js';
import { stringId } from '../protocol/hashes.js';

/** Every property that compact mode writes under `mask` (default 0x18), set to its zero value; nested objects null. */
export function defaultObject(types: TypeList, className: string, mask = NETWORK_PROPERTY_MASK): OpObject {
  const c = types.byName(className);
  if (c === undefined) throw new UnknownClassError(stringId(className), `(class ${JSON.stringify(className)} is not in the type dump)`);
  const obj: OpObject = { $class: c.name };
  for (const p of types.masked(c, mask)) obj[p.name] = p.dynamic ? [] : defaultValue(p);
  return obj;
}

function defaultValue(p: PropertyDef): unknown {
  if (p.isEnum) {
    const d = p.enumDefault;
    if (typeof d === 'number') return d >>> 0;
    if (typeof d === 'string' && p.enumOptions.has(d)) return p.enumOptions.get(d);
    return p.enumOptions.size > 0 ? p.enumOptions.values().next().value : 0;
  }
  return zero(p.value);
}

function zero(t: ValueType): unknown {
  switch (t.kind) {
    case Kind.Bool: return false;
    case Kind.U64: case Kind.I64: return 0n;
    case Kind.String: case Kind.WString: return '';
    case Kind.Record: return Object.fromEntries(t.fields.map((f) => [f, 0]));
    case Kind.FloatArray: return new Array<number>(t.count).fill(0);
    case Kind.Object: return null;
    default: return 0;
  }
}
