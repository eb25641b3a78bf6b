// A decoded template object -> ObjectTemplate (docs/world.md "Templates"). Lenient like the zone
// decoder: absent properties take defaults; the raw object stays for the client object builder.
import type { OpObject, TypeList } from '../objectproperty/index.js';
import { bool, enumName, isA, itemsOf, num, str, strings } from './op-values.js';
import type { BehaviorTemplate, MovementTraits, NpcTraits, ObjectTemplate, PathTraits } from './template-types.js';

const PATH_TYPE = { PT_CHAIN: 0, PT_LOOP: 1, PT_RANDOM: 2 } as const;

/** Behavior names that make an object something a player presses to use (doors). Data, not code. */
export const INTERACTABLE_BEHAVIORS: ReadonlySet<string> = new Set(['InteractableBehavior']);

export function templateOf(types: TypeList, id: number, raw: OpObject): ObjectTemplate {
  const behaviors: BehaviorTemplate[] = itemsOf(types, raw, 'class BehaviorTemplate').map((b) => ({
    className: b.$class, behaviorName: str(b, 'm_behaviorName'), raw: b,
  }));
  const find = (cls: string): OpObject | undefined => behaviors.find((b) => isA(types, b.className, cls))?.raw;
  const npcRaw = find('class NPCBehaviorTemplate');
  const pathRaw = find('class PathBehaviorTemplate');
  const moveRaw = find('class PathMovementBehaviorTemplate');
  const npc: NpcTraits | undefined = npcRaw === undefined ? undefined : {
    level: num(npcRaw, 'm_nLevel'),
    maxHealth: num(npcRaw, 'm_nMaxHealth'),
    school: str(npcRaw, 'm_schoolOfFocus'),
    isMonster: bool(npcRaw, 'm_isMonster'),
    nameOverride: str(npcRaw, 'm_wsNameOverride'),
  };
  const path: PathTraits | undefined = pathRaw === undefined ? undefined : {
    pathType: enumName(pathRaw['m_kPathType'], PATH_TYPE, 'PT_CHAIN'),
    direction: num(pathRaw, 'm_nPathDirection', 1),
    pauseChance: fraction(num(pathRaw, 'm_pauseChance')),
    pauseSec: num(pathRaw, 'm_timeToPause'),
  };
  const movement: MovementTraits | undefined = moveRaw === undefined ? undefined : {
    speed: num(moveRaw, 'm_movementSpeed'),
    scale: num(moveRaw, 'm_movementScale', 1),
  };
  return {
    id,
    className: raw.$class,
    objectName: str(raw, 'm_objectName'),
    displayName: str(raw, 'm_displayName'),
    adjectives: strings(raw, 'm_adjectiveList'),
    exemptFromAOI: bool(raw, 'm_exemptFromAOI'),
    behaviors,
    npc,
    path,
    movement,
    interactable: behaviors.some((b) => INTERACTABLE_BEHAVIORS.has(b.behaviorName)),
    raw,
  };
}

/** Chances are stored as percentages (25) or fractions (0.25); both become 0..1. */
function fraction(v: number): number {
  const f = v > 1 ? v / 100 : v;
  return Math.min(1, Math.max(0, f));
}
