// A small type dump covering every value kind of the spec's table, and objects
// of it, shared by the codec, fuzz, CLI and type generation tests.
import { PropertyFlags, type OpObject } from '../../src/objectproperty/index.js';

const NET = 0x18;
const ENUM = PropertyFlags.ENUM;
const BITS = PropertyFlags.BITS;
const DELTA = PropertyFlags.DELTA_ENCODE;

const colorOptions = { __DEFAULT: 'RED', __BASECLASS: 'Object', RED: 0, GREEN: 1, BLUE: 2 };
const bitsOptions = { FLAG_A: 1, FLAG_B: 2, FLAG_C: 4, FLAG_D: 0x80000000 };

let id = 0;
const prop = (type: string, flags = NET, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type, id: id++, flags, container: extra['dynamic'] === true ? 'Vector' : 'Static', dynamic: false, pointer: false, ...extra,
});

const kindsProperties: Record<string, Record<string, unknown>> = {
  m_bool: prop('bool'),
  m_bi3: prop('bi3'),
  m_bui5: prop('bui5'),
  m_bi7: prop('bi7'),
  m_bui2: prop('bui2'),
  m_s24: prop('s24'),
  m_u24: prop('u24'),
  m_flag1: prop('bool'),
  m_char: prop('char'),
  m_uchar: prop('unsigned char'),
  m_flag2: prop('bool'),
  m_short: prop('short'),
  m_ushort: prop('unsigned short'),
  m_wchar: prop('wchar_t'),
  m_int: prop('int'),
  m_uint: prop('unsigned int'),
  m_long: prop('long'),
  m_ulong: prop('unsigned long'),
  m_float: prop('float'),
  m_double: prop('double'),
  m_u64: prop('unsigned __int64'),
  m_gid: prop('gid'),
  m_ugid: prop('union gid'),
  m_i64: prop('__int64'),
  m_string: prop('std::string'),
  m_bytes: prop('std::string'),
  m_emptyString: prop('std::string'),
  m_flag3: prop('bool'),
  m_wstring: prop('std::wstring'),
  m_emptyWstring: prop('std::wstring'),
  m_color: prop('class Color'),
  m_vec: prop('class Vector3D'),
  m_euler: prop('class Euler'),
  m_quat: prop('class Quaternion'),
  m_matrix: prop('class Matrix3x3'),
  m_pointInt: prop('class Point<int>'),
  m_pointFloat: prop('class Point<float>'),
  m_sizeInt: prop('class Size<int>'),
  m_rectFloat: prop('class Rect<float>'),
  m_rectUint: prop('class Rect<unsigned int>'),
  m_enum: prop('enum Kinds::Color', NET | ENUM, { enum_options: colorOptions }),
  m_bits: prop('unsigned int', NET | BITS, { enum_options: bitsOptions }),
  m_enumByType: prop('enum Kinds::Shade', NET, { enum_options: { DARK: 10, LIGHT: 20 } }),
  m_child: prop('class SharedPointer<class KindsChild>', NET, { pointer: true }),
  m_nullChild: prop('class KindsChild*', NET, { pointer: true }),
  m_ints: prop('int', NET, { dynamic: true }),
  m_bools: prop('bool', NET, { dynamic: true }),
  m_strings: prop('std::string', NET, { dynamic: true, container: 'List' }),
  m_children: prop('class SharedPointer<class KindsChild>', NET, { dynamic: true, pointer: true }),
  m_enums: prop('enum Kinds::Color', NET | ENUM, { dynamic: true, enum_options: colorOptions }),
  m_emptyList: prop('float', NET, { dynamic: true }),
  m_deltaPresent: prop('int', NET | DELTA),
  m_deltaAbsent: prop('int', NET | DELTA),
  m_deltaFlag: prop('bool', NET | DELTA),
  m_deprecated: prop('int', NET | PropertyFlags.DEPRECATED),
  m_saveOnly: prop('int', PropertyFlags.SAVE),
  m_last: prop('unsigned char'),
};

id = 0;
const childProperties = { m_value: prop('int'), m_label: prop('std::string') };
id = 0;
const subProperties = { m_value: prop('int'), m_label: prop('std::string'), m_extra: prop('float') };

/** A version 2 dump (hash keys); property hashes left for the loader to compute. */
export const kindsDump = {
  version: 2,
  classes: {
    '1': { name: 'class Kinds', bases: ['class PropertyClass'], properties: kindsProperties },
    '2': { name: 'class KindsChild', bases: ['class PropertyClass'], properties: childProperties },
    '3': { name: 'class KindsChildSub', bases: ['class KindsChild', 'class PropertyClass'], properties: subProperties },
  },
};

