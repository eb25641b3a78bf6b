// Loads the configuration: defaults < file < environment (IMLIGHT_*) < command-line flags, validated as a whole so
// that every problem is reported at once, each naming its key, the problem, the value and where the value came from.
import { existsSync, readFileSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { z } from 'zod';
import { ConfigError, ConfigFileError, type ConfigIssue } from './errors.js';
import { leavesOf, zodOf, type FieldContext, type Leaf } from './field.js';
import { configSchema, type ImlightConfig } from './schema.js';

/** Searched in the working directory, in this order, when no file is named. */
export const DEFAULT_CONFIG_FILES = ['imlight.config.toml', 'imlight.config.json'] as const;
/** Names the configuration file when `--config` is not given. */
export const CONFIG_FILE_ENV = 'IMLIGHT_CONFIG';

export type ValueSource =
  | { readonly kind: 'default' }
  | { readonly kind: 'file'; readonly file: string }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'flag'; readonly flag: string };

export function describeSource(source: ValueSource): string {
  switch (source.kind) {
    case 'default': return 'default';
    case 'file': return `file ${source.file}`;
    case 'env': return source.name;
    case 'flag': return source.flag;
  }
}

/** A value from the command line. `flag` is how the operator wrote it, e.g. `--port` or `--set login.port=1`. */
export interface ConfigOverride {
  readonly path: string;
  readonly value: unknown;
  readonly flag: string;
}

export interface LoadConfigOptions {
  /** Relative paths (file, data folder, ...) resolve against this; default `process.cwd()`. */
  readonly cwd?: string;
  /** Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** An explicit file (`--config`); it must exist. */
  readonly configFile?: string;
  readonly overrides?: readonly ConfigOverride[];
}

export interface LoadedConfig {
  readonly config: ImlightConfig;
  /** Where each key's value came from, by dotted path. */
  readonly sources: ReadonlyMap<string, ValueSource>;
  /** The file read, if any (absolute). */
  readonly file: string | undefined;
  /** Non-fatal findings, e.g. an IMLIGHT_* variable that names no key. */
  readonly warnings: readonly string[];
}

/** Variables of the test suites and benchmarks, not configuration keys: never warned about. */
const NON_CONFIG_PREFIXES = ['IMLIGHT_TEST_', 'IMLIGHT_FUZZ_', 'IMLIGHT_BENCH_'] as const;

export const CONFIG_LEAVES: readonly Leaf[] = leavesOf(configSchema);
const LEAF_BY_PATH = new Map(CONFIG_LEAVES.map((leaf) => [leaf.path, leaf]));
const ROOT_SCHEMA: z.ZodType = zodOf(configSchema);

export function configLeaf(path: string): Leaf | undefined {
  return LEAF_BY_PATH.get(path);
}

export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const sources = new Map<string, ValueSource>();
  const warnings: string[] = [];
  const issues: ConfigIssue[] = [];

  const file = findConfigFile(cwd, env, options.configFile);
  const displayFile = file === undefined ? undefined : displayPath(cwd, file);
  const raw: Record<string, unknown> = file === undefined ? {} : readConfigFile(file, displayFile!);
  if (file !== undefined) {
    for (const leaf of CONFIG_LEAVES) {
      if (getAt(raw, leaf.segments) !== undefined) sources.set(leaf.path, { kind: 'file', file: displayFile! });
    }
  }

  const known = new Set<string>([CONFIG_FILE_ENV, 'IMLIGHT_DEBUG']);
  for (const leaf of CONFIG_LEAVES) {
    for (const name of [leaf.env, ...leaf.field.envAliases]) {
      known.add(name);
      const value = env[name];
      if (value === undefined || value === '') continue;
      setAt(raw, leaf.segments, value);
      sources.set(leaf.path, { kind: 'env', name });
      break;
    }
  }
  // A typo in a variable name would otherwise be silently ignored.
  for (const name of Object.keys(env)) {
    if (name.startsWith('IMLIGHT_') && !known.has(name) && !NON_CONFIG_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      const guess = closest(name, [...known]);
      warnings.push(`environment variable ${name} names no configuration key${guess === undefined ? '' : ` (did you mean ${guess}?)`}`);
    }
  }

  for (const override of options.overrides ?? []) {
    const leaf = LEAF_BY_PATH.get(override.path);
    if (leaf === undefined) {
      issues.push({ path: override.path, message: unknownKeyMessage(override.path), source: override.flag });
      continue;
    }
    setAt(raw, leaf.segments, override.value);
    sources.set(leaf.path, { kind: 'flag', flag: override.flag });
  }

  const parsed = ROOT_SCHEMA.safeParse(raw);
  if (!parsed.success) issues.push(...parsed.error.issues.flatMap((issue) => toIssues(issue, raw, sources)));
  if (issues.length > 0) throw new ConfigError(issues);

  const config = resolveConfig(parsed.data as Record<string, unknown>, cwd);
  const conflicts = portConflicts(config as ImlightConfig, sources);
  if (conflicts.length > 0) throw new ConfigError(conflicts);
  for (const leaf of CONFIG_LEAVES) if (!sources.has(leaf.path)) sources.set(leaf.path, { kind: 'default' });
  return { config: deepFreeze(config) as ImlightConfig, sources, file, warnings };
}

