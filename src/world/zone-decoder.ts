// Decodes a zone's files into typed zone data (docs/world.md "Zone archives", "The fields that matter").
// Pure and synchronous: the zone decode worker runs it off the main thread. Any undecodable file is a
// ZoneDecodeError naming the zone, the file and (for codec failures in files) the property.
import { ObjectPropertyCodec, ObjectPropertyError, decodeBind, isBind, type OpObject, type TypeList } from '../objectproperty/index.js';
import { ZoneDecodeError } from './errors.js';
import { big, bigs, bool, enumName, isA, isOp, itemsOf, num, str, strings, vec3 } from './op-values.js';
import { unnamedKey } from './supplemental-schema.js';
import {
  DEFAULT_FAR_CLIP, type PathNode, type PlacedObject, type SpawnChoice, type Spawner, type Trigger, type TriggerResult, type Volume,
  type ZoneData, type ZoneLocation, type ZonePath,
} from './zone-data.js';
import { ZoneClass, ZoneFile, type ZoneFileName } from './zone-files.js';

const START_NODE = { SNT_RANDOM: 0, SNT_RANDOM_UNIQUE: 1, SNT_FIRST: 2, SNT_LAST: 3, SNT_SPECIFIC: 4 } as const;
const SIGILS = ['class CombatSigilObjectInfo', 'class MinigameSigilInfo'];

/** The zone's files by name (as found in its archive); absent optional files are empty lists. */
export type ZoneFileBytes = ReadonlyMap<string, Uint8Array>;

export class ZoneDecoder {
  readonly #types: TypeList;
  readonly #raw: ObjectPropertyCodec;

  /** `types`: the client's dump with the supplemental server classes (withServerClasses). */
  constructor(types: TypeList) {
    this.#types = types;
    this.#raw = new ObjectPropertyCodec(types, { verbose: true, flags: 0, enumNames: true });
  }

