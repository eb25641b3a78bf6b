// The three zones of the sample world, as typed zone data (written into archives by sample-world.ts).
// Positions, names and numbers are ours; the layout exercises every part of a zone: standing NPCs, a
// walking spawner, volumes with triggers, doors, a sigil, an instanced zone and a heal rate.
import type { PlacedObject, ZoneData } from '../zone-data.js';
import { DEFAULT_FAR_CLIP } from '../zone-data.js';
import { VOLUME_TEMPLATE_ID } from '../zone-files.js';
import { SampleTemplate } from './sample-templates.js';

export const SampleZone = { hub: 'Sample/Hub', meadow: 'Sample/Meadow', cellar: 'Sample/Cellar' } as const;

const v = (x: number, y: number, z = 0) => ({ x, y, z });

function place(index: number, templateId: number, x: number, y: number, yaw = 0, extra: Partial<PlacedObject> = {}): PlacedObject {
  return {
    index, className: 'class ClientObjectInfo', templateId, objectId: BigInt(1000 + index), position: v(x, y), orientation: v(0, 0, yaw),
    scale: 1, zoneTag: '', startState: '', overrideName: '', hasSpawnRequirements: false, isSigil: false, ...extra,
  };
}

const hub: ZoneData = {
  path: SampleZone.hub,
  zoneName: SampleZone.hub,
  displayName: 'SampleZone_Hub',
  locations: [
    { name: 'Start', position: v(0, 0), yaw: 0 },
    { name: 'Target location (Hub Meadow Exit)', position: v(1150, 0), yaw: Math.PI },
    { name: 'Target location (Hub Cellar Exit)', position: v(-750, 300), yaw: 0 },
  ],
  objects: [
    place(0, SampleTemplate.headmaster, 200, 100, 1.5),
    place(1, SampleTemplate.merchant, -150, 250, 0.5),
    place(2, SampleTemplate.sign, 50, -50, 0, { zoneTag: 'Welcome' }),
    place(3, SampleTemplate.doorHubToMeadow, 1300, 0, Math.PI),
    place(4, SampleTemplate.doorHubToCellar, -900, 300),
  ],
  spawners: [],
  paths: [],
  nodes: [],
  volumes: [{
    name: 'Fountain POI', position: v(0, 400), templateId: VOLUME_TEMPLATE_ID, shape: 'sphere', radius: 150, length: 0, width: 0, depth: 0,
    enterEvents: ['Enter_Fountain POI'], exitEvents: ['Exit_Fountain POI'],
  }],
  triggers: [{
    name: 'FountainGreeting', activateEvents: [], fireEvents: ['Enter_Fountain POI'], deactivateEvents: [], cooldownSec: 30, cooldownRandSec: 0,
    triggerMax: 0, pulsar: false, hasRequirements: false,
    results: [{ kind: 'text', text: 'SampleText_FountainWelcome' }, { kind: 'sound', sound: 'Sound/Sample/Fountain.ogg' }],
  }],
  limits: { soft: 50, hard: 100 },
  farClip: DEFAULT_FAR_CLIP,
  healingPerMinute: 60,
  noMounts: false,
};

