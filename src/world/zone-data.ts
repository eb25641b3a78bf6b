// The typed data of one zone, decoded from the six files of its archive (docs/world.md "Zone archives").
// Plain, frozen-friendly values (numbers, strings, bigints, arrays) so a worker thread can hand them to
// the main thread by structured clone, and the zone runtime can read them without the type dump.

export interface Vec3 {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

/** A named place of the zone (`m_locationList`): `Start`, `Target location (...)` exits, ... */
export interface ZoneLocation {
  readonly name: string;
  readonly position: Vec3;
  /** Facing, radians. */
  readonly yaw: number;
}

/** One entry of the zone's object list (CoreObjectInfo or a subclass). */
export interface PlacedObject {
  /** Position in `m_objectList`: stable within one archive, part of the perm id. */
  readonly index: number;
  /** The entry's class as dumped ("class ClientObjectInfo", "class CombatSigilObjectInfo", ...). */
  readonly className: string;
  readonly templateId: number;
  /** `m_nObjectID` of the placement (0 when absent). */
  readonly objectId: bigint;
  readonly position: Vec3;
  /** `m_orientation` (pitch, roll, yaw as stored: x, y, z). */
  readonly orientation: Vec3;
  readonly scale: number;
  readonly zoneTag: string;
  readonly startState: string;
  /** An override of the template's name, '' when none. */
  readonly overrideName: string;
  /** True when the placement carries spawn requirements (not evaluated yet: such objects are still placed). */
  readonly hasSpawnRequirements: boolean;
  /** True for the sigil subclasses (combat and minigame circles), held for later combat work. */
  readonly isSigil: boolean;
}

export const START_NODE_TYPES = ['SNT_RANDOM', 'SNT_RANDOM_UNIQUE', 'SNT_FIRST', 'SNT_LAST', 'SNT_SPECIFIC'] as const;
export type StartNodeType = (typeof START_NODE_TYPES)[number];

/** What a spawner may create: one SpawnItem of `m_spawnList`. */
export interface SpawnChoice {
  readonly percentChance: number;
  readonly templateId: number;
  readonly pathId: bigint;
  readonly startNodeType: StartNodeType;
}

/** A path spawner (SpawnObject of `spawnData.xml`). */
export interface Spawner {
  readonly name: string;
  readonly active: boolean;
  /** Seconds between spawns; <= 0: spawn once. */
  readonly spawnTimeSec: number;
  readonly maxSpawns: number;
  readonly atLeastOne: boolean;
  /** True when `m_globalDynamicReqs` lists requirements (global-registry conditions, e.g. holidays). */
  readonly hasGlobalRequirements: boolean;
  readonly choices: readonly SpawnChoice[];
}

/** A path (PathObjectTemplate): its nodes in walking order. */
export interface ZonePath {
  readonly id: bigint;
  readonly name: string;
  readonly nodeIds: readonly bigint[];
}

/** A path node (NodeObject of `pathNodeData.bin`). */
export interface PathNode {
  readonly id: bigint;
  readonly position: Vec3;
  readonly yaw: number;
}

/** A walk-in area (TriggerVolume of `volumes.xml`). */
export interface Volume {
  readonly name: string;
  readonly position: Vec3;
  readonly templateId: number;
  /** 'sphere', 'box', 'cylinder' as stored (other values are kept and treated as spheres by the runtime). */
  readonly shape: string;
  readonly radius: number;
  readonly length: number;
  readonly width: number;
  readonly depth: number;
  readonly enterEvents: readonly string[];
  readonly exitEvents: readonly string[];
}

/** One result of a trigger, in order. Unknown Result subclasses are kept as `other` with their class. */
export type TriggerResult =
  | { readonly kind: 'teleport' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'sound'; readonly sound: string }
  | { readonly kind: 'wait'; readonly seconds: number }
  | { readonly kind: 'post-event'; readonly event: string }
  | { readonly kind: 'other'; readonly className: string };

/** Event names to results (Trigger of `triggers.xml`). */
export interface Trigger {
  readonly name: string;
  readonly activateEvents: readonly string[];
  readonly fireEvents: readonly string[];
  readonly deactivateEvents: readonly string[];
  readonly cooldownSec: number;
  readonly cooldownRandSec: number;
  /** `m_triggerMax` as stored (the meaning of 0 is not settled: docs/world.md). */
  readonly triggerMax: number;
  readonly pulsar: boolean;
  readonly hasRequirements: boolean;
  readonly results: readonly TriggerResult[];
}

export interface ZoneLimits {
  readonly soft: number;
  readonly hard: number;
}

/** Everything a zone is built from. */
export interface ZoneData {
  /** The zone path (`World/Sub/Zone`). */
  readonly path: string;
  /** `m_zoneName` as stored. */
  readonly zoneName: string;
  /** `m_zoneDisplayName`: a locale key the client shows. */
  readonly displayName: string;
  readonly locations: readonly ZoneLocation[];
  readonly objects: readonly PlacedObject[];
  readonly spawners: readonly Spawner[];
  readonly paths: readonly ZonePath[];
  readonly nodes: readonly PathNode[];
  readonly volumes: readonly Volume[];
  readonly triggers: readonly Trigger[];
  readonly limits: ZoneLimits;
  /** Render distance; the documented default 5000 when the file has none or 0. */
  readonly farClip: number;
  readonly healingPerMinute: number;
  readonly noMounts: boolean;
}

export const DEFAULT_FAR_CLIP = 5000;
