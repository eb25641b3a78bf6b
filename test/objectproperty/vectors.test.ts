// The hash vectors and every serialized vector of objectproperty.md, decoded to
// the documented values and re-encoded byte for byte.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { djb2, propertyHash, stringId } from '../../src/protocol/hashes.js';
import { ObjectPropertyCodec, PropertyFlags, loadTypeDump } from '../../src/objectproperty/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('objectproperty.md hash vectors', () => {
  it('class hashes are the string ID of the full type name', () => {
    assert.equal(stringId('std::string'), 1497788074);
    assert.equal(stringId('class FishTournamentEntry'), 1725212200);
    assert.equal(stringId('class NonCombatMayCastSpellTemplate*'), 920052956);
    assert.equal(stringId('class Matrix3x3'), 1479974833);
    assert.equal(stringId('class EquipmentSetList'), 135649998);
    assert.equal(stringId('Hello, world!'), 804074800);
    assert.equal(stringId('class LootInfoList'), 0x4867032a);
  });

  it('property hashes add the low 31 bits of djb2(name) to the type string ID', () => {
    assert.equal(djb2('m_packedName') & 0x7fffffff, 307420154);
    assert.equal(propertyHash('class SharedPointer<class EquipmentSet>', 'm_equipmentSetList'), 1788831224);
  });

  it('a dump without property hashes computes them the same way', () => {
    const types = loadTypeDump({
      'class EquipmentSetList': {
        bases: [], properties: { m_equipmentSetList: { type: 'class SharedPointer<class EquipmentSet>', id: 0, flags: 0x18, dynamic: true } },
      },
    });
    const c = types.byName('class EquipmentSetList')!;
    assert.equal(c.hash, 135649998);
    assert.equal(c.properties[0]!.hash, 1788831224);
  });
});

