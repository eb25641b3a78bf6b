// Builds a version-2 type dump (docs/objectproperty.md) from short class declarations: inherited
// properties are listed in each class as the dump format wants, ids follow declaration order, and
// hashes are computed with the format's hash functions.
import { propertyHash, stringId } from '../../protocol/index.js';

export interface PropertySpec {
  readonly type: string;
  readonly flags?: number;
  /** A length-prefixed list. */
  readonly list?: boolean;
  readonly pointer?: boolean;
  readonly enumOptions?: Readonly<Record<string, number>>;
}

interface Declared {
  readonly name: string;
  readonly base: string | undefined;
  readonly properties: ReadonlyArray<readonly [string, PropertySpec]>;
}

export class DumpBuilder {
  readonly #classes = new Map<string, Declared>();
  readonly #defaultFlags: number;

  constructor(defaultFlags: number) {
    this.#defaultFlags = defaultFlags;
  }

  /** Declares `class Name` with an optional base (declared before it) and its own properties. */
  add(name: string, base: string | undefined, properties: Readonly<Record<string, PropertySpec | string>> = {}): this {
    if (this.#classes.has(name)) throw new Error(`class ${name} declared twice`);
    if (base !== undefined && !this.#classes.has(base)) throw new Error(`base ${base} of ${name} is not declared`);
    const own = Object.entries(properties).map(([key, spec]) => [key, typeof spec === 'string' ? { type: spec } : spec] as const);
    this.#classes.set(name, { name, base, properties: own });
    return this;
  }

  /** The ancestors of a class, nearest first. */
  #chain(name: string): string[] {
    const out: string[] = [];
    for (let c = this.#classes.get(name)?.base; c !== undefined; c = this.#classes.get(c)?.base) out.push(c);
    return out;
  }

  toJson(): { version: 2; classes: Record<string, unknown> } {
    const classes: Record<string, unknown> = {};
    for (const declared of this.#classes.values()) {
      const chain = this.#chain(declared.name);
      const all = [...chain].reverse().flatMap((c) => this.#classes.get(c)!.properties).concat(declared.properties);
      const properties: Record<string, unknown> = {};
      all.forEach(([key, spec], id) => {
        properties[key] = {
          type: spec.type,
          id,
          flags: spec.flags ?? this.#defaultFlags,
          container: spec.list === true ? 'List' : 'Static',
          dynamic: spec.list === true,
          pointer: spec.pointer ?? (spec.type.endsWith('*') || spec.type.startsWith('class SharedPointer<')),
          hash: propertyHash(spec.type, key),
          ...(spec.enumOptions === undefined ? {} : { enum_options: spec.enumOptions }),
        };
      });
      const full = `class ${declared.name}`;
      const hash = stringId(full);
      classes[String(hash)] = { name: full, bases: chain.map((c) => `class ${c}`), hash, properties };
    }
    return { version: 2, classes };
  }
}
