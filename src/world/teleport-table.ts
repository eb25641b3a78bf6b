// The operator's teleport table (docs/world.md "Doors"): where zone doors and walk-in teleports lead.
// UTF-8 text, one rule per line, five tab-separated fields, `#` starts a comment line. Malformed lines
// are errors naming file and line; unknown zones or keys are warnings (checkTeleports).
import { TeleportTableError } from './errors.js';
import type { ZoneData } from './zone-data.js';

export type TeleportKind = 'trigger' | 'door';

export interface TeleportRule {
  readonly sourceZone: string;
  readonly kind: TeleportKind;
  /** A trigger name (kind trigger) or a door template's `m_objectName` (kind door). */
  readonly key: string;
  readonly destinationZone: string;
  /** A location name, a compact `x,y,z,yaw`, or '' (= Start). */
  readonly destinationLocation: string;
  readonly line: number;
}

export class TeleportTable {
  readonly rules: readonly TeleportRule[];
  readonly #byKey: ReadonlyMap<string, TeleportRule>;

  constructor(rules: readonly TeleportRule[]) {
    this.rules = rules;
    this.#byKey = new Map(rules.map((r) => [keyOf(r.sourceZone, r.kind, r.key), r]));
  }

  static readonly empty = new TeleportTable([]);

  find(sourceZone: string, kind: TeleportKind, key: string): TeleportRule | undefined {
    return this.#byKey.get(keyOf(sourceZone, kind, key));
  }
}

const keyOf = (zone: string, kind: string, key: string): string => `${zone}\t${kind}\t${key}`;

/** Parses the table's text; `file` names it in errors. */
export function parseTeleportTable(text: string, file: string): TeleportTable {
  const rules: TeleportRule[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const fields = raw.split('\t');
    if (fields.length !== 5) throw new TeleportTableError(file, line, `expected 5 tab-separated fields, found ${fields.length}`);
    const [sourceZone, kind, key, destinationZone, destinationLocation] = fields.map((f) => f.trim()) as [string, string, string, string, string];
    if (kind !== 'trigger' && kind !== 'door') throw new TeleportTableError(file, line, `unknown kind ${JSON.stringify(kind)} (trigger or door)`);
    if (sourceZone === '' || key === '' || destinationZone === '') throw new TeleportTableError(file, line, 'source zone, key and destination zone must not be empty');
    const k = keyOf(sourceZone, kind, key);
    if (seen.has(k)) throw new TeleportTableError(file, line, `duplicate rule for ${sourceZone} ${kind} ${JSON.stringify(key)}`);
    seen.add(k);
    rules.push({ sourceZone, kind, key, destinationZone, destinationLocation, line });
  });
  return new TeleportTable(rules);
}

/** One rule as a line of the table. */
export function formatTeleportRule(r: Omit<TeleportRule, 'line'>): string {
  return [r.sourceZone, r.kind, r.key, r.destinationZone, r.destinationLocation].join('\t');
}

const COMPACT = /^\s*-?[\d.]+(e[-+]?\d+)?\s*,\s*-?[\d.]+(e[-+]?\d+)?\s*,\s*-?[\d.]+(e[-+]?\d+)?\s*,\s*-?[\d.]+(e[-+]?\d+)?\s*$/i;

/** True for a compact `x,y,z,yaw` location (invariant numbers). */
export function isCompactLocation(text: string): boolean {
  return COMPACT.test(text);
}

/** What `world doors check` needs to know about a zone: its locations, trigger names and door names. */
export interface ZoneDoorFacts {
  readonly zone: string;
  readonly locations: ReadonlySet<string>;
  readonly teleportTriggers: ReadonlySet<string>;
  /** `m_objectName` of the interactable templates placed in the zone. */
  readonly doors: ReadonlySet<string>;
}

export interface TeleportCheck {
  /** Doors and teleport triggers with no rule. */
  readonly missing: ReadonlyArray<{ readonly zone: string; readonly kind: TeleportKind; readonly key: string }>;
  /** Rules naming zones, keys or locations that do not exist. */
  readonly problems: ReadonlyArray<{ readonly line: number; readonly message: string }>;
}

