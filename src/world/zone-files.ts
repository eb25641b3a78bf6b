// The names and framings of the six files a zone is built from (docs/world.md "Zone archives").
// Shared by the reader (zone-decoder.ts) and the writer (zone-archive-writer.ts).

export const ZoneFile = {
  gameData: 'gamedata.bin',
  spawns: 'spawnData.xml',
  paths: 'pathData.xml',
  nodes: 'pathNodeData.bin',
  volumes: 'volumes.xml',
  triggers: 'triggers.xml',
} as const;
export type ZoneFileName = (typeof ZoneFile)[keyof typeof ZoneFile];

/** Every zone file; all but gamedata.bin are optional (missing = an empty list). */
export const ZONE_FILES: readonly ZoneFileName[] = Object.values(ZoneFile);

/** Serializer flags of the BINd zone files as the game writes spawnData.xml: stored word, compact prefixes, enum names. */
export const BIND_ZONE_FLAGS = 7;

/** Root classes of the files. */
export const ZoneClass = {
  zoneData: 'class WizZoneData',
  spawnManager: 'class SpawnManager',
  pathList: 'class PathManager::PathTemplateList',
  nodeList: 'class PathManager::NodeTemplateList',
  volumeList: 'class TriggerVolumeList',
  triggerList: 'class TriggerList',
} as const;

/** The template id every TriggerVolume carries. */
export const VOLUME_TEMPLATE_ID = 1700;

/** Root.wad's template manifest. */
export const TEMPLATE_MANIFEST = 'TemplateManifest.xml';
