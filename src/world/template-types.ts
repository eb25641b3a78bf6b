// Object templates of Root.wad (docs/world.md "Templates"), reduced to what the world needs. The raw
// decoded object stays attached for the client object builder, which copies template values it knows.
import type { OpObject } from '../objectproperty/index.js';

export const PATH_TYPES = ['PT_CHAIN', 'PT_LOOP', 'PT_RANDOM'] as const;
export type PathType = (typeof PATH_TYPES)[number];

/** One behavior template of `m_behaviors`. */
export interface BehaviorTemplate {
  /** The template's class as dumped ("class NPCBehaviorTemplate"). */
  readonly className: string;
  /** `m_behaviorName`, whose string-id hash selects the client behavior class. */
  readonly behaviorName: string;
  readonly raw: OpObject;
}

/** NPC facts of a template (from its NPC behavior template). */
export interface NpcTraits {
  readonly level: number;
  readonly maxHealth: number;
  readonly school: string;
  readonly isMonster: boolean;
  readonly nameOverride: string;
}

/** How a creature walks its path (PathBehaviorTemplate). */
export interface PathTraits {
  readonly pathType: PathType;
  readonly direction: number;
  /** 0..1 (stored as a percentage or a fraction: values above 1 are read as percent). */
  readonly pauseChance: number;
  readonly pauseSec: number;
}

/** How fast a creature walks (PathMovementBehaviorTemplate). */
export interface MovementTraits {
  readonly speed: number;
  readonly scale: number;
}

export interface ObjectTemplate {
  readonly id: number;
  /** The template's class as dumped ("class WizGameObjectTemplate"). */
  readonly className: string;
  readonly objectName: string;
  /** A locale key. */
  readonly displayName: string;
  readonly adjectives: readonly string[];
  readonly exemptFromAOI: boolean;
  readonly behaviors: readonly BehaviorTemplate[];
  readonly npc: NpcTraits | undefined;
  readonly path: PathTraits | undefined;
  readonly movement: MovementTraits | undefined;
  /** True when a behavior marks the object as something a player presses to use (doors). */
  readonly interactable: boolean;
  readonly raw: OpObject;
}

/** One `m_serializedTemplates` entry of TemplateManifest.xml. */
export interface TemplateLocation {
  readonly id: number;
  readonly filename: string;
}

/** Template 1 is the player's object. */
export const PLAYER_TEMPLATE_ID = 1;
