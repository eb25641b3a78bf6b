// The type dump of the sample world: our own declarations of the classes the sample's files and client
// objects use, with the property names docs/world.md lists. Nothing here is taken from a client dump;
// a user's own dump replaces it when game data is configured. The server-only classes (volumes,
// triggers, results) are deliberately absent: they come from the supplemental schema, as with a real dump.
import { PropertyFlags } from '../../objectproperty/index.js';
import { DumpBuilder } from './dump-builder.js';

const ALL = PropertyFlags.SAVE | PropertyFlags.COPY | PropertyFlags.PUBLIC | PropertyFlags.TRANSMIT | PropertyFlags.PRIVILEGED_TRANSMIT;
/** Seen by the object's owner only (network mask 0x18 keeps it, the public mask 0x1C drops it). */
const PRIVATE = PropertyFlags.SAVE | PropertyFlags.TRANSMIT | PropertyFlags.PRIVILEGED_TRANSMIT;
const ENUM = ALL | PropertyFlags.ENUM;

export const START_NODE_OPTIONS = { SNT_RANDOM: 0, SNT_RANDOM_UNIQUE: 1, SNT_FIRST: 2, SNT_LAST: 3, SNT_SPECIFIC: 4 } as const;
export const PATH_TYPE_OPTIONS = { PT_CHAIN: 0, PT_LOOP: 1, PT_RANDOM: 2 } as const;
export const LOADING_TYPE_OPTIONS = { LT_ALWAYS: 0, LT_ON_DEMAND: 1 } as const;

const list = (type: string): { type: string; list: true } => ({ type, list: true });
const ptrList = (cls: string): { type: string; list: true } => list(`class SharedPointer<class ${cls}>`);
const ptr = (cls: string): string => `class SharedPointer<class ${cls}>`;

