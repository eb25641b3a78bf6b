// Enum values between numbers and option names (BITS: names of the set
// options joined by '|').
import { EnumValueError } from './errors.js';
import type { ClassDef, PropertyDef } from './type-list.js';

/** The option name(s) of a number, or undefined when the options cannot express it exactly. */
export function tryEnumName(p: PropertyDef, n: number): string | undefined {
  const value = n >>> 0;
  if (!p.isBits) {
    for (const [name, v] of p.enumOptions) if (v === value) return name;
    return undefined;
  }
  const names: string[] = [];
  let covered = 0;
  for (const [name, v] of p.enumOptions) {
    if (v !== 0 && ((value & v) >>> 0) === v && ((covered & v) >>> 0) !== v) {
      names.push(name);
      covered = (covered | v) >>> 0;
    }
  }
  return covered === value ? names.join('|') : undefined;
}

/** An enum number as its option name; EnumValueError when no option matches. */
export function enumName(c: ClassDef, p: PropertyDef, n: number): string {
  const name = tryEnumName(p, n);
  if (name === undefined) throw new EnumValueError(c.name, p.name, n);
  return name;
}

/** An enum option name (BITS: names joined by '|') as its number. */
export function enumNumber(c: ClassDef, p: PropertyDef, name: string): number {
  if (!p.isBits) {
    const v = p.enumOptions.get(name);
    if (v === undefined) throw new EnumValueError(c.name, p.name, name);
    return v;
  }
  let value = 0;
  if (name === '') return 0;
  for (const part of name.split('|')) {
    const v = p.enumOptions.get(part);
    if (v === undefined) throw new EnumValueError(c.name, p.name, name);
    value = (value | v) >>> 0;
  }
  return value;
}
