// Merges the supplemental schema (server-classes.ts) under a client type dump (docs/world.md
// "Server-only classes"): classes the dump lacks are added, with the properties of a base the dump
// defines (TriggerVolume inherits CoreObjectInfo's) listed first as the dump format wants. Every class
// and named property hash is recomputed first; a mismatch throws SchemaHashError.
import { TypeList, loadTypeDump, type ClassDef, type PropertyDef } from '../objectproperty/index.js';
import { propertyHash, stringId } from '../protocol/index.js';
import { SchemaHashError } from './errors.js';
import { SERVER_CLASSES, type SupplementalClass } from './server-classes.js';

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/** The key a property whose name is not recovered decodes under. */
export function unnamedKey(hash: number): string {
  return `unnamed_${hex(hash).slice(2)}`;
}

export interface SchemaCheck {
  /** Properties carried by hash only (their name is not recovered), as `class / hash`. */
  readonly skipped: readonly string[];
}

/** Recomputes every hash of the schema; throws SchemaHashError naming the first entry that disagrees. */
export function checkSupplementalSchema(classes: readonly SupplementalClass[]): SchemaCheck {
  const skipped: string[] = [];
  for (const c of classes) {
    const computed = stringId(c.name);
    if (computed !== c.hash) {
      throw new SchemaHashError(`supplemental schema: class ${JSON.stringify(c.name)} declares hash ${hex(c.hash)}, its name hashes to ${hex(computed)}`);
    }
    for (const p of c.properties) {
      if (p.name === null) {
        skipped.push(`${c.name} / ${hex(p.hash)}`);
        continue;
      }
      const got = propertyHash(p.type, p.name);
      if (got !== p.hash) {
        throw new SchemaHashError(
          `supplemental schema: ${c.name}.${p.name} (${p.type}) declares hash ${hex(p.hash)}, its name and type hash to ${hex(got)}`,
        );
      }
    }
  }
  return { skipped };
}

/**
 * The dump with the supplemental classes it lacks. The dump wins for classes it already has.
 * `classes` defaults to the shipped schema; tests pass variations.
 */
export function withServerClasses(dump: TypeList, classes: readonly SupplementalClass[] = SERVER_CLASSES): TypeList {
  checkSupplementalSchema(classes);
  const missing = classes.filter((c) => dump.byHash(c.hash) === undefined);
  if (missing.length === 0) return dump;
  const json: Record<string, unknown> = {};
  const inherited = new Map<string, readonly PropertyDef[]>();
  for (const c of missing) {
    const base = c.bases.map((b) => dump.byName(b)).find((b): b is ClassDef => b !== undefined);
    const lent = base?.properties ?? [];
    inherited.set(c.name, lent);
    let id = lent.reduce((max, p) => Math.max(max, p.id + 1), 0);
    const properties: Record<string, unknown> = {};
    for (const p of c.properties) {
      properties[p.name ?? unnamedKey(p.hash)] = {
        type: p.type, id: id++, flags: 0x1f, container: p.list === true ? 'List' : 'Static', dynamic: p.list === true,
        pointer: p.type.endsWith('*') || p.type.startsWith('class SharedPointer<'), hash: p.hash,
      };
    }
    json[String(c.hash)] = { name: c.name, bases: c.bases, hash: c.hash, properties };
  }
  const added = loadTypeDump({ version: 2, classes: json }).classes.map((c) => {
    const lent = inherited.get(c.name) ?? [];
    if (lent.length === 0) return c;
    const own = new Set(c.properties.map((p) => p.hash));
    const properties = [...lent.filter((p) => !own.has(p.hash)), ...c.properties].sort((a, b) => a.id - b.id);
    return {
      ...c,
      properties,
      byHash: new Map(properties.map((p) => [p.hash, p])),
      byName: new Map(properties.map((p) => [p.name, p])),
    } satisfies ClassDef;
  });
  return new TypeList(dump.version, [...dump.classes, ...added], dump.warnings);
}