/** The same classes as a version 1 dump (class names as keys). */
export const kindsDumpV1 = {
  'class Kinds': { bases: ['class PropertyClass'], hash: 1, properties: kindsProperties },
  'class KindsChild': { bases: ['class PropertyClass'], hash: 2, properties: childProperties },
  'class KindsChildSub': { bases: ['class KindsChild', 'class PropertyClass'], hash: 3, properties: subProperties },
};

/** Every property of class Kinds with a value; enums as numbers or as option names. */
export function kindsObject(enumNames = false): OpObject {
  return {
    $class: 'class Kinds',
    m_bool: true,
    m_bi3: -3,
    m_bui5: 27,
    m_bi7: -64,
    m_bui2: 2,
    m_s24: -8_000_000,
    m_u24: 0xabcdef,
    m_flag1: false,
    m_char: -100,
    m_uchar: 200,
    m_flag2: true,
    m_short: -30000,
    m_ushort: 60000,
    m_wchar: 0x263a,
    m_int: -2_000_000_000,
    m_uint: 4_000_000_000,
    m_long: 123456,
    m_ulong: 0xdeadbeef,
    m_float: 1.5,
    m_double: Math.PI,
    m_u64: 0xffffffffffffffffn,
    m_gid: 0x0123456789abcdefn,
    m_ugid: 42n,
    m_i64: -5n,
    m_string: 'Merle Ambrose — ünïcode',
    m_bytes: Buffer.from([0xff, 0xfe, 0x00, 0x80]),
    m_emptyString: '',
    m_flag3: true,
    m_wstring: 'Wide ☃ string',
    m_emptyWstring: '',
    m_color: { b: 1, g: 2, r: 3, a: 255 },
    m_vec: { x: 1.25, y: -2.5, z: 1024 },
    m_euler: { pitch: 0.5, yaw: 0.25, roll: -0.125 },
    m_quat: { w: 1, x: 0, y: 0.5, z: -0.5 },
    m_matrix: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    m_pointInt: { x: -7, y: 9 },
    m_pointFloat: { x: 0.75, y: -0.75 },
    m_sizeInt: { width: 800, height: 600 },
    m_rectFloat: { left: 1, top: 2, right: 3, bottom: 4 },
    m_rectUint: { left: 0, top: 4_000_000_000, right: 5, bottom: 6 },
    m_enum: enumNames ? 'BLUE' : 2,
    m_bits: enumNames ? 'FLAG_A|FLAG_C|FLAG_D' : 0x80000005,
    m_enumByType: enumNames ? 'LIGHT' : 20,
    m_child: { $class: 'class KindsChildSub', m_value: 7, m_label: 'sub', m_extra: 0.5 },
    m_nullChild: null,
    m_ints: [1, -2, 3, 2147483647],
    m_bools: [true, false, true, true, false],
    m_strings: ['a', '', 'ccc'],
    m_children: [{ $class: 'class KindsChild', m_value: 1, m_label: 'one' }, null, { $class: 'class KindsChild', m_value: 2, m_label: '' }],
    m_enums: enumNames ? ['RED', 'GREEN'] : [0, 1],
    m_emptyList: [],
    m_deltaPresent: 99,
    m_deltaFlag: false,
    m_deprecated: 5,
    m_saveOnly: 6,
    m_last: 0x5a,
  };
}

/** What compact mode with the network mask keeps: no deprecated or unmasked properties. */
export function compactView(o: Record<string, unknown>): Record<string, unknown> {
  const { m_deprecated: _d, m_saveOnly: _s, ...rest } = o;
  return rest;
}