/** The sample dump as JSON (version 2), ready for loadTypeDump or a file. */
export function sampleTypeDump(): { version: 2; classes: Record<string, unknown> } {
  const b = new DumpBuilder(ALL);
  b.add('PropertyClass', undefined);

  // Requirements (only their presence matters to the world so far).
  b.add('Requirement', 'PropertyClass', { m_applyNOT: 'bool' });
  b.add('RequirementList', 'Requirement', { m_operator: 'int', m_requirements: ptrList('Requirement') });

  // gamedata.bin
  b.add('LocationTemplate', 'PropertyClass', { m_locName: 'std::string', m_location: 'class Vector3D', m_direction: 'float' });
  b.add('CoreObjectInfo', 'PropertyClass', {
    m_templateID: 'gid', m_nObjectID: 'gid', m_location: 'class Vector3D', m_orientation: 'class Vector3D', m_fScale: 'float',
    m_zoneTag: 'std::string', m_startState: 'std::string', m_overrideName: 'std::string',
    m_spawnRequirements: ptr('RequirementList'),
    m_loadingType: { type: 'enum CoreObjectInfo::LoadingType', flags: ENUM, enumOptions: LOADING_TYPE_OPTIONS },
  });
  b.add('ClientObjectInfo', 'CoreObjectInfo');
  b.add('CombatSigilObjectInfo', 'CoreObjectInfo', { m_sigilName: 'std::string' });
  b.add('MinigameSigilInfo', 'CoreObjectInfo', { m_gameName: 'std::string' });
  b.add('WizZoneData', 'PropertyClass', {
    m_zoneName: 'std::string', m_zoneDisplayName: 'std::string',
    m_locationList: ptrList('LocationTemplate'), m_objectList: ptrList('CoreObjectInfo'),
    m_nSoftLimit: 'int', m_nHardLimit: 'int', m_farClip: 'float', m_healingPerMinute: 'float', m_noMounts: 'bool',
  });

  // spawnData.xml
  b.add('SpawnObjectInfo', 'PropertyClass', {
    m_templateID: 'gid', m_pathID: 'gid',
    m_kStartNodeType: { type: 'enum SpawnObjectInfo::StartNodeType', flags: ENUM, enumOptions: START_NODE_OPTIONS },
  });
  b.add('SpawnItem', 'PropertyClass', { m_percentChance: 'float', m_objectInfo: ptr('SpawnObjectInfo') });
  b.add('GlobalDynamicRequirements', 'PropertyClass', { m_requirements: list('std::string'), m_operator: 'int' });
  b.add('SpawnObject', 'PropertyClass', {
    m_name: 'std::string', m_active: 'bool', m_spawnTime: 'float', m_maxNumberOfSpawns: 'int', m_atLeastOneSpawn: 'bool',
    m_globalDynamicReqs: ptr('GlobalDynamicRequirements'), m_spawnList: ptrList('SpawnItem'),
  });
  b.add('SpawnManager', 'PropertyClass', { m_spawners: ptrList('SpawnObject') });

  // pathData.xml, pathNodeData.bin
  b.add('PathObjectTemplate', 'PropertyClass', { m_id: 'gid', m_name: 'std::string', m_nodeIDs: list('gid') });
  b.add('PathManager::PathTemplateList', 'PropertyClass', { m_paths: ptrList('PathObjectTemplate') });
  b.add('NodeObject', 'PropertyClass', { m_id: 'gid', m_location: 'class Vector3D', m_direction: 'float' });
  b.add('PathManager::NodeTemplateList', 'PropertyClass', { m_nodes: ptrList('NodeObject') });

  // Root.wad: the manifest and the templates.
  b.add('TemplateLocation', 'PropertyClass', { m_id: 'unsigned int', m_filename: 'std::string' });
  b.add('TemplateManifest', 'PropertyClass', { m_serializedTemplates: ptrList('TemplateLocation') });
  b.add('BehaviorTemplate', 'PropertyClass', { m_behaviorName: 'std::string' });
  b.add('AnimationBehaviorTemplate', 'BehaviorTemplate', { m_idleAnimation: 'std::string' });
  b.add('ObjectStateBehaviorTemplate', 'BehaviorTemplate', { m_initialState: 'std::string' });
  b.add('NPCBehaviorTemplate', 'BehaviorTemplate', {
    m_nLevel: 'int', m_nMaxHealth: 'int', m_schoolOfFocus: 'std::string', m_isMonster: 'bool', m_wsNameOverride: 'std::wstring',
  });
  b.add('PathBehaviorTemplate', 'BehaviorTemplate', {
    m_kPathType: { type: 'enum PathBehaviorTemplate::PathType', flags: ENUM, enumOptions: PATH_TYPE_OPTIONS },
    m_nPathDirection: 'int', m_pauseChance: 'float', m_timeToPause: 'float',
  });
  b.add('PathMovementBehaviorTemplate', 'BehaviorTemplate', { m_movementSpeed: 'float', m_movementScale: 'float' });
  b.add('InteractableBehaviorTemplate', 'BehaviorTemplate', { m_interactRadius: 'float' });
  b.add('WizardCharacterBehaviorTemplate', 'BehaviorTemplate', { m_startLevel: 'int' });
  b.add('CoreTemplate', 'PropertyClass', {
    m_templateID: 'unsigned int', m_objectName: 'std::string', m_displayName: 'std::string',
    m_adjectiveList: list('std::string'), m_behaviors: ptrList('BehaviorTemplate'), m_exemptFromAOI: 'bool',
  });
  b.add('GameObjectTemplate', 'CoreTemplate');
  b.add('WizGameObjectTemplate', 'GameObjectTemplate', { m_primarySchoolName: 'std::string' });
  b.add('ItemTemplate', 'WizGameObjectTemplate', { m_itemLimit: 'int' });
  b.add('ReagentItemTemplate', 'ItemTemplate', { m_rank: 'int' });
  b.add('PetSnackItemTemplate', 'ItemTemplate', { m_snackRank: 'int' });

  // Client objects (compact mode, CoreObject blobs) and their behaviors.
  b.add('BehaviorInstance', 'PropertyClass', { m_behaviorTemplateNameID: 'unsigned int' });
  b.add('AnimationBehavior', 'BehaviorInstance', { m_idleAnimation: 'std::string' });
  b.add('ObjectStateBehavior', 'BehaviorInstance', { m_stateName: 'std::string' });
  b.add('NPCBehavior', 'BehaviorInstance', { m_isMonster: 'bool', m_wsNameOverride: 'std::wstring' });
  b.add('PathBehavior', 'BehaviorInstance', { m_pathID: 'gid' });
  b.add('PathMovementBehavior', 'BehaviorInstance', { m_movementSpeed: 'float' });
  b.add('InteractableBehavior', 'BehaviorInstance', { m_interactRadius: 'float' });
  b.add('WizardCharacterBehavior', 'BehaviorInstance', {
    m_characterName: 'std::string', m_schoolOfFocus: 'std::string', m_level: 'int',
    m_appearance: { type: 'std::string', flags: PRIVATE },
  });
  b.add('WizGameStats', 'PropertyClass', {
    m_level: 'int', m_schoolOfFocus: 'std::string', m_maxHealth: 'int', m_currentHealth: 'int',
    m_experience: { type: 'int', flags: PRIVATE },
  });
  b.add('CoreObject', 'PropertyClass', {
    m_inactiveBehaviors: ptrList('BehaviorInstance'),
    m_globalID: 'gid', m_permID: 'unsigned __int64', m_location: 'class Vector3D', m_orientation: 'class Vector3D',
    m_fScale: 'float', m_templateID: 'gid', m_debugName: 'std::string', m_displayKey: 'std::string',
    m_zoneTagID: 'unsigned int', m_speedMultiplier: 'short', m_nMobileID: 'unsigned short',
  });
  b.add('ClientObject', 'CoreObject', { m_characterId: 'gid', m_gameStats: ptr('WizGameStats') });
  b.add('WizClientObject', 'ClientObject');
  b.add('WizClientObjectItem', 'ClientObject', { m_itemFlags: 'unsigned int' });
  b.add('ClientReagentItem', 'WizClientObjectItem');
  b.add('ClientPetSnackItem', 'WizClientObjectItem');
  return b.toJson();
}
