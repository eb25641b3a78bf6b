// The supplemental schema: the server-only classes of zone archives (volumes, triggers, results) that a
// client's type dump does not define (docs/world.md "Server-only classes"). Names and types only, our own
// declarations; every hash is recomputed when the schema is loaded (supplemental-schema.ts), so a typo
// fails loudly instead of silently skipping a property.
//
// `name: null` marks a property whose name is not recovered: it is carried by hash with the type found
// by decoding real files, and the hash check lists it as skipped. The Result subclasses' properties are
// authored for the files we write ourselves (the sample world); a real file's other properties are
// skipped by size.

export interface SupplementalProperty {
  /** null: the name is not recovered (only the hash is known). */
  readonly name: string | null;
  readonly type: string;
  readonly hash: number;
  readonly list?: boolean;
}

export interface SupplementalClass {
  readonly name: string;
  readonly hash: number;
  /** Nearest first; a base found in the type dump lends its properties (e.g. CoreObjectInfo). */
  readonly bases: readonly string[];
  readonly properties: readonly SupplementalProperty[];
}

const STRING = 'std::string';

export const SERVER_CLASSES: readonly SupplementalClass[] = [
  {
    name: 'class TriggerList', hash: 0x06daac43, bases: ['class PropertyClass'],
    properties: [{ name: null, type: 'class SharedPointer<class Trigger>', hash: 0x3f1db764, list: true }],
  },
  {
    name: 'class Trigger', hash: 0x068c265b, bases: ['class PropertyClass'],
    properties: [
      { name: 'm_triggerName', type: STRING, hash: 0xb8c90c10 },
      { name: 'm_triggerMax', type: 'int', hash: 0x3933d634 },
      { name: 'm_cooldown', type: 'float', hash: 0x767aac3c },
      { name: 'm_cooldownRand', type: 'float', hash: 0x2e8b9981 },
      { name: 'm_pulsar', type: 'bool', hash: 0x3282d78a },
      { name: 'm_activateEvents', type: STRING, hash: 0x7db09cc1, list: true },
      { name: 'm_fireEvents', type: STRING, hash: 0xa7beadf6, list: true },
      { name: 'm_deactivateEvents', type: STRING, hash: 0x62a2160a, list: true },
      { name: 'm_requirements', type: 'class RequirementList*', hash: 0xa955ffa6 },
      { name: 'm_results', type: 'class ResultList*', hash: 0xe11c8ada },
      { name: 'm_triggerObjectInfo', type: 'class SharedPointer<class TriggerObjectInfo>', hash: 0x8177da98 },
    ],
  },
  {
    name: 'class TriggerVolumeList', hash: 0x1b6ef770, bases: ['class PropertyClass'],
    properties: [{ name: null, type: 'class SharedPointer<class TriggerVolume>', hash: 0x884bfb48, list: true }],
  },
  {
    name: 'class TriggerVolume', hash: 0x1b7b55f6, bases: ['class CoreObjectInfo', 'class PropertyClass'],
    properties: [
      { name: null, type: STRING, hash: 0xc6e6048b },
      { name: 'm_locationX', type: 'float', hash: 0x7db3f828 },
      { name: 'm_locationY', type: 'float', hash: 0x7db3f829 },
      { name: 'm_locationZ', type: 'float', hash: 0x7db3f82a },
      { name: 'm_templateID', type: 'gid', hash: 0x40183401 },
      { name: 'm_shape', type: STRING, hash: 0x8987b2cc },
      { name: 'm_radius', type: 'float', hash: 0x3af933df },
      { name: 'm_length', type: 'float', hash: 0x2d481539 },
      { name: 'm_width', type: 'float', hash: 0x35ebf597 },
      { name: 'm_depth', type: 'float', hash: 0x3492258c },
      { name: 'm_enterEvents', type: STRING, hash: 0x8576192e, list: true },
      { name: 'm_exitEvents', type: STRING, hash: 0xab57cf4a, list: true },
    ],
  },
  { name: 'class TriggerObjectInfo', hash: 0x2147d190, bases: ['class PropertyClass'], properties: [] },
  { name: 'class RequirementList', hash: 0x5ce01a51, bases: ['class PropertyClass'], properties: [] },
  {
    name: 'class Result', hash: 0x51dd8319, bases: ['class PropertyClass'], properties: [],
  },
  {
    name: 'class ResultList', hash: 0x6e20c8b7, bases: ['class PropertyClass'],
    properties: [{ name: 'm_results', type: 'class SharedPointer<class Result>', hash: 0xb7c8e45c, list: true }],
  },
  { name: 'class ResTeleport', hash: 0x0da3207d, bases: ['class Result', 'class PropertyClass'], properties: [] },
  {
    name: 'class ResPlaySound', hash: 0x3c626744, bases: ['class Result', 'class PropertyClass'],
    properties: [{ name: 'm_soundFile', type: STRING, hash: 0x87b64ac4 }],
  },
  {
    name: 'class ResWait', hash: 0x1f65c31e, bases: ['class Result', 'class PropertyClass'],
    properties: [{ name: 'm_waitTime', type: 'float', hash: 0x2878ea9b }],
  },
  {
    name: 'class ResPostEvent', hash: 0x18911ed8, bases: ['class Result', 'class PropertyClass'],
    properties: [{ name: 'm_eventName', type: STRING, hash: 0xd036ebfe }],
  },
  {
    name: 'class ResDisplayText', hash: 0x3ad17bef, bases: ['class Result', 'class PropertyClass'],
    properties: [{ name: 'm_text', type: STRING, hash: 0x66603160 }],
  },
  { name: 'class ResAddDynaMod', hash: 0x003c182a, bases: ['class Result', 'class PropertyClass'], properties: [] },
  { name: 'class ResRemoveDynaMod', hash: 0x20edde18, bases: ['class Result', 'class PropertyClass'], properties: [] },
  { name: 'class ZoneRouter', hash: 0x0da51fa8, bases: ['class PropertyClass'], properties: [] },
  { name: 'class TriggerGroupList', hash: 0x3cdbe781, bases: ['class PropertyClass'], properties: [] },
  { name: 'class TriggerGroup', hash: 0x0cdb4a95, bases: ['class PropertyClass'], properties: [] },
];
