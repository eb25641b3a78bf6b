// Zone paths (e.g. "WizardCity/WC_Ravenwood") come from clients and commands: hostile text. This is
// the one place that checks them, derives the zone id the client sees, and tells public zones from
// private (instanced) ones.
import { djb2 } from '../../protocol/index.js';
import { ZonePathError } from './errors.js';

export const MAX_ZONE_PATH_LENGTH = 256;
const SEGMENT = /^[A-Za-z0-9_\-.]+$/;

/** Returns the path if valid; throws ZonePathError otherwise. */
export function checkZonePath(path: string): string {
  if (path.length === 0 || path.length > MAX_ZONE_PATH_LENGTH) throw new ZonePathError(`a zone path has 1..${MAX_ZONE_PATH_LENGTH} characters, got ${path.length}`);
  for (const segment of path.split('/')) {
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..') throw new ZonePathError(`zone path ${JSON.stringify(path)} has an invalid segment ${JSON.stringify(segment)}`);
  }
  return path;
}

/** Like checkZonePath, without a throw: undefined for a bad path. */
export function parseZonePath(text: string): string | undefined {
  try {
    return checkZonePath(text);
  } catch {
    return undefined;
  }
}

/** The ZoneID sent to clients: stable per path (djb2 of the path), so every server agrees on it. */
export function zoneIdOf(path: string): bigint {
  return BigInt(djb2(path));
}

/**
 * The private-zone rule: a path under one of the prefixes (e.g. "Housing/") is instanced per owner.
 * All zones under one prefix share the owner's instance, which is how an instance holds several zones.
 */
export class ZoneRules {
  readonly #prefixes: readonly string[];

  constructor(prefixes: readonly string[]) {
    this.#prefixes = prefixes.map((p) => (p.endsWith('/') ? p : `${p}/`));
  }

  /** The instance group of a private path ("Housing" for "Housing/Dorm"), or undefined for a public path. */
  instanceGroupOf(path: string): string | undefined {
    for (const prefix of this.#prefixes) if (path.startsWith(prefix) || `${path}/` === prefix) return prefix.slice(0, -1);
    return undefined;
  }
}
