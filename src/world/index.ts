// Public API of the world layer: zone data from the game's archives (docs/world.md).
export * from './errors.js';
export * from './zone-data.js';
export * from './template-types.js';
export { GAME_DATA_DIR, ROOT_WAD, ROOT_WAD_PATH, zoneArchiveName, zoneArchivePath } from './zone-archive-name.js';
export { BIND_ZONE_FLAGS, TEMPLATE_MANIFEST, VOLUME_TEMPLATE_ID, ZONE_FILES, ZoneClass, ZoneFile, type ZoneFileName } from './zone-files.js';
export { SERVER_CLASSES, type SupplementalClass, type SupplementalProperty } from './server-classes.js';
export { checkSupplementalSchema, unnamedKey, withServerClasses, type SchemaCheck } from './supplemental-schema.js';
export { zoneArchive, zoneDataObject, zoneFiles, type ZoneFileOptions } from './zone-archive-writer.js';
export {
  SAMPLE_TELEPORTS_FILE, SAMPLE_TYPES_FILE, buildSampleWorld, sampleTypes, writeSampleWorld, type SampleWorldFiles, type SampleWorldOptions,
  type WrittenSampleWorld,
} from './sample/sample-world.js';
export { SAMPLE_TELEPORTS, SAMPLE_ZONES, SampleZone } from './sample/sample-zones.js';
export { SAMPLE_TEMPLATES, SampleTemplate, type SampleTemplateFile } from './sample/sample-templates.js';
export { sampleTypeDump } from './sample/sample-types.js';
export { ZoneDecoder, type ZoneFileBytes } from './zone-decoder.js';
export { ZoneDecodePool, type ZoneDecodePoolOptions } from './zone-decode-pool.js';
export { readZoneFiles } from './zone-archive-reader.js';
export { loadWorldTypes, type TypeDumpSource } from './type-dump-source.js';
export { TemplateStore } from './template-store.js';
export { INTERACTABLE_BEHAVIORS, templateOf } from './template-reader.js';
export { BehaviorTable, DEFAULT_BEHAVIOR_RULES, type BehaviorRules } from './behavior-table.js';
export {
  CLIENT_CLASS_RULES, CORE_BLOCKS, DEFAULT_CLIENT_CLASS, buildClientObject, clientClassOf, clientClassOfHeader, permIdOf,
  type BuiltClientObject, type ClientObjectContext, type ClientObjectIds, type Placement,
} from './client-object.js';
export {
  TeleportTable, checkTeleports, doorFactsOf, formatTeleportRule, isCompactLocation, parseTeleportTable, proposeTeleports,
  type TeleportCheck, type TeleportKind, type TeleportRule, type ZoneDoorFacts, type ZoneNames,
} from './teleport-table.js';
export { FolderLocator, type ArchiveLocator } from './archive-locator.js';
export { ByteLru } from './byte-lru.js';
export { WorldData, type WorldDataOptions } from './world-data.js';