/** Facts of a zone: the teleport triggers (those with a ResTeleport) and the names of its doors. */
export function doorFactsOf(zone: ZoneData, doorNameOf: (templateId: number) => string | undefined): ZoneDoorFacts {
  const doors = new Set<string>();
  for (const o of zone.objects) {
    const name = doorNameOf(o.templateId);
    if (name !== undefined) doors.add(name);
  }
  return {
    zone: zone.path,
    locations: new Set(zone.locations.map((l) => l.name)),
    teleportTriggers: new Set(zone.triggers.filter((t) => t.results.some((r) => r.kind === 'teleport')).map((t) => t.name)),
    doors,
  };
}

export function checkTeleports(table: TeleportTable, zones: readonly ZoneDoorFacts[]): TeleportCheck {
  const byZone = new Map(zones.map((z) => [z.zone, z]));
  const missing: Array<{ zone: string; kind: TeleportKind; key: string }> = [];
  for (const z of zones) {
    for (const door of z.doors) if (table.find(z.zone, 'door', door) === undefined) missing.push({ zone: z.zone, kind: 'door', key: door });
    for (const t of z.teleportTriggers) if (table.find(z.zone, 'trigger', t) === undefined) missing.push({ zone: z.zone, kind: 'trigger', key: t });
  }
  const problems: Array<{ line: number; message: string }> = [];
  for (const r of table.rules) {
    const source = byZone.get(r.sourceZone);
    if (source === undefined) problems.push({ line: r.line, message: `source zone ${r.sourceZone} does not exist` });
    else if (r.kind === 'door' && !source.doors.has(r.key)) problems.push({ line: r.line, message: `no door ${JSON.stringify(r.key)} in ${r.sourceZone}` });
    else if (r.kind === 'trigger' && !source.teleportTriggers.has(r.key)) problems.push({ line: r.line, message: `no teleport trigger ${JSON.stringify(r.key)} in ${r.sourceZone}` });
    const destination = byZone.get(r.destinationZone);
    if (destination === undefined) problems.push({ line: r.line, message: `destination zone ${r.destinationZone} does not exist` });
    else if (r.destinationLocation !== '' && !isCompactLocation(r.destinationLocation) && !destination.locations.has(r.destinationLocation)) {
      problems.push({ line: r.line, message: `no location ${JSON.stringify(r.destinationLocation)} in ${r.destinationZone}` });
    }
  }
  return { missing, problems };
}

/** What `world doors propose` needs of each zone: its short name and display name too. */
export interface ZoneNames extends ZoneDoorFacts {
  readonly displayName: string;
}

/**
 * Proposed rules (commented out, for review) for `TeleportTo<X>` triggers: a zone whose short name or
 * display name matches X and which has a `Target location (...)` naming the source; else its Start.
 */
export function proposeTeleports(table: TeleportTable, zones: readonly ZoneNames[]): string[] {
  const lines: string[] = [];
  const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const source of zones) {
    for (const trigger of [...source.teleportTriggers].sort()) {
      if (table.find(source.zone, 'trigger', trigger) !== undefined) continue;
      const m = /^TeleportTo(.+)$/.exec(trigger);
      if (m === null) continue;
      const wanted = norm(m[1]!);
      const shortOf = (z: ZoneNames): string => z.zone.split('/').pop() ?? z.zone;
      const candidates = zones.filter((z) => z.zone !== source.zone && (norm(shortOf(z)).includes(wanted) || norm(z.displayName).includes(wanted)));
      if (candidates.length === 0) continue;
      const sourceShort = norm(shortOf(source));
      let pick = candidates[0]!;
      let location = '';
      for (const c of candidates) {
        const exit = [...c.locations].find((l) => /^Target location\s*\(/i.test(l) && norm(l).includes(sourceShort));
        if (exit !== undefined) {
          pick = c;
          location = exit;
          break;
        }
      }
      lines.push(`# ${formatTeleportRule({ sourceZone: source.zone, kind: 'trigger', key: trigger, destinationZone: pick.zone, destinationLocation: location })}`);
    }
  }
  return lines;
}