  decode(zone: string, files: ZoneFileBytes): ZoneData {
    const gameData = this.#root(zone, files, ZoneFile.gameData, ZoneClass.zoneData, true)!;
    const spawns = this.#root(zone, files, ZoneFile.spawns, ZoneClass.spawnManager, false);
    const paths = this.#root(zone, files, ZoneFile.paths, ZoneClass.pathList, false);
    const nodes = this.#root(zone, files, ZoneFile.nodes, ZoneClass.nodeList, false);
    const volumes = this.#root(zone, files, ZoneFile.volumes, ZoneClass.volumeList, false);
    const triggers = this.#root(zone, files, ZoneFile.triggers, ZoneClass.triggerList, false);
    const t = this.#types;
    const farClip = num(gameData, 'm_farClip');
    return {
      path: zone,
      zoneName: str(gameData, 'm_zoneName', zone),
      displayName: str(gameData, 'm_zoneDisplayName'),
      locations: itemsOf(t, gameData, 'class LocationTemplate').map(location),
      objects: itemsOf(t, gameData, 'class CoreObjectInfo').map((o, index) => this.#placed(o, index)),
      spawners: spawns === undefined ? [] : itemsOf(t, spawns, 'class SpawnObject').map((s) => this.#spawner(s)),
      paths: paths === undefined ? [] : itemsOf(t, paths, 'class PathObjectTemplate').map(pathOf),
      nodes: nodes === undefined ? [] : itemsOf(t, nodes, 'class NodeObject').map(nodeOf),
      volumes: volumes === undefined ? [] : itemsOf(t, volumes, 'class TriggerVolume').map(volumeOf),
      triggers: triggers === undefined ? [] : itemsOf(t, triggers, 'class Trigger').map((x) => this.#trigger(x)),
      limits: { soft: num(gameData, 'm_nSoftLimit'), hard: num(gameData, 'm_nHardLimit') },
      farClip: farClip > 0 ? farClip : DEFAULT_FAR_CLIP,
      healingPerMinute: num(gameData, 'm_healingPerMinute'),
      noMounts: bool(gameData, 'm_noMounts'),
    };
  }

  /** Decodes one file: BINd when the magic is there, else raw verbose with flags 0. */
  #root(zone: string, files: ZoneFileBytes, file: ZoneFileName, rootClass: string, required: boolean): OpObject | undefined {
    const bytes = files.get(file);
    if (bytes === undefined) {
      if (required) throw new ZoneDecodeError(zone, file, undefined, 'the file is missing from the zone archive');
      return undefined;
    }
    let object: OpObject;
    try {
      object = isBind(bytes) ? decodeBind(this.#types, bytes, { enumNames: true }).object : this.#raw.decode(bytes);
    } catch (error) {
      const property = error instanceof ObjectPropertyError ? error.propertyPath : undefined;
      throw new ZoneDecodeError(zone, file, property, (error as Error).message, { cause: error });
    }
    if (!isA(this.#types, object.$class, rootClass)) {
      throw new ZoneDecodeError(zone, file, undefined, `the root object is ${object.$class}, expected ${rootClass}`);
    }
    return object;
  }

  #placed(o: OpObject, index: number): PlacedObject {
    return {
      index,
      className: o.$class,
      templateId: num(o, 'm_templateID'),
      objectId: big(o, 'm_nObjectID'),
      position: vec3(o, 'm_location'),
      orientation: vec3(o, 'm_orientation'),
      scale: o['m_fScale'] === undefined ? 1 : num(o, 'm_fScale'),
      zoneTag: str(o, 'm_zoneTag'),
      startState: str(o, 'm_startState'),
      overrideName: str(o, 'm_overrideName'),
      hasSpawnRequirements: isOp(o['m_spawnRequirements']) && requirementCount(o['m_spawnRequirements']) > 0,
      isSigil: SIGILS.some((s) => isA(this.#types, o.$class, s)),
    };
  }

  #spawner(s: OpObject): Spawner {
    const reqs = s['m_globalDynamicReqs'];
    return {
      name: str(s, 'm_name'),
      active: bool(s, 'm_active', true),
      spawnTimeSec: num(s, 'm_spawnTime'),
      maxSpawns: num(s, 'm_maxNumberOfSpawns'),
      atLeastOne: bool(s, 'm_atLeastOneSpawn'),
      hasGlobalRequirements: isOp(reqs) && requirementCount(reqs) > 0,
      choices: itemsOf(this.#types, s, 'class SpawnItem').map((item): SpawnChoice => {
        const info = isOp(item['m_objectInfo']) ? item['m_objectInfo'] : { $class: 'class SpawnObjectInfo' };
        return {
          percentChance: num(item, 'm_percentChance'),
          templateId: num(info, 'm_templateID'),
          pathId: big(info, 'm_pathID'),
          startNodeType: enumName(info['m_kStartNodeType'], START_NODE, 'SNT_RANDOM'),
        };
      }),
    };
  }

  #trigger(t: OpObject): Trigger {
    const list = t['m_results'];
    return {
      name: str(t, 'm_triggerName'),
      activateEvents: strings(t, 'm_activateEvents'),
      fireEvents: strings(t, 'm_fireEvents'),
      deactivateEvents: strings(t, 'm_deactivateEvents'),
      cooldownSec: num(t, 'm_cooldown'),
      cooldownRandSec: num(t, 'm_cooldownRand'),
      triggerMax: num(t, 'm_triggerMax'),
      pulsar: bool(t, 'm_pulsar'),
      hasRequirements: isOp(t['m_requirements']) && requirementCount(t['m_requirements']) > 0,
      results: isOp(list) ? itemsOf(this.#types, list, 'class Result').map((r) => this.#result(r)) : [],
    };
  }

  #result(r: OpObject): TriggerResult {
    const t = this.#types;
    if (isA(t, r.$class, 'class ResTeleport')) return { kind: 'teleport' };
    if (isA(t, r.$class, 'class ResDisplayText')) return { kind: 'text', text: str(r, 'm_text') };
    if (isA(t, r.$class, 'class ResPlaySound')) return { kind: 'sound', sound: str(r, 'm_soundFile') };
    if (isA(t, r.$class, 'class ResWait')) return { kind: 'wait', seconds: num(r, 'm_waitTime') };
    if (isA(t, r.$class, 'class ResPostEvent')) return { kind: 'post-event', event: str(r, 'm_eventName') };
    return { kind: 'other', className: r.$class };
  }
}

/** Requirements listed by a requirement object (lists of any name), or 1 for one that lists none but exists with content. */
function requirementCount(o: OpObject): number {
  let n = 0;
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (Array.isArray(v)) n += v.length;
  }
  return n;
}

const location = (l: OpObject): ZoneLocation => ({ name: str(l, 'm_locName'), position: vec3(l, 'm_location'), yaw: num(l, 'm_direction') });
const pathOf = (p: OpObject): ZonePath => ({ id: big(p, 'm_id'), name: str(p, 'm_name'), nodeIds: bigs(p, 'm_nodeIDs') });
const nodeOf = (n: OpObject): PathNode => ({ id: big(n, 'm_id'), position: vec3(n, 'm_location'), yaw: num(n, 'm_direction') });

function volumeOf(v: OpObject): Volume {
  const hasXyz = v['m_locationX'] !== undefined;
  return {
    name: str(v, unnamedKey(0xc6e6048b), str(v, 'm_name')),
    position: hasXyz ? { x: num(v, 'm_locationX'), y: num(v, 'm_locationY'), z: num(v, 'm_locationZ') } : vec3(v, 'm_location'),
    templateId: num(v, 'm_templateID'),
    shape: str(v, 'm_shape', 'sphere').toLowerCase(),
    radius: num(v, 'm_radius'),
    length: num(v, 'm_length'),
    width: num(v, 'm_width'),
    depth: num(v, 'm_depth'),
    enterEvents: strings(v, 'm_enterEvents'),
    exitEvents: strings(v, 'm_exitEvents'),
  };
}
