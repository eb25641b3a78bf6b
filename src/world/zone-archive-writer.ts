// Writes zone data back into the game's formats: the six files of a zone archive and the archive itself.
// Used by the sample world, by tests that make variations of it, and by the benchmark's generated zones.
// Never used on a user's data.
import { writeWad, type WadInputFile } from '../archive/index.js';
import { ObjectPropertyCodec, encodeBind, type OpObject, type TypeList } from '../objectproperty/index.js';
import { unnamedKey } from './supplemental-schema.js';
import type { Trigger, TriggerResult, Vec3, ZoneData } from './zone-data.js';
import { BIND_ZONE_FLAGS, ZoneFile, type ZoneFileName } from './zone-files.js';

const vec = (v: Vec3): Vec3 => ({ x: v.x, y: v.y, z: v.z });
const TRIGGER_ITEMS = unnamedKey(0x3f1db764);
const VOLUME_ITEMS = unnamedKey(0x884bfb48);
const VOLUME_NAME = unnamedKey(0xc6e6048b);

export function zoneDataObject(zone: ZoneData): OpObject {
  return {
    $class: 'class WizZoneData',
    m_zoneName: zone.zoneName,
    m_zoneDisplayName: zone.displayName,
    m_locationList: zone.locations.map((l) => ({ $class: 'class LocationTemplate', m_locName: l.name, m_location: vec(l.position), m_direction: l.yaw })),
    m_objectList: zone.objects.map((o) => ({
      $class: o.className,
      m_templateID: BigInt(o.templateId),
      m_nObjectID: o.objectId,
      m_location: vec(o.position),
      m_orientation: vec(o.orientation),
      m_fScale: o.scale,
      m_zoneTag: o.zoneTag,
      m_startState: o.startState,
      m_overrideName: o.overrideName,
      m_spawnRequirements: o.hasSpawnRequirements
        ? { $class: 'class RequirementList', m_applyNOT: false, m_operator: 0, m_requirements: [{ $class: 'class Requirement', m_applyNOT: false }] }
        : null,
    })),
    m_nSoftLimit: zone.limits.soft,
    m_nHardLimit: zone.limits.hard,
    m_farClip: zone.farClip,
    m_healingPerMinute: zone.healingPerMinute,
    m_noMounts: zone.noMounts,
  };
}

function spawnObject(zone: ZoneData): OpObject {
  return {
    $class: 'class SpawnManager',
    m_spawners: zone.spawners.map((s) => ({
      $class: 'class SpawnObject',
      m_name: s.name,
      m_active: s.active,
      m_spawnTime: s.spawnTimeSec,
      m_maxNumberOfSpawns: s.maxSpawns,
      m_atLeastOneSpawn: s.atLeastOne,
      m_globalDynamicReqs: s.hasGlobalRequirements
        ? { $class: 'class GlobalDynamicRequirements', m_requirements: ['Holiday'], m_operator: 0 }
        : null,
      m_spawnList: s.choices.map((c) => ({
        $class: 'class SpawnItem',
        m_percentChance: c.percentChance,
        m_objectInfo: { $class: 'class SpawnObjectInfo', m_templateID: BigInt(c.templateId), m_pathID: c.pathId, m_kStartNodeType: c.startNodeType },
      })),
    })),
  };
}

function resultObject(r: TriggerResult): OpObject {
  switch (r.kind) {
    case 'teleport': return { $class: 'class ResTeleport' };
    case 'text': return { $class: 'class ResDisplayText', m_text: r.text };
    case 'sound': return { $class: 'class ResPlaySound', m_soundFile: r.sound };
    case 'wait': return { $class: 'class ResWait', m_waitTime: r.seconds };
    case 'post-event': return { $class: 'class ResPostEvent', m_eventName: r.event };
    default: return { $class: r.className };
  }
}

function triggerObject(t: Trigger): OpObject {
  return {
    $class: 'class Trigger',
    m_triggerName: t.name,
    m_triggerMax: t.triggerMax,
    m_cooldown: t.cooldownSec,
    m_cooldownRand: t.cooldownRandSec,
    m_pulsar: t.pulsar,
    m_activateEvents: [...t.activateEvents],
    m_fireEvents: [...t.fireEvents],
    m_deactivateEvents: [...t.deactivateEvents],
    m_requirements: t.hasRequirements
      ? { $class: 'class RequirementList', m_applyNOT: false, m_operator: 0, m_requirements: [{ $class: 'class Requirement', m_applyNOT: false }] }
      : null,
    m_results: { $class: 'class ResultList', m_results: t.results.map(resultObject) },
  };
}

export interface ZoneFileOptions {
  /** Files to leave out (an optional file missing is an empty list). */
  readonly omit?: readonly ZoneFileName[];
  /** Write pathNodeData.bin without the BINd magic (the reader accepts both). Default true. */
  readonly rawNodeFile?: boolean;
}

/** The zone's files. `types` must hold the dump's classes and the supplemental ones (withServerClasses). */
export function zoneFiles(types: TypeList, zone: ZoneData, options: ZoneFileOptions = {}): WadInputFile[] {
  const bind = (object: OpObject): Buffer => encodeBind(types, { flags: BIND_ZONE_FLAGS, object });
  const raw = new ObjectPropertyCodec(types, { verbose: true, flags: 0 });
  const nodes: OpObject = {
    $class: 'class PathManager::NodeTemplateList',
    m_nodes: zone.nodes.map((n) => ({ $class: 'class NodeObject', m_id: n.id, m_location: vec(n.position), m_direction: n.yaw })),
  };
  const files: Record<ZoneFileName, () => Buffer> = {
    [ZoneFile.gameData]: () => raw.encode(zoneDataObject(zone)),
    [ZoneFile.spawns]: () => bind(spawnObject(zone)),
    [ZoneFile.paths]: () => bind({
      $class: 'class PathManager::PathTemplateList',
      m_paths: zone.paths.map((p) => ({ $class: 'class PathObjectTemplate', m_id: p.id, m_name: p.name, m_nodeIDs: [...p.nodeIds] })),
    }),
    [ZoneFile.nodes]: () => (options.rawNodeFile ?? true ? raw.encode(nodes) : bind(nodes)),
    [ZoneFile.volumes]: () => bind({
      $class: 'class TriggerVolumeList',
      [VOLUME_ITEMS]: zone.volumes.map((v) => ({
        $class: 'class TriggerVolume',
        [VOLUME_NAME]: v.name,
        m_locationX: v.position.x, m_locationY: v.position.y, m_locationZ: v.position.z,
        m_templateID: BigInt(v.templateId),
        m_shape: v.shape, m_radius: v.radius, m_length: v.length, m_width: v.width, m_depth: v.depth,
        m_enterEvents: [...v.enterEvents], m_exitEvents: [...v.exitEvents],
      })),
    }),
    [ZoneFile.triggers]: () => bind({ $class: 'class TriggerList', [TRIGGER_ITEMS]: zone.triggers.map(triggerObject) }),
  };
  const omit = new Set(options.omit ?? []);
  return Object.entries(files).filter(([name]) => !omit.has(name as ZoneFileName)).map(([name, make]) => ({ name, data: make(), compress: true }));
}

/** A zone archive (KIWAD) holding the zone's files, plus any extra files. */
export function zoneArchive(types: TypeList, zone: ZoneData, options: ZoneFileOptions & { extra?: readonly WadInputFile[] } = {}): Buffer {
  return writeWad([...zoneFiles(types, zone, options), ...(options.extra ?? [])]);
}
