// Size limits of stored values. Text limits count Unicode code points, so a name of 32
// characters is accepted whatever its UTF-8 size; bytes limits count bytes.
import { InvalidValueError, ValueTooLongError } from './errors.js';

export const StoreLimits = {
  usernameChars: 64,
  characterNameChars: 32,
  banReasonChars: 512,
  addressChars: 64,
  serverNameChars: 64,
  zoneNameChars: 256,
  keyChars: 256,
  passwordChars: 1024,
  /** A KiNP frame body is at most 64 KiB, so no client blob is larger. */
  creationDataBytes: 65_536,
  /** Serialized JSON of a character's state document. */
  stateBytes: 1_048_576,
} as const;

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

export function checkText(field: string, value: unknown, max: number, options: { allowEmpty?: boolean } = {}): string {
  if (typeof value !== 'string') throw new InvalidValueError(field, 'not a string');
  if (loneSurrogate.test(value)) throw new InvalidValueError(field, 'not well-formed Unicode');
  // PostgreSQL text cannot hold NUL, and no name or key needs control characters.
  if (hasControlCharacter(value)) throw new InvalidValueError(field, 'contains control characters');
  if (!options.allowEmpty && value.length === 0) throw new InvalidValueError(field, 'empty');
  if (value.length > max) {
    let codePoints = 0;
    for (const _ of value) codePoints++;
    if (codePoints > max) throw new ValueTooLongError(field, max, codePoints);
  }
  return value;
}

export function checkName(field: string, value: unknown, max: number): string {
  const text = checkText(field, value, max);
  if (text.trim() !== text) throw new InvalidValueError(field, 'leading or trailing white space');
  return text;
}

/** The case-insensitive key of a name: the same on both back ends because it is computed here. */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

export function checkBytes(field: string, value: unknown, max: number): Buffer {
  if (!Buffer.isBuffer(value)) throw new InvalidValueError(field, 'not a Buffer');
  if (value.length > max) throw new ValueTooLongError(field, max, value.length);
  return value;
}

const two63 = 2n ** 63n;
const two64 = 2n ** 64n;

/**
 * A GID (unsigned 64-bit) as the signed BIGINT both databases store: values from 2^63 up are
 * kept in two's complement, so every id a client can send (MachineID, ZoneID) fits.
 */
export function checkId(field: string, value: unknown): bigint {
  if (typeof value !== 'bigint') throw new InvalidValueError(field, 'not a bigint');
  if (value < 0n || value >= two64) throw new InvalidValueError(field, 'outside the unsigned 64-bit range');
  return value >= two63 ? value - two64 : value;
}

/** The GID of a stored signed BIGINT (inverse of checkId). */
export function fromStoredId(value: bigint): bigint {
  return value < 0n ? value + two64 : value;
}
export function fromStoredIdOrNull(value: bigint | null): bigint | null {
  return value === null ? null : fromStoredId(value);
}

export function checkDate(field: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new InvalidValueError(field, 'not a valid Date');
  return value;
}

export function checkFinite(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidValueError(field, 'not a finite number');
  return value;
}