const meadow: ZoneData = {
  path: SampleZone.meadow,
  zoneName: SampleZone.meadow,
  displayName: 'SampleZone_Meadow',
  locations: [
    { name: 'Start', position: v(0, 0), yaw: 0 },
    { name: 'Target location (Meadow Hub Exit)', position: v(-1000, 0), yaw: 0 },
  ],
  objects: [
    place(0, SampleTemplate.doorMeadowToHub, -1100, 0),
    place(1, SampleTemplate.sign, 0, 200),
    place(2, SampleTemplate.sigil, 500, 500, 0, { className: 'class CombatSigilObjectInfo', isSigil: true }),
  ],
  spawners: [
    {
      name: 'MeadowBeetles', active: true, spawnTimeSec: 10, maxSpawns: 3, atLeastOne: true, hasGlobalRequirements: false,
      choices: [{ percentChance: 100, templateId: SampleTemplate.beetle, pathId: 1n, startNodeType: 'SNT_RANDOM_UNIQUE' }],
    },
    {
      name: 'MeadowHolidayBeetles', active: true, spawnTimeSec: 30, maxSpawns: 1, atLeastOne: false, hasGlobalRequirements: true,
      choices: [{ percentChance: 100, templateId: SampleTemplate.beetle, pathId: 1n, startNodeType: 'SNT_FIRST' }],
    },
  ],
  paths: [{ id: 1n, name: 'MeadowLoop', nodeIds: [11n, 12n, 13n, 14n] }],
  nodes: [
    { id: 11n, position: v(100, -300), yaw: 0 },
    { id: 12n, position: v(700, -300), yaw: Math.PI / 2 },
    { id: 13n, position: v(700, 300), yaw: Math.PI },
    { id: 14n, position: v(100, 300), yaw: -Math.PI / 2 },
  ],
  volumes: [{
    name: 'Hub Gate', position: v(-1300, 0), templateId: VOLUME_TEMPLATE_ID, shape: 'sphere', radius: 100, length: 0, width: 0, depth: 0,
    enterEvents: ['Enter_Hub Gate'], exitEvents: [],
  }],
  triggers: [{
    name: 'TeleportToHub', activateEvents: [], fireEvents: ['Enter_Hub Gate'], deactivateEvents: [], cooldownSec: 5, cooldownRandSec: 0,
    triggerMax: 0, pulsar: false, hasRequirements: false, results: [{ kind: 'wait', seconds: 0.5 }, { kind: 'teleport' }],
  }],
  limits: { soft: 50, hard: 100 },
  farClip: DEFAULT_FAR_CLIP,
  healingPerMinute: 0,
  noMounts: false,
};

const cellar: ZoneData = {
  path: SampleZone.cellar,
  zoneName: SampleZone.cellar,
  displayName: 'SampleZone_Cellar',
  locations: [
    { name: 'Start', position: v(0, 0), yaw: 0 },
    { name: 'Target location (Cellar Hub Exit)', position: v(0, -200), yaw: Math.PI / 2 },
  ],
  objects: [place(0, SampleTemplate.doorCellarToHub, 0, -300, Math.PI / 2)],
  spawners: [{
    name: 'CellarRat', active: true, spawnTimeSec: 0, maxSpawns: 1, atLeastOne: true, hasGlobalRequirements: false,
    choices: [{ percentChance: 100, templateId: SampleTemplate.rat, pathId: 2n, startNodeType: 'SNT_FIRST' }],
  }],
  paths: [{ id: 2n, name: 'CellarPatrol', nodeIds: [21n, 22n, 23n] }],
  nodes: [
    { id: 21n, position: v(-200, 100), yaw: 0 },
    { id: 22n, position: v(0, 150), yaw: 0 },
    { id: 23n, position: v(200, 100), yaw: 0 },
  ],
  volumes: [{
    name: 'Cellar Box', position: v(0, 300), templateId: VOLUME_TEMPLATE_ID, shape: 'box', radius: 0, length: 200, width: 200, depth: 100,
    enterEvents: ['Enter_Cellar Box'], exitEvents: ['Exit_Cellar Box'],
  }],
  triggers: [{
    name: 'CellarEcho', activateEvents: [], fireEvents: ['Enter_Cellar Box'], deactivateEvents: [], cooldownSec: 10, cooldownRandSec: 2,
    triggerMax: 0, pulsar: false, hasRequirements: false, results: [{ kind: 'post-event', event: 'CellarEntered' }],
  }],
  limits: { soft: 4, hard: 4 },
  farClip: 3000,
  healingPerMinute: 120,
  noMounts: true,
};

export const SAMPLE_ZONES: readonly ZoneData[] = [hub, meadow, cellar];

/** The sample's teleport table (format in docs/world.md "Doors"). */
export const SAMPLE_TELEPORTS = [
  '# Teleport table of the Imlight sample world (written by `imlight world sample`).',
  '# source zone\tkind\tkey\tdestination zone\tdestination location',
  'Sample/Hub\tdoor\tHub_Door_ToMeadow\tSample/Meadow\tTarget location (Meadow Hub Exit)',
  'Sample/Hub\tdoor\tHub_Door_ToCellar\tSample/Cellar\tTarget location (Cellar Hub Exit)',
  'Sample/Meadow\tdoor\tMeadow_Door_ToHub\tSample/Hub\tTarget location (Hub Meadow Exit)',
  'Sample/Meadow\ttrigger\tTeleportToHub\tSample/Hub\t',
  'Sample/Cellar\tdoor\tCellar_Door_ToHub\tSample/Hub\tTarget location (Hub Cellar Exit)',
  '',
].join('\n');
