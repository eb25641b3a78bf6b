// One configuration key: its value schema, its default, its documentation and how it is masked. The schema tree
// (schema.ts) is a plain object of fields, from which the loader derives the zod schema, the environment names,
// the documentation table and the masking rules, so those can never drift apart.
import { z } from 'zod';

export interface FieldContext {
  /** The resolved data folder, for keys whose default lives inside it. */
  readonly dataDir: string;
}

export interface Field<T = unknown> {
  readonly kind: 'field';
  /** Validates one value; `undefined` yields the default (or stays `undefined` for optional keys). */
  readonly schema: z.ZodType<T | undefined>;
  /** One line for docs and `config print`. */
  readonly doc: string;
  /** The default as an operator writes it (`"15s"`), or a description for derived defaults. */
  readonly defaultText: string;
  /** Masked in summaries and logs. `url-password` masks only the password of a URL. */
  readonly secret: false | 'whole' | 'url-password';
  /** Extra environment variable names accepted besides the derived one. */
  readonly envAliases: readonly string[];
  /** Computes the value when nothing set it (paths inside the data folder, names from the host). */
  readonly derive?: (context: FieldContext) => T;
  /** A path, resolved against the working directory after loading. */
  readonly isPath: boolean;
  /** How `config print` renders the number: milliseconds as "15s", bytes as "64KiB". */
  readonly unit: 'duration' | 'size' | undefined;
  /** The output type phantom; never set. */
  readonly _type?: T;
}

interface FieldOptions {
  readonly secret?: 'whole' | 'url-password';
  readonly envAliases?: readonly string[];
  readonly isPath?: boolean;
  readonly unit?: 'duration' | 'size';
}

function makeField<T>(schema: z.ZodType<T | undefined>, defaultText: string, doc: string, options: FieldOptions, derive?: (context: FieldContext) => T): Field<T> {
  return {
    kind: 'field',
    schema,
    doc,
    defaultText,
    secret: options.secret ?? false,
    envAliases: options.envAliases ?? [],
    isPath: options.isPath ?? false,
    unit: options.unit,
    ...(derive === undefined ? {} : { derive }),
  };
}

/** A key with a fixed default. */
export function field<T>(schema: z.ZodType<T>, defaultValue: T, defaultText: string, doc: string, options: FieldOptions = {}): Field<T> {
  return makeField(schema.optional().transform((value) => (value === undefined ? defaultValue : value)) as z.ZodType<T | undefined>, defaultText, doc, options);
}

/** A key that may stay unset; `defaultText` says what unset means. */
export function optionalField<T>(schema: z.ZodType<T>, defaultText: string, doc: string, options: FieldOptions = {}): Field<T | undefined> {
  return makeField(schema.optional(), defaultText, doc, options);
}

/** A key whose default is computed from other settings after loading. */
export function derivedField<T>(schema: z.ZodType<T>, derive: (context: FieldContext) => T, defaultText: string, doc: string, options: FieldOptions = {}): Field<T> {
  return makeField(schema.optional(), defaultText, doc, options, derive);
}

export function isField(value: unknown): value is Field<any> {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'field';
}

export interface FieldTree {
  readonly [key: string]: Field<any> | FieldTree;
}

/** The configuration type a field tree describes. */
export type ConfigOf<T> = T extends Field<infer V> ? V : { readonly [K in keyof T]: ConfigOf<T[K]> };

export interface Leaf {
  readonly path: string;
  readonly segments: readonly string[];
  readonly field: Field;
  /** `IMLIGHT_` + each segment in UPPER_SNAKE case, joined by `_`. */
  readonly env: string;
}

export function envName(segments: readonly string[]): string {
  return `IMLIGHT_${segments.map((s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_')}`;
}

export function leavesOf(tree: FieldTree, prefix: readonly string[] = []): Leaf[] {
  const out: Leaf[] = [];
  for (const [key, node] of Object.entries(tree)) {
    const segments = [...prefix, key];
    if (isField(node)) out.push({ path: segments.join('.'), segments, field: node, env: envName(segments) });
    else out.push(...leavesOf(node, segments));
  }
  return out;
}

export function zodOf(tree: FieldTree): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, node] of Object.entries(tree)) {
    shape[key] = isField(node) ? node.schema : zodOf(node);
  }
  return z.strictObject(shape).prefault({});
}
