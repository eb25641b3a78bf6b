// Renders the effective configuration for people and logs, with secrets masked: the server secret and the admin
// token entirely, URLs only in their password.
import { formatDuration, formatSize } from './values.js';
import { CONFIG_LEAVES, describeSource, getAt, type LoadedConfig } from './load.js';
import type { Field, Leaf } from './field.js';
import type { ImlightConfig } from './schema.js';

export const MASK = '********';

export function maskValue(field: Field, value: unknown): unknown {
  if (value === undefined || field.secret === false) return value;
  if (field.secret === 'whole') return MASK;
  try {
    const url = new URL(String(value));
    if (url.password !== '') url.password = MASK;
    return url.toString();
  } catch {
    return MASK;
  }
}

/** The configuration as a plain object with every secret masked: safe to log. */
export function maskedConfig(config: ImlightConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const leaf of CONFIG_LEAVES) {
    const value = maskValue(leaf.field, getAt(config, leaf.segments));
    if (value === undefined) continue;
    let node = out;
    for (const key of leaf.segments.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[leaf.segments[leaf.segments.length - 1]!] = value;
  }
  return out;
}

export interface ConfigRow {
  readonly path: string;
  /** Masked, rendered for reading: durations as "15s", unset as "(unset)". */
  readonly value: string;
  readonly source: string;
  readonly env: string;
}

export function configRows(loaded: LoadedConfig): ConfigRow[] {
  return CONFIG_LEAVES.map((leaf) => ({
    path: leaf.path,
    value: renderValue(leaf, maskValue(leaf.field, getAt(loaded.config, leaf.segments))),
    source: describeSource(loaded.sources.get(leaf.path) ?? { kind: 'default' }),
    env: leaf.env,
  }));
}

function renderValue(leaf: Leaf, value: unknown): string {
  if (value === undefined) return '(unset)';
  if (typeof value === 'number' && leaf.field.unit === 'duration') return formatDuration(value);
  if (typeof value === 'number' && leaf.field.unit === 'size') return formatSize(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Aligned text table for `imlight config print`. */
export function formatConfigTable(loaded: LoadedConfig): string {
  const rows = configRows(loaded);
  const width = (pick: (r: ConfigRow) => string, title: string): number => Math.max(title.length, ...rows.map((r) => pick(r).length));
  const wp = width((r) => r.path, 'key');
  const wv = Math.min(60, width((r) => r.value, 'value'));
  const lines = [`${'key'.padEnd(wp)}  ${'value'.padEnd(wv)}  source`];
  for (const r of rows) lines.push(`${r.path.padEnd(wp)}  ${r.value.padEnd(wv)}  ${r.source}`);
  return lines.join('\n');
}

/** The reference tables of docs/configuration.md (`imlight config keys --markdown` prints them). */
export function formatKeyReferenceMarkdown(): string {
  let section: string | undefined;
  const out: string[] = [];
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  for (const leaf of CONFIG_LEAVES) {
    const current = leaf.segments.slice(0, -1).join('.') || 'top level';
    if (current !== section) {
      out.push('', `### ${current}`, '', '| key | default | environment | meaning |', '|---|---|---|---|');
      section = current;
    }
    const field = leaf.field;
    const env = [leaf.env, ...field.envAliases].map((name) => `\`${name}\``).join(', ');
    const secret = field.secret === 'whole' ? ' **Secret**: masked in logs and `config print`.'
      : field.secret === 'url-password' ? ' The password in the URL is masked in logs and `config print`.' : '';
    const fallback = field.defaultText.startsWith('unset') ? field.defaultText.replace(/<([a-zA-Z]+)>/g, '`<$1>`') : `\`${field.defaultText}\``;
    out.push(`| \`${leaf.path}\` | ${cell(fallback)} | ${env} | ${cell(field.doc)}${secret} |`);
  }
  return out.join('\n').trimStart();
}

/** One line per key: path, default, environment name, meaning. */
export function formatKeyList(): string {
  return CONFIG_LEAVES.map((leaf) => `${leaf.path}  (default ${leaf.field.defaultText}; ${leaf.env})\n    ${leaf.field.doc}`).join('\n');
}
