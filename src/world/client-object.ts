// The client object for a placement (docs/world.md "Templates and the client object built from them"):
// a pure function the zone runtime calls for every entity it shows. Class from the template's class,
// behaviors from the template through the behavior table, placement values, ids, NPC stats.
import { defaultObject, NETWORK_PROPERTY_MASK, type CoreHeader, type OpObject, type TypeList } from '../objectproperty/index.js';
import { djb2, stringId } from '../protocol/index.js';
import type { BehaviorTable } from './behavior-table.js';
import { isA } from './op-values.js';
import type { ObjectTemplate } from './template-types.js';
import type { Vec3 } from './zone-data.js';

/** Client object class by template class, subclasses first (a reagent is also an item). */
export const CLIENT_CLASS_RULES: ReadonlyArray<readonly [template: string, client: string]> = [
  ['class ReagentItemTemplate', 'class ClientReagentItem'],
  ['class PetSnackItemTemplate', 'class ClientPetSnackItem'],
  ['class ItemTemplate', 'class WizClientObjectItem'],
  ['class WizGameObjectTemplate', 'class WizClientObject'],
];
export const DEFAULT_CLIENT_CLASS = 'class ClientObject';

/**
 * CoreObject header bytes (block, type) per client class. Only WizClientObject's is confirmed by a
 * capture (docs/world.md); ClientPetSnackItem is not documented and shares the item's.
 */
export const CORE_BLOCKS: Readonly<Record<string, readonly [block: number, type: number]>> = {
  'class WizClientObject': [104, 2],
  'class ClientObject': [2, 2],
  'class WizClientObjectItem': [115, 9],
  'class WizClientPet': [106, 2],
  'class WizClientMount': [108, 2],
  'class ClientReagentItem': [132, 9],
  'class ClientRecipe': [131, 131],
  'class ClientPetSnackItem': [115, 9],
};

/** For ObjectPropertyCodec's resolveTemplate: a CoreObject header's (block, type) -> client class. */
export function clientClassOfHeader(header: CoreHeader): string | undefined {
  for (const [cls, [block, type]] of Object.entries(CORE_BLOCKS)) {
    if (block === header.objectId && type === header.namespaceId && cls !== 'class ClientPetSnackItem') return cls;
  }
  return undefined;
}

export function clientClassOf(types: TypeList, template: ObjectTemplate): string {
  for (const [t, client] of CLIENT_CLASS_RULES) if (isA(types, template.className, t) && types.byName(client) !== undefined) return client;
  return DEFAULT_CLIENT_CLASS;
}

export interface Placement {
  readonly position: Vec3;
  readonly orientation: Vec3;
  readonly scale: number;
  readonly zoneTag: string;
}

export interface ClientObjectIds {
  /** A fresh unique 64-bit id. */
  readonly globalId: bigint;
  /** Stable per placement (permIdOf). */
  readonly permId: bigint;
  readonly mobileId: number;
}

export interface ClientObjectContext {
  readonly types: TypeList;
  readonly behaviors: BehaviorTable;
  /** The text of a locale key (the debug name); default: the key itself. */
  readonly displayText?: (key: string) => string | undefined;
}

export interface BuiltClientObject {
  /** With `$core` set: encode with a CoreObject codec. */
  readonly object: OpObject;
  /** Behavior names with no client class (sent as null slots): the caller logs them. */
  readonly unmapped: readonly string[];
}

/** A stable 64-bit id of a placement: hashes of zone, zone tag, template and position. */
export function permIdOf(zone: string, templateId: number, placement: Placement, index = 0): bigint {
  const p = placement.position;
  const key = `${zone}|${placement.zoneTag}|${templateId}|${p.x},${p.y},${p.z}|${index}`;
  return (BigInt(djb2(key)) << 32n) | BigInt(stringId(key));
}

/**
 * Builds the client object. `live` sets values of named behaviors (e.g. the player's name) and of the
 * object itself (`$object`), over the template's.
 */