/** A realistic object for the benchmark: a few dozen properties, nested objects and lists. */
export const benchDump = {
  version: 2,
  classes: {
    '100': {
      name: 'class BenchCharacter', bases: [],
      properties: Object.fromEntries([
        ['m_globalID', { type: 'gid', id: 0, flags: NET }],
        ['m_name', { type: 'std::string', id: 1, flags: NET }],
        ['m_level', { type: 'int', id: 2, flags: NET }],
        ['m_school', { type: 'enum School', id: 3, flags: NET | ENUM, enum_options: { FIRE: 0, ICE: 1, STORM: 2, LIFE: 3, DEATH: 4, MYTH: 5, BALANCE: 6 } }],
        ['m_health', { type: 'int', id: 4, flags: NET }],
        ['m_mana', { type: 'int', id: 5, flags: NET }],
        ['m_gold', { type: 'unsigned int', id: 6, flags: NET }],
        ['m_position', { type: 'class Vector3D', id: 7, flags: NET }],
        ['m_orientation', { type: 'class Euler', id: 8, flags: NET }],
        ['m_zone', { type: 'std::string', id: 9, flags: NET }],
        ['m_title', { type: 'std::wstring', id: 10, flags: NET }],
        ['m_online', { type: 'bool', id: 11, flags: NET }],
        ['m_muted', { type: 'bool', id: 12, flags: NET }],
        ['m_rank', { type: 'bui4', id: 13, flags: NET }],
        ['m_tint', { type: 'class Color', id: 14, flags: NET }],
        ['m_friends', { type: 'gid', id: 15, flags: NET, dynamic: true }],
        ['m_badges', { type: 'unsigned int', id: 16, flags: NET, dynamic: true }],
        ['m_equipment', { type: 'class SharedPointer<class BenchItem>', id: 17, flags: NET, dynamic: true }],
        ['m_pet', { type: 'class SharedPointer<class BenchPet>', id: 18, flags: NET }],
        ['m_quests', { type: 'class SharedPointer<class BenchQuest>', id: 19, flags: NET, dynamic: true }],
        ['m_lastLogin', { type: 'unsigned __int64', id: 20, flags: NET }],
        ['m_xp', { type: 'double', id: 21, flags: NET }],
        ['m_speed', { type: 'float', id: 22, flags: NET }],
        ['m_crowns', { type: 'unsigned int', id: 23, flags: NET | DELTA }],
        ['m_house', { type: 'std::string', id: 24, flags: NET }],
        ['m_bank', { type: 'class SharedPointer<class BenchItem>', id: 25, flags: NET, dynamic: true }],
      ]),
    },
    '101': {
      name: 'class BenchItem', bases: [],
      properties: {
        m_templateID: { type: 'unsigned int', id: 0, flags: NET },
        m_itemID: { type: 'gid', id: 1, flags: NET },
        m_count: { type: 'unsigned short', id: 2, flags: NET },
        m_name: { type: 'std::string', id: 3, flags: NET },
        m_equipped: { type: 'bool', id: 4, flags: NET },
        m_stats: { type: 'int', id: 5, flags: NET, dynamic: true },
      },
    },
    '102': {
      name: 'class BenchPet', bases: [],
      properties: {
        m_name: { type: 'std::string', id: 0, flags: NET },
        m_level: { type: 'unsigned char', id: 1, flags: NET },
        m_talents: { type: 'unsigned int', id: 2, flags: NET, dynamic: true },
        m_color: { type: 'class Color', id: 3, flags: NET },
      },
    },
    '103': {
      name: 'class BenchQuest', bases: [],
      properties: {
        m_questID: { type: 'gid', id: 0, flags: NET },
        m_step: { type: 'int', id: 1, flags: NET },
        m_done: { type: 'bool', id: 2, flags: NET },
        m_goal: { type: 'std::string', id: 3, flags: NET },
      },
    },
  },
};

export function benchObject(): OpObject {
  const item = (i: number): Record<string, unknown> => ({
    $class: 'class BenchItem', m_templateID: 1000 + i, m_itemID: 0x0100000000000000n + BigInt(i), m_count: i + 1,
    m_name: `Item number ${i}`, m_equipped: i % 2 === 0, m_stats: [i, i * 2, -i],
  });
  return {
    $class: 'class BenchCharacter',
    m_globalID: 0x00a1b2c3d4e5f607n, m_name: 'Alyssa Stormblade', m_level: 50, m_school: 2, m_health: 2345, m_mana: 123,
    m_gold: 45678, m_position: { x: 1024.5, y: -77.25, z: 12 }, m_orientation: { pitch: 0, yaw: 1.5, roll: 0 },
    m_zone: 'WizardCity/WC_Ravenwood', m_title: 'Grandmaster Diviner', m_online: true, m_muted: false, m_rank: 9,
    m_tint: { b: 10, g: 20, r: 30, a: 255 },
    m_friends: [1n, 2n, 3n, 0xffffffffffn], m_badges: [1, 2, 3, 4, 5, 6, 7, 8],
    m_equipment: Array.from({ length: 6 }, (_, i) => item(i)),
    m_pet: { $class: 'class BenchPet', m_name: 'Fuzzy', m_level: 5, m_talents: [11, 22, 33], m_color: { b: 1, g: 2, r: 3, a: 4 } },
    m_quests: Array.from({ length: 4 }, (_, i) => ({ $class: 'class BenchQuest', m_questID: BigInt(500 + i), m_step: i, m_done: i === 0, m_goal: `Defeat ${i + 3} foes` })),
    m_lastLogin: 1_700_000_000_000n, m_xp: 123456.75, m_speed: 1.25, m_crowns: 500, m_house: 'Housing/Lighthouse',
    m_bank: Array.from({ length: 4 }, (_, i) => item(10 + i)),
  };
}
