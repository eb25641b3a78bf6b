// Movement units (messages.md): a USHRT coordinate is a signed int16 times 4 world units; Direction
// is a byte fraction of a full turn. Positions are kept in wire units while in a zone (they are
// broadcast as they came) and converted to world units only to save or show them.
import type { Location } from '../../store/index.js';

/** A position as the wire carries it: x, y, z as USHRT, direction as UBYT. */
export interface WirePosition {
  x: number;
  y: number;
  z: number;
  direction: number;
}

const UNITS_PER_STEP = 4;
const TURN = 2 * Math.PI;
const DIRECTIONS = 256;

export const START_POSITION: Readonly<WirePosition> = Object.freeze({ x: 0, y: 0, z: 0, direction: 0 });

function toInt16(value: number): number {
  return (value << 16) >> 16;
}

function toUshort(worldUnits: number): number {
  const steps = Math.round(worldUnits / UNITS_PER_STEP);
  return Math.max(-0x8000, Math.min(0x7fff, steps)) & 0xffff;
}

export function toWorld(position: WirePosition): Location {
  return {
    x: toInt16(position.x) * UNITS_PER_STEP,
    y: toInt16(position.y) * UNITS_PER_STEP,
    z: toInt16(position.z) * UNITS_PER_STEP,
    yaw: (position.direction * TURN) / DIRECTIONS,
  };
}

export function toWire(location: Location): WirePosition {
  const turns = (((location.yaw / TURN) % 1) + 1) % 1;
  return { x: toUshort(location.x), y: toUshort(location.y), z: toUshort(location.z), direction: Math.round(turns * DIRECTIONS) % DIRECTIONS };
}

/** `"x,y,z,yaw"` in invariant number format (what MSG_CHARACTERSELECTED and the IMCH blob carry). */
export function formatLocation(location: Location): string {
  return `${location.x},${location.y},${location.z},${location.yaw}`;
}

/** Parses `"x,y,z,yaw"`; undefined for a named spot ("Start") or anything malformed. */
export function parseLocation(text: string): Location | undefined {
  const parts = text.split(',');
  if (parts.length !== 4) return undefined;
  const [x, y, z, yaw] = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  if (![x, y, z, yaw].every((n) => Number.isFinite(n))) return undefined;
  return { x: x!, y: y!, z: z!, yaw: yaw! };
}
