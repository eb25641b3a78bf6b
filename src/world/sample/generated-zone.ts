// A large zone made up for benchmarks and load tests: `objects` placements of the sample templates on a
// grid, `spawners` path spawners each with its own looping path, a volume and a trigger per ten spawners.
import { DEFAULT_FAR_CLIP, type PathNode, type PlacedObject, type Spawner, type Trigger, type Volume, type ZoneData, type ZonePath } from '../zone-data.js';
import { VOLUME_TEMPLATE_ID } from '../zone-files.js';
import { SampleTemplate } from './sample-templates.js';

const STANDING = [SampleTemplate.headmaster, SampleTemplate.merchant, SampleTemplate.sign, SampleTemplate.sigil];

export function generatedZone(path: string, objects: number, spawners: number): ZoneData {
  const placed: PlacedObject[] = [];
  for (let i = 0; i < objects; i++) {
    placed.push({
      index: i, className: 'class ClientObjectInfo', templateId: STANDING[i % STANDING.length]!, objectId: BigInt(i + 1),
      position: { x: (i % 100) * 50, y: Math.floor(i / 100) * 50, z: 0 }, orientation: { x: 0, y: 0, z: (i % 628) / 100 }, scale: 1,
      zoneTag: i % 10 === 0 ? `Tag${i % 7}` : '', startState: '', overrideName: '', hasSpawnRequirements: false, isSigil: false,
    });
  }
  const paths: ZonePath[] = [];
  const nodes: PathNode[] = [];
  const spawnerList: Spawner[] = [];
  const volumes: Volume[] = [];
  const triggers: Trigger[] = [];
  for (let s = 0; s < spawners; s++) {
    const pathId = BigInt(s + 1);
    const nodeIds: bigint[] = [];
    for (let n = 0; n < 6; n++) {
      const id = BigInt((s + 1) * 100 + n);
      nodeIds.push(id);
      nodes.push({ id, position: { x: s * 100 + Math.cos(n) * 200, y: Math.sin(n) * 200, z: 0 }, yaw: n });
    }
    paths.push({ id: pathId, name: `GeneratedPath${s}`, nodeIds });
    spawnerList.push({
      name: `GeneratedSpawner${s}`, active: true, spawnTimeSec: 10, maxSpawns: 20, atLeastOne: true, hasGlobalRequirements: false,
      choices: [{ percentChance: 100, templateId: SampleTemplate.beetle, pathId, startNodeType: 'SNT_RANDOM' }],
    });
    if (s % 10 === 0) {
      volumes.push({
        name: `GeneratedVolume${s}`, position: { x: s * 100, y: 0, z: 0 }, templateId: VOLUME_TEMPLATE_ID, shape: 'sphere', radius: 100,
        length: 0, width: 0, depth: 0, enterEvents: [`Enter_${s}`], exitEvents: [`Exit_${s}`],
      });
      triggers.push({
        name: `GeneratedTrigger${s}`, activateEvents: [], fireEvents: [`Enter_${s}`], deactivateEvents: [], cooldownSec: 5, cooldownRandSec: 0,
        triggerMax: 0, pulsar: false, hasRequirements: false, results: [{ kind: 'text', text: 'Generated' }],
      });
    }
  }
  return {
    path, zoneName: path, displayName: 'GeneratedZone', locations: [{ name: 'Start', position: { x: 0, y: 0, z: 0 }, yaw: 0 }],
    objects: placed, spawners: spawnerList, paths, nodes, volumes, triggers, limits: { soft: 500, hard: 1000 },
    farClip: DEFAULT_FAR_CLIP, healingPerMinute: 0, noMounts: false,
  };
}