export function buildClientObject(
  context: ClientObjectContext, template: ObjectTemplate, placement: Placement, ids: ClientObjectIds,
  live: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {},
): BuiltClientObject {
  const { types } = context;
  const cls = clientClassOf(types, template);
  const object = defaultObject(types, cls, NETWORK_PROPERTY_MASK);
  const [block, type] = CORE_BLOCKS[cls] ?? CORE_BLOCKS[DEFAULT_CLIENT_CLASS]!;
  object.$core = { objectId: block, namespaceId: type, templateId: template.id };
  const set = (key: string, value: unknown): void => {
    if (key in object) object[key] = value;
  };
  set('m_templateID', BigInt(template.id));
  set('m_globalID', ids.globalId);
  set('m_permID', ids.permId);
  set('m_location', { ...placement.position });
  set('m_orientation', { ...placement.orientation });
  set('m_fScale', placement.scale);
  set('m_zoneTagID', placement.zoneTag === '' ? 0 : stringId(placement.zoneTag));
  set('m_debugName', context.displayText?.(template.displayName) ?? template.displayName);
  set('m_displayKey', template.displayName);
  set('m_nMobileID', ids.mobileId);
  const unmapped: string[] = [];
  set('m_inactiveBehaviors', behaviorsOf(context, template, live, unmapped));
  if (template.npc !== undefined && 'm_gameStats' in object) object['m_gameStats'] = npcStats(types, cls, template);
  for (const [key, value] of Object.entries(live['$object'] ?? {})) set(key, value);
  return { object, unmapped };
}

function behaviorsOf(
  context: ClientObjectContext, template: ObjectTemplate, live: Readonly<Record<string, Readonly<Record<string, unknown>>>>, unmapped: string[],
): Array<OpObject | null> {
  const { types, behaviors: table } = context;
  const out: Array<OpObject | null> = [];
  const names = new Set<string>();
  const add = (behaviorName: string, source: OpObject | undefined): void => {
    const hash = stringId(behaviorName);
    if (!table.isSent(hash)) return;
    const cls = table.classOf(hash);
    if (cls === undefined) {
      unmapped.push(behaviorName);
      out.push(null);
      return;
    }
    const instance = defaultObject(types, cls, NETWORK_PROPERTY_MASK);
    if (source !== undefined) copyShared(types, source, instance);
    if ('m_behaviorTemplateNameID' in instance) instance['m_behaviorTemplateNameID'] = hash;
    for (const [key, value] of Object.entries(live[behaviorName] ?? {})) if (key in instance) instance[key] = value;
    names.add(behaviorName);
    out.push(instance);
  };
  for (const b of template.behaviors) add(b.behaviorName, b.raw);
  for (const name of [...names]) {
    for (const needed of table.rules.requires[name] ?? []) if (!names.has(needed)) add(needed, undefined);
  }
  if (template.npc !== undefined) {
    const npc = out.find((b) => b !== null && isA(types, b.$class, 'class NPCBehavior'));
    if (npc !== undefined && npc !== null && 'm_wsNameOverride' in npc) npc['m_wsNameOverride'] = template.npc.nameOverride;
  }
  return out;
}

/** Copies the template values whose property exists with the same type in the client class. */
function copyShared(types: TypeList, from: OpObject, to: OpObject): void {
  const source = types.byName(from.$class);
  const target = types.byName(to.$class);
  if (source === undefined || target === undefined) return;
  for (const p of target.properties) {
    if (!(p.name in to) || p.name === 'm_behaviorTemplateNameID') continue;
    const q = source.byName.get(p.name);
    if (q !== undefined && q.type === p.type && q.dynamic === p.dynamic && from[p.name] !== undefined) to[p.name] = from[p.name];
  }
}

function npcStats(types: TypeList, clientClass: string, template: ObjectTemplate): OpObject | null {
  const type = types.byName(clientClass)?.byName.get('m_gameStats')?.type;
  const statsClass = type === undefined ? undefined : pointee(type);
  if (statsClass === undefined || types.byName(statsClass) === undefined || template.npc === undefined) return null;
  const stats = defaultObject(types, statsClass, NETWORK_PROPERTY_MASK);
  const put = (key: string, value: unknown): void => { if (key in stats) stats[key] = value; };
  put('m_level', template.npc.level);
  put('m_schoolOfFocus', template.npc.school);
  put('m_maxHealth', template.npc.maxHealth);
  put('m_currentHealth', template.npc.maxHealth);
  return stats;
}

/** "class SharedPointer<class Foo>" or "class Foo*" -> "class Foo". */
function pointee(type: string): string {
  const shared = /^class SharedPointer<(.+)>$/.exec(type);
  return (shared?.[1] ?? type).replace(/\*$/, '');
}