function findConfigFile(cwd: string, env: Readonly<Record<string, string | undefined>>, explicit: string | undefined): string | undefined {
  const named = explicit ?? (env[CONFIG_FILE_ENV] === '' ? undefined : env[CONFIG_FILE_ENV]);
  if (named !== undefined) {
    const path = resolve(cwd, named);
    if (!existsSync(path)) throw new ConfigFileError(named, 'not found');
    return path;
  }
  for (const name of DEFAULT_CONFIG_FILES) {
    const path = resolve(cwd, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

function readConfigFile(path: string, display: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(display, `cannot be read: ${(error as Error).message}`, { cause: error });
  }
  let document: unknown;
  const ext = extname(path).toLowerCase();
  try {
    if (ext === '.toml') document = parseToml(text);
    else if (ext === '.json') document = JSON.parse(text);
    else throw new ConfigFileError(display, `unsupported extension "${ext}" (use .toml or .json)`);
  } catch (error) {
    if (error instanceof ConfigFileError) throw error;
    throw new ConfigFileError(display, `is not valid ${ext.slice(1).toUpperCase()}: ${(error as Error).message}`, { cause: error });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ConfigFileError(display, 'must hold a table (object) of settings');
  }
  return structuredClone(document) as Record<string, unknown>;
}

function toIssues(issue: z.core.$ZodIssue, raw: unknown, sources: ReadonlyMap<string, ValueSource>): ConfigIssue[] {
  const segments = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const parentSource = sourceOf([...segments, issue.keys[0] ?? ''], sources);
    return issue.keys.map((key) => {
      const path = [...segments, key].join('.');
      return { path, message: unknownKeyMessage(path), ...sourceField(parentSource) };
    });
  }
  const path = segments.join('.');
  const leaf = owningLeaf(segments);
  const value = getAt(raw, segments);
  const shown = value === undefined ? '' : leaf?.field.secret ? ', got a hidden value' : `, got ${render(value)}`;
  return [{ path, message: `${issue.message}${shown}`, ...sourceField(sourceOf(segments, sources)) }];
}

function sourceField(source: ValueSource | undefined): { source?: string } {
  return source === undefined ? {} : { source: describeSource(source) };
}

function sourceOf(segments: readonly string[], sources: ReadonlyMap<string, ValueSource>): ValueSource | undefined {
  const leaf = owningLeaf(segments);
  if (leaf !== undefined) return sources.get(leaf.path);
  // An unknown key can only have come from the file (env and flags are checked against known keys).
  for (const source of sources.values()) if (source.kind === 'file') return source;
  return undefined;
}

function owningLeaf(segments: readonly string[]): Leaf | undefined {
  for (let n = segments.length; n > 0; n--) {
    const leaf = LEAF_BY_PATH.get(segments.slice(0, n).join('.'));
    if (leaf !== undefined) return leaf;
  }
  return undefined;
}

function unknownKeyMessage(path: string): string {
  const guess = closest(path, CONFIG_LEAVES.map((l) => l.path));
  return `unknown key${guess === undefined ? '' : ` (did you mean ${guess}?)`}`;
}

function render(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'bigint' ? String(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function resolveConfig(parsed: Record<string, unknown>, cwd: string): Record<string, unknown> {
  const dataDir = resolve(cwd, parsed.dataDir as string);
  const context: FieldContext = { dataDir };
  for (const leaf of CONFIG_LEAVES) {
    let value = getAt(parsed, leaf.segments);
    if (value === undefined && leaf.field.derive !== undefined) value = leaf.field.derive(context);
    if (typeof value === 'string' && leaf.field.isPath) value = resolve(cwd, value);
    if (value !== undefined) setAt(parsed, leaf.segments, value);
  }
  return parsed;
}

function portConflicts(config: ImlightConfig, sources: ReadonlyMap<string, ValueSource>): ConfigIssue[] {
  const taken = new Map<number, string>();
  const issues: ConfigIssue[] = [];
  const claim = (port: number, path: string, what: string): void => {
    if (port === 0) return;
    const other = taken.get(port);
    if (other !== undefined) {
      issues.push({ path, message: `${what} ${port} is also used by ${other}`, ...sourceField(sources.get(path)) });
    } else {
      taken.set(port, path);
    }
  };
  claim(config.login.port, 'login.port', 'port');
  if (config.game.port !== 0) {
    if (config.game.port + config.game.count - 1 > 65535) {
      issues.push({ path: 'game.port', message: `game.port + game.count - 1 must be at most 65535, got ${config.game.port} + ${config.game.count} - 1`, ...sourceField(sources.get('game.port')) });
    }
    for (let i = 0; i < config.game.count; i++) claim(config.game.port + i, 'game.port', i === 0 ? 'port' : `port of game server ${i + 1},`);
  }
  claim(config.patch.port, 'patch.port', 'port');
  claim(config.patch.httpPort, 'patch.httpPort', 'port');
  if (config.admin.enabled) claim(config.admin.port, 'admin.port', 'port');
  return issues;
}

function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? `./${rel}` : path;
}

export function getAt(root: unknown, segments: readonly string[]): unknown {
  let node = root;
  for (const key of segments) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function setAt(root: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let node = root;
  for (const key of segments.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[segments[segments.length - 1]!] = value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The candidate nearest to `word` by edit distance, when it is near enough to be a plausible typo. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 4)) + 1;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