describe('objectproperty.md serialized vectors', () => {
  it('compact, flags word 1: a std::string then a std::wstring', () => {
    const types = loadTypeDump({
      version: 2,
      classes: {
        1476869666: {
          name: 'class StringTest', bases: [], hash: 1476869666,
          properties: {
            m_string: { type: 'std::string', id: 0, flags: 0x18 },
            m_wstring: { type: 'std::wstring', id: 1, flags: 0x18 },
          },
        },
      },
    });
    const blob = Buffer.concat([
      hex('01000000 223E0758 0D00'), Buffer.from('Hello, World!', 'latin1'), hex('1000'), Buffer.from('Wide string test', 'utf16le'),
    ]);
    const codec = new ObjectPropertyCodec(types, { flags: 1 });
    const decoded = codec.decodeDetailed(blob);
    assert.equal(decoded.flags, 1);
    assert.deepEqual(decoded.object, { $class: 'class StringTest', m_string: 'Hello, World!', m_wstring: 'Wide string test' });
    assert.deepEqual(codec.encode(decoded.object), blob);
  });

  it('verbose: three u32 records of 96 bits in an object of 320 bits', () => {
    const types = verboseTestTypes();
    const blob = hex('01000000 EC0DC918 40010000 60000000 15F3F13B 11111111 60000000 49ADCF44 22222222 60000000 4897EE3C 33333333');
    const codec = new ObjectPropertyCodec(types, { flags: 1, verbose: true });
    const object = codec.decode(blob);
    assert.deepEqual(object, { $class: 'class VerboseTest', m_a: 0x11111111, m_b: 0x22222222, m_c: 0x33333333 });
    assert.deepEqual(codec.encode(object), blob);
  });

  it('verbose records may come in any order and re-encode in that order', () => {
    const types = verboseTestTypes();
    const blob = hex('01000000 EC0DC918 40010000 60000000 4897EE3C 33333333 60000000 15F3F13B 11111111 60000000 49ADCF44 22222222');
    const codec = new ObjectPropertyCodec(types, { flags: 1, verbose: true });
    const object = codec.decode(blob);
    assert.deepEqual(Object.keys(object), ['$class', 'm_c', 'm_a', 'm_b']);
    assert.deepEqual(codec.encode(object), blob);
  });

  it('compact list with flags 3: a small length of 10 then ten aligned u32', () => {
    const types = loadTypeDump({
      'class ListTest': { bases: [], hash: 0x2ede24d5, properties: { m_list: { type: 'unsigned int', id: 0, flags: 0x18, dynamic: true, container: 'List' } } },
    });
    const blob = Buffer.concat([hex('03000000 D524DE2E 14'), ...Array.from({ length: 10 }, (_, i) => hex(`${i.toString(16).padStart(2, '0')}000000`))]);
    const codec = new ObjectPropertyCodec(types, { flags: 1 });
    const decoded = codec.decodeDetailed(blob);
    assert.equal(decoded.flags, 3);
    assert.deepEqual(decoded.object, { $class: 'class ListTest', m_list: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    assert.deepEqual(codec.encode(decoded.object, { flags: decoded.flags }), blob);
  });

  const LOOT_FLAGS = 31;
  const lootDump = {
    'class LootInfoList': {
      bases: ['class PropertyClass'],
      properties: {
        m_loot: { type: 'class SharedPointer<class LootInfo>', id: 0, flags: LOOT_FLAGS, dynamic: true, container: 'List', pointer: true },
        m_goldInfo: { type: 'class SharedPointer<class GoldLootInfo>', id: 1, flags: LOOT_FLAGS, pointer: true },
        m_extraInfo: { type: 'class SharedPointer<class LootInfo>', id: 2, flags: LOOT_FLAGS, pointer: true },
      },
    },
    'class LootInfo': {
      bases: ['class PropertyClass'],
      properties: {
        m_lootType: {
          type: 'enum LootInfo::LOOT_TYPE', id: 0, flags: LOOT_FLAGS | PropertyFlags.ENUM,
          enum_options: { __DEFAULT: 'LOOT_TYPE_NONE', LOOT_TYPE_NONE: 0, LOOT_TYPE_GOLD: 1, LOOT_TYPE_MAGIC_XP: 5 },
        },
      },
    },
    'class MagicXPLootInfo': {
      bases: ['class LootInfo', 'class PropertyClass'],
      properties: {
        m_lootType: {
          type: 'enum LootInfo::LOOT_TYPE', id: 0, flags: LOOT_FLAGS | PropertyFlags.ENUM,
          enum_options: { __DEFAULT: 'LOOT_TYPE_NONE', LOOT_TYPE_NONE: 0, LOOT_TYPE_GOLD: 1, LOOT_TYPE_MAGIC_XP: 5 },
        },
        m_magicSchool: { type: 'std::string', id: 1, flags: LOOT_FLAGS },
        m_experience: { type: 'int', id: 2, flags: LOOT_FLAGS },
      },
    },
    'class GoldLootInfo': {
      bases: ['class LootInfo', 'class PropertyClass'],
      properties: {
        m_lootType: {
          type: 'enum LootInfo::LOOT_TYPE', id: 0, flags: LOOT_FLAGS | PropertyFlags.ENUM,
          enum_options: { __DEFAULT: 'LOOT_TYPE_NONE', LOOT_TYPE_NONE: 0, LOOT_TYPE_GOLD: 1, LOOT_TYPE_MAGIC_XP: 5 },
        },
        m_goldAmount: { type: 'int', id: 1, flags: LOOT_FLAGS },
      },
    },
  };
  const lootBlob = hex('2A036748 01000000 89876B65 05000000 0000 05000000 5E39841B 01000000 02000000 00000000');
  const lootObject = {
    $class: 'class LootInfoList',
    m_loot: [{ $class: 'class MagicXPLootInfo', m_lootType: 5, m_magicSchool: '', m_experience: 5 }],
    m_goldInfo: { $class: 'class GoldLootInfo', m_lootType: 1, m_goldAmount: 2 },
    m_extraInfo: null,
  };

  it('the real LootInfoList, compact, no flags word, mask 31', () => {
    const types = loadTypeDump(lootDump);
    assert.equal(types.byName('class MagicXPLootInfo')!.hash, 0x656b8789);
    assert.equal(types.byName('class GoldLootInfo')!.hash, 0x1b84395e);
    assert.equal(lootBlob.length, 38);
    const codec = new ObjectPropertyCodec(types, { propertyMask: 31 });
    const object = codec.decode(lootBlob);
    assert.deepEqual(object, lootObject);
    assert.deepEqual(codec.encode(object), lootBlob);
  });

  it('the LootInfoList in its manually compressed form: u32 38 then the zlib stream', () => {
    const types = loadTypeDump(lootDump);
    const compressed = Buffer.concat([hex('26000000'), deflateSync(lootBlob)]);
    const codec = new ObjectPropertyCodec(types, { propertyMask: 31, manualCompression: true });
    const object = codec.decode(compressed);
    assert.deepEqual(object, lootObject);
    assert.deepEqual(codec.encode(object), compressed);
  });

  it('enums read as strings under flag bit 2 name the same options', () => {
    const types = loadTypeDump(lootDump);
    const numeric = new ObjectPropertyCodec(types, { propertyMask: 31 });
    const named = new ObjectPropertyCodec(types, { propertyMask: 31, flags: 4 });
    const asStrings = named.encode(numeric.decode(lootBlob));
    const object = named.decode(asStrings) as any;
    assert.equal(object.m_loot[0].m_lootType, 'LOOT_TYPE_MAGIC_XP');
    assert.equal(object.m_goldInfo.m_lootType, 'LOOT_TYPE_GOLD');
    assert.deepEqual(numeric.encode(object), lootBlob);
  });
});

/** The class the verbose vector implies: three u32 properties with the hashes the vector carries. */
function verboseTestTypes(): ReturnType<typeof loadTypeDump> {
  return loadTypeDump({
    'class VerboseTest': {
      bases: [], hash: 0x18c90dec,
      properties: {
        m_a: { type: 'unsigned int', id: 0, flags: 0x18, hash: 0x3bf1f315 },
        m_b: { type: 'unsigned int', id: 1, flags: 0x18, hash: 0x44cfad49 },
        m_c: { type: 'unsigned int', id: 2, flags: 0x18, hash: 0x3cee9748 },
      },
    },
  });
}
