// What the operator tools print about zones (docs/world.md "Operator tools"): one zone in detail, and
// the facts `world doors check|propose` compare with the teleport table. Pure functions over loaded data.
import type { ObjectTemplate } from './template-types.js';
import type { TeleportTable } from './teleport-table.js';
import type { ZoneData } from './zone-data.js';

export interface ZoneReport {
  readonly zone: string;
  readonly zoneName: string;
  readonly displayName: string;
  readonly limits: { soft: number; hard: number };
  readonly farClip: number;
  readonly healingPerMinute: number;
  readonly noMounts: boolean;
  readonly locations: ReadonlyArray<{ name: string; x: number; y: number; z: number; yaw: number }>;
  readonly objectsByTemplate: ReadonlyArray<{ templateId: number; objectName: string; count: number }>;
  readonly spawners: ZoneData['spawners'];
  readonly paths: ReadonlyArray<{ id: string; name: string; nodes: number }>;
  readonly volumes: ZoneData['volumes'];
  readonly triggers: ZoneData['triggers'];
  readonly doors: ReadonlyArray<{ kind: 'door' | 'trigger'; key: string; destination: string | null }>;
}

export function zoneReport(zone: ZoneData, templates: ReadonlyMap<number, ObjectTemplate>, table: TeleportTable): ZoneReport {
  const counts = new Map<number, number>();
  for (const o of zone.objects) counts.set(o.templateId, (counts.get(o.templateId) ?? 0) + 1);
  const doors: Array<{ kind: 'door' | 'trigger'; key: string; destination: string | null }> = [];
  const destination = (kind: 'door' | 'trigger', key: string): string | null => {
    const rule = table.find(zone.path, kind, key);
    return rule === undefined ? null : `${rule.destinationZone} @ ${rule.destinationLocation === '' ? 'Start' : rule.destinationLocation}`;
  };
  for (const id of counts.keys()) {
    const t = templates.get(id);
    if (t?.interactable === true) doors.push({ kind: 'door', key: t.objectName, destination: destination('door', t.objectName) });
  }
  for (const t of zone.triggers) if (t.results.some((r) => r.kind === 'teleport')) doors.push({ kind: 'trigger', key: t.name, destination: destination('trigger', t.name) });
  return {
    zone: zone.path,
    zoneName: zone.zoneName,
    displayName: zone.displayName,
    limits: zone.limits,
    farClip: zone.farClip,
    healingPerMinute: zone.healingPerMinute,
    noMounts: zone.noMounts,
    locations: zone.locations.map((l) => ({ name: l.name, ...l.position, yaw: l.yaw })),
    objectsByTemplate: [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .map(([templateId, count]) => ({ templateId, objectName: templates.get(templateId)?.objectName ?? '?', count })),
    spawners: zone.spawners,
    paths: zone.paths.map((p) => ({ id: String(p.id), name: p.name, nodes: p.nodeIds.length })),
    volumes: zone.volumes,
    triggers: zone.triggers,
    doors,
  };
}

/** The report as text lines. */
export function formatZoneReport(r: ZoneReport): string[] {
  const n = (x: number): string => String(Math.round(x * 100) / 100);
  const out = [
    `zone ${r.zone} (${r.displayName || r.zoneName})`,
    `  limits soft ${r.limits.soft} hard ${r.limits.hard}, far clip ${n(r.farClip)}, healing ${n(r.healingPerMinute)}/min${r.noMounts ? ', no mounts' : ''}`,
    `locations (${r.locations.length})`,
    ...r.locations.map((l) => `  ${l.name}: ${n(l.x)}, ${n(l.y)}, ${n(l.z)} yaw ${n(l.yaw)}`),
    `objects by template (${r.objectsByTemplate.reduce((s, o) => s + o.count, 0)})`,
    ...r.objectsByTemplate.map((o) => `  ${o.templateId} ${o.objectName} x${o.count}`),
    `spawners (${r.spawners.length})`,
    ...r.spawners.map((s) => `  ${s.name}${s.active ? '' : ' (inactive)'}: every ${n(s.spawnTimeSec)} s, max ${s.maxSpawns}${s.atLeastOne ? ', at least one' : ''}${s.hasGlobalRequirements ? ', global requirements' : ''}; `
      + s.choices.map((c) => `${n(c.percentChance)}% template ${c.templateId} on path ${c.pathId} (${c.startNodeType})`).join(', ')),
    `paths (${r.paths.length})`,
    ...r.paths.map((p) => `  ${p.id} ${p.name}: ${p.nodes} nodes`),
    `volumes (${r.volumes.length})`,
    ...r.volumes.map((v) => `  ${v.name}: ${v.shape} at ${n(v.position.x)}, ${n(v.position.y)}, ${n(v.position.z)}; enter [${v.enterEvents.join(', ')}] exit [${v.exitEvents.join(', ')}]`),
    `triggers (${r.triggers.length})`,
    ...r.triggers.map((t) => `  ${t.name}: on [${t.fireEvents.join(', ')}] -> ${t.results.map((x) => x.kind === 'other' ? x.className : x.kind).join(', ')}${t.cooldownSec > 0 ? ` (cooldown ${n(t.cooldownSec)} s)` : ''}`),
    `doors (${r.doors.length})`,
    ...r.doors.map((d) => `  ${d.kind} ${d.key} -> ${d.destination ?? '(no destination)'}`),
  ];
  return out;
}
