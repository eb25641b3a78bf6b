// The templates of the sample world (our own objects, in the sample dump's classes): the player, two
// standing NPCs, two walking creatures, four doors, a sign, a sigil circle and a reagent item.
import type { OpObject } from '../../objectproperty/index.js';

export const SampleTemplate = {
  player: 1,
  headmaster: 100,
  merchant: 101,
  beetle: 200,
  rat: 201,
  doorHubToMeadow: 300,
  doorMeadowToHub: 301,
  doorHubToCellar: 302,
  doorCellarToHub: 303,
  sign: 400,
  sigil: 401,
  reagent: 500,
} as const;

export interface SampleTemplateFile {
  readonly id: number;
  readonly filename: string;
  readonly object: OpObject;
}

const animation = (idle = 'Idle'): OpObject => ({ $class: 'class AnimationBehaviorTemplate', m_behaviorName: 'AnimationBehavior', m_idleAnimation: idle });
const objectState = (): OpObject => ({ $class: 'class ObjectStateBehaviorTemplate', m_behaviorName: 'ObjectStateBehavior', m_initialState: 'Default' });
const npc = (level: number, health: number, school: string, isMonster: boolean): OpObject => ({
  $class: 'class NPCBehaviorTemplate', m_behaviorName: 'NPCBehavior', m_nLevel: level, m_nMaxHealth: health, m_schoolOfFocus: school,
  m_isMonster: isMonster, m_wsNameOverride: '',
});
const pathBehavior = (type: 'PT_CHAIN' | 'PT_LOOP' | 'PT_RANDOM', pauseChance: number, pause: number): OpObject => ({
  $class: 'class PathBehaviorTemplate', m_behaviorName: 'PathBehavior', m_kPathType: type, m_nPathDirection: 1, m_pauseChance: pauseChance, m_timeToPause: pause,
});
const movement = (speed: number): OpObject => ({
  $class: 'class PathMovementBehaviorTemplate', m_behaviorName: 'PathMovementBehavior', m_movementSpeed: speed, m_movementScale: 1,
});
const interactable = (): OpObject => ({ $class: 'class InteractableBehaviorTemplate', m_behaviorName: 'InteractableBehavior', m_interactRadius: 150 });

function template(cls: string, id: number, objectName: string, displayName: string, behaviors: OpObject[], extra: Record<string, unknown> = {}): OpObject {
  return {
    $class: cls, m_templateID: id, m_objectName: objectName, m_displayName: displayName, m_adjectiveList: [], m_behaviors: behaviors,
    m_exemptFromAOI: false, ...extra,
  };
}

const wiz = (id: number, name: string, display: string, behaviors: OpObject[], extra: Record<string, unknown> = {}): SampleTemplateFile => ({
  id, filename: id === SampleTemplate.player ? 'ObjectData/PlayerObject.xml' : `ObjectData/Sample/${name}.xml`,
  object: template('class WizGameObjectTemplate', id, name, display, behaviors, { m_primarySchoolName: '', ...extra }),
});

const door = (id: number, name: string): SampleTemplateFile => wiz(id, name, 'SampleName_Door', [animation('Closed'), interactable()]);

export const SAMPLE_TEMPLATES: readonly SampleTemplateFile[] = [
  wiz(SampleTemplate.player, 'Player Object', 'SampleName_Player', [
    animation(), objectState(),
    { $class: 'class WizardCharacterBehaviorTemplate', m_behaviorName: 'WizardCharacterBehavior', m_startLevel: 1 },
    movement(200),
  ], { m_exemptFromAOI: true }),
  wiz(SampleTemplate.headmaster, 'Sample_NPC_Headmaster', 'SampleName_Headmaster', [npc(50, 5000, 'Storm', false), objectState(), animation('Wave')]),
  wiz(SampleTemplate.merchant, 'Sample_NPC_Merchant', 'SampleName_Merchant', [npc(10, 800, 'Life', false), objectState(), animation()]),
  wiz(SampleTemplate.beetle, 'Sample_Creature_Beetle', 'SampleName_Beetle', [
    npc(3, 120, 'Fire', true), objectState(), animation('Walk'), pathBehavior('PT_LOOP', 25, 2), movement(150),
  ]),
  wiz(SampleTemplate.rat, 'Sample_Creature_Rat', 'SampleName_Rat', [
    npc(1, 40, 'Ice', true), objectState(), animation('Walk'), pathBehavior('PT_CHAIN', 50, 1), movement(100),
  ]),
  door(SampleTemplate.doorHubToMeadow, 'Hub_Door_ToMeadow'),
  door(SampleTemplate.doorMeadowToHub, 'Meadow_Door_ToHub'),
  door(SampleTemplate.doorHubToCellar, 'Hub_Door_ToCellar'),
  door(SampleTemplate.doorCellarToHub, 'Cellar_Door_ToHub'),
  wiz(SampleTemplate.sign, 'Sample_Sign_Welcome', 'SampleName_Sign', [animation()], { m_adjectiveList: ['Critical'] }),
  wiz(SampleTemplate.sigil, 'Sample_Sigil_Circle', 'SampleName_Sigil', []),
  {
    id: SampleTemplate.reagent, filename: 'ObjectData/Sample/Sample_Reagent_Moss.xml',
    object: template('class ReagentItemTemplate', SampleTemplate.reagent, 'Sample_Reagent_Moss', 'SampleName_Moss', [], {
      m_primarySchoolName: '', m_itemLimit: 999, m_rank: 1,
    }),
  },
];
