// Value schemas shared by every configuration key. Environment variables and command-line flags are strings,
// so each schema also accepts the string spelling of its value; files (TOML, JSON) may give the native type.
import { z } from 'zod';

const INTEGER = /^\s*[-+]?\d+\s*$/;

function toInteger(value: unknown): unknown {
  return typeof value === 'string' && INTEGER.test(value) ? Number(value) : value;
}

export function integerSchema(min: number, max: number): z.ZodType<number> {
  const error = `must be an integer ${min}..${max}`;
  return z.preprocess(toInteger, z.int({ error }).min(min, { error }).max(max, { error }));
}

export const portSchema = integerSchema(0, 65535);

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/;

/** Parses `"15s"`, `"500ms"`, `"5m"`, `"1.5h"`, `"2d"` or a bare number of milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (match === null) return undefined;
  const ms = Number(match[1]) * DURATION_UNITS[match[2] ?? 'ms']!;
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** A duration in milliseconds, written as a number (ms) or a string with a unit. */
export function durationSchema(minMs: number, maxMs: number): z.ZodType<number> {
  const error = `must be a duration ${formatDuration(minMs)}..${formatDuration(maxMs)} (e.g. "15s", "500ms", "5m")`;
  return z.preprocess(
    (value) => (typeof value === 'string' ? (parseDuration(value) ?? value) : value),
    z.int({ error }).min(minMs, { error }).max(maxMs, { error }),
  );
}

const SIZE_UNITS: Readonly<Record<string, number>> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3 };
const SIZE = /^\s*(\d+)\s*([a-z]*)\s*$/i;

/** Parses `"64KiB"`, `"1MiB"`, `"500kB"` or a bare number of bytes. */
export function parseSize(text: string): number | undefined {
  const match = SIZE.exec(text);
  if (match === null) return undefined;
  const unit = SIZE_UNITS[(match[2] || 'b').toLowerCase()];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

export function formatSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}`;
}

export function sizeSchema(minBytes: number, maxBytes: number): z.ZodType<number> {
  const error = `must be a size ${formatSize(minBytes)}..${formatSize(maxBytes)} (bytes, or e.g. "64KiB", "1MiB")`;
  return z.preprocess(
    (value) => (typeof value === 'string' ? (parseSize(value) ?? value) : value),
    z.int({ error }).min(minBytes, { error }).max(maxBytes, { error }),
  );
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

export const booleanSchema: z.ZodType<boolean> = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : value;
}, z.boolean({ error: 'must be true or false (also yes/no, on/off, 1/0)' }));

export function textSchema(minLength: number, maxLength: number): z.ZodType<string> {
  const error = minLength > 0 ? `must be a string of ${minLength}..${maxLength} characters` : `must be a string of at most ${maxLength} characters`;
  return z.string({ error }).min(minLength, { error }).max(maxLength, { error });
}

export function choiceSchema<const T extends readonly [string, ...string[]]>(values: T): z.ZodType<T[number]> {
  return z.enum(values, { error: `must be one of ${values.map((v) => `"${v}"`).join(', ')}` });
}

export const hostSchema: z.ZodType<string> = z
  .string({ error: 'must be a host name or IP address' })
  .regex(/^[A-Za-z0-9.:\-[\]_]{1,253}$/, { error: 'must be a host name or IP address' });

export function urlSchema(protocols: readonly string[]): z.ZodType<string> {
  const error = `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`;
  return z.string({ error }).refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, { error });
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Per-component log levels. In a file: a table (`[log.levels] net = "debug"`); in an environment variable or flag:
 * `"net=debug,store=warn"`.
 */
export const levelMapSchema: z.ZodType<Readonly<Record<string, LogLevel>>> = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const entries: [string, string][] = [];
  for (const part of value.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) return value;
    entries.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
  }
  return Object.fromEntries(entries);
}, z.record(
  z.string().regex(/^[A-Za-z0-9_./:-]{1,100}$/, { error: 'component names use letters, digits and _ . / : -' }),
  choiceSchema(LOG_LEVELS),
  { error: 'must be a table of component = level, or "component=level,component=level"' },
));
