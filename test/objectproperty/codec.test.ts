// Every value kind round-trips in compact and verbose mode, with and without
// each serializer flag, compression and compact length prefixes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BitReader, BitWriter, ObjectPropertyCodec, SerializerFlags, decodeBind, encodeBind, loadTypeDump, toJsonValue, type OpObject,
} from '../../src/objectproperty/index.js';
import { compactView, kindsDump, kindsDumpV1, kindsObject } from './fixtures.js';

const types = loadTypeDump(kindsDump);

const FLAG_SETS = [0, 1, 2, 3, 4, 6, 8, 9, 10, 14, 16, 18, 31];

/** Under flag bit 4 every delta-encoded property must be there, so the input gains the absent one. */
function inputFor(flags: number, named = false): Record<string, unknown> {
  const o = kindsObject(named);
  return (flags & SerializerFlags.FORBID_DELTA_ENCODE) !== 0 ? { ...o, m_deltaAbsent: -1 } : o;
}

function expectedFor(flags: number, verbose: boolean): Record<string, unknown> {
  const named = (flags & SerializerFlags.HUMAN_READABLE_ENUMS) !== 0;
  return verbose ? inputFor(flags, named) : compactView(inputFor(flags, named));
}

describe('the bit stream', () => {
  it('reads values least significant bit first and aligns before byte types', () => {
    const w = new BitWriter(1);
    w.bool(true);
    w.bits(5, 3);
    w.bits(0x1ffffff, 25);
    w.u16(0xbeef);
    w.bits(0xdeadbeef, 32);
    const bytes = w.toBuffer();
    assert.equal(bytes[0]! & 0x0f, 0b1011);
    const r = new BitReader(bytes);
    assert.equal(r.bool(), true);
    assert.equal(r.bits(3), 5);
    assert.equal(r.bits(25), 0x1ffffff);
    assert.equal(r.u16(), 0xbeef);
    assert.equal(r.pos, 48);
    assert.equal(r.bits(32), 0xdeadbeef);
    assert.equal(new BitReader(Buffer.of(0b111)).signedBits(3), -1);
    assert.equal(new BitReader(Buffer.of(0b011)).signedBits(3), 3);
  });
});

describe('the type dump', () => {
  it('loads versions 1 and 2 to the same classes and properties', () => {
    const v1 = loadTypeDump(kindsDumpV1);
    assert.equal(types.version, 2);
    assert.equal(v1.version, 1);
    for (const c of types.classes) {
      const other = v1.byName(c.name)!;
      assert.equal(other.hash, c.hash);
      assert.deepEqual(other.properties.map((p) => [p.name, p.hash, p.id, p.flags, p.dynamic, p.container]),
        c.properties.map((p) => [p.name, p.hash, p.id, p.flags, p.dynamic, p.container]));
    }
    const kinds = types.byName('Kinds')!;
    assert.equal(types.byHash(1), kinds);
    const e = kinds.byName.get('m_enum')!;
    assert.equal(e.isEnum, true);
    assert.equal(e.enumDefault, 'RED');
    assert.deepEqual([...e.enumOptions], [['RED', 0], ['GREEN', 1], ['BLUE', 2]]);
    assert.equal(kinds.byName.get('m_bits')!.isBits, true);
    assert.equal(kinds.byName.get('m_enumByType')!.isEnum, true);
    assert.deepEqual(kinds.properties.map((p) => p.id), [...kinds.properties.map((p) => p.id)].sort((a, b) => a - b));
  });

  it('names the class and property of a malformed entry', () => {
    const bad = (properties: unknown): unknown => ({ 'class Broken': { bases: [], hash: 9, properties } });
    assert.throws(() => loadTypeDump(bad({ m_x: { id: 0, flags: 0 } })), /"type".*class "class Broken", property "m_x"/);
    assert.throws(() => loadTypeDump(bad({ m_x: { type: 'int', id: -1, flags: 0 } })), /"id".*property "m_x"/);
    assert.throws(() => loadTypeDump(bad({ m_x: { type: 'int', id: 0, flags: 'x' } })), /"flags".*property "m_x"/);
    assert.throws(() => loadTypeDump(bad({ m_x: { type: 'int', id: 0, flags: 0, enum_options: { A: 'b' } } })), /enum option "A".*property "m_x"/);

    assert.throws(() => loadTypeDump({ version: 2, classes: { 5: { name: 'class A', hash: 6, properties: {} } } }), /disagree.*class "class A"/);
    assert.throws(() => loadTypeDump({ version: 3 }), { code: 'ERR_OP_TYPE_DUMP' });
  });

  it('loads ambiguous dumps with warnings: a class hash or property id used twice', () => {
    const clash = loadTypeDump({ 'class A': { hash: 1 }, 'class B': { hash: 1 } });
    assert.equal(clash.byHash(1)!.name, 'class A');
    assert.equal(clash.byName('class B')!.hash, 1);
    assert.match(clash.warnings[0]!, /class "class B": hash 1 is also used by "class A"/);
    const ids = loadTypeDump({ 'class C': { hash: 2, properties: { m_x: { type: 'int', id: 0, flags: 0 }, m_y: { type: 'int', id: 0, flags: 0 } } } });
    assert.deepEqual(ids.byName('class C')!.properties.map((p) => p.name), ['m_x', 'm_y']);
    assert.match(ids.warnings[0]!, /property "m_y": id 0 is also used by "m_x"/);
  });
});

describe('round trips of every value kind', () => {
  for (const verbose of [false, true]) {
    for (const flags of FLAG_SETS) {
      for (const manualCompression of [false, true]) {
        it(`${verbose ? 'verbose' : 'compact'} mode, flags ${flags}${manualCompression ? ', manual zlib wrapper' : ''}`, () => {
          const codec = new ObjectPropertyCodec(types, { verbose, flags, manualCompression });
          const bytes = codec.encode(inputFor(flags) as OpObject);
          const decoded = codec.decodeDetailed(bytes);
          assert.equal(decoded.flags, flags);
          assert.equal(decoded.compressed, (flags & SerializerFlags.WITH_COMPRESSION) !== 0);
          assert.deepEqual(decoded.object, expectedFor(flags, verbose));
          assert.deepEqual(codec.encode(decoded.object), bytes, 're-encoding the decoded object gives the same bytes');
        });
      }
    }
  }

  it('compact length prefixes make strings and lists shorter than u16/u32 prefixes', () => {
    const plain = new ObjectPropertyCodec(types).encode(kindsObject() as OpObject);
    const compact = new ObjectPropertyCodec(types, { flags: SerializerFlags.COMPACT_LENGTH_PREFIXES }).encode(kindsObject() as OpObject);
    assert.ok(compact.length < plain.length);
  });

  it('large compact prefixes (128 and more) take the 31-bit form and round-trip', () => {
    const codec = new ObjectPropertyCodec(types, { flags: SerializerFlags.COMPACT_LENGTH_PREFIXES });
    const input = { ...kindsObject(), m_string: 'x'.repeat(300), m_ints: Array.from({ length: 200 }, (_, i) => i) } as OpObject;
    const bytes = codec.encode(input);
    assert.deepEqual(codec.decode(bytes), compactView(input));
    assert.deepEqual(codec.encode(codec.decode(bytes)), bytes);
  });

  it('the compression toggle 0 keeps the raw object after the flags', () => {
    const codec = new ObjectPropertyCodec(types, { flags: SerializerFlags.STATEFUL_FLAGS | SerializerFlags.WITH_COMPRESSION });
    const raw = codec.encode(kindsObject() as OpObject, { compress: false });
    assert.equal(raw.readUInt32LE(0), 9);
    assert.equal(raw[4], 0);
    const decoded = codec.decodeDetailed(raw);
    assert.equal(decoded.compressed, false);
    assert.deepEqual(codec.encode(decoded.object, { compress: decoded.compressed }), raw);
  });

  it('enums given as names encode like their numbers, and BITS names join with |', () => {
    const codec = new ObjectPropertyCodec(types);
    assert.deepEqual(codec.encode(kindsObject(true) as OpObject), codec.encode(kindsObject(false) as OpObject));
    const named = new ObjectPropertyCodec(types, { flags: SerializerFlags.HUMAN_READABLE_ENUMS });
    const decoded = named.decode(named.encode(kindsObject(false) as OpObject));
    assert.equal(decoded['m_bits'], 'FLAG_A|FLAG_C|FLAG_D');
    assert.equal(decoded['m_enum'], 'BLUE');
  });

  it('the enumNames option decodes numeric enums as names that encode back to the same bytes', () => {
    const codec = new ObjectPropertyCodec(types, { enumNames: true });
    const bytes = codec.encode(kindsObject() as OpObject);
    const decoded = codec.decode(bytes);
    assert.equal(decoded['m_enum'], 'BLUE');
    assert.equal(decoded['m_bits'], 'FLAG_A|FLAG_C|FLAG_D');
    assert.deepEqual(decoded['m_enums'], ['RED', 'GREEN']);
    assert.deepEqual(codec.encode(decoded), bytes);
    const odd = codec.decode(codec.encode({ ...kindsObject(), m_enum: 7, m_bits: 8 } as OpObject));
    assert.equal(odd['m_enum'], 7, 'a value no option names stays a number');
    assert.equal(odd['m_bits'], 8);
  });

  it('a delta-encoded property costs one presence bit when absent, and flag bit 4 forbids absence', () => {
    const codec = new ObjectPropertyCodec(types);
    const input = kindsObject() as OpObject;
    const decoded = codec.decode(codec.encode(input));
    assert.equal('m_deltaAbsent' in decoded, false);
    assert.equal(decoded['m_deltaPresent'], 99);
    const strict = new ObjectPropertyCodec(types, { flags: SerializerFlags.FORBID_DELTA_ENCODE });
    assert.throws(() => strict.encode(input), { code: 'ERR_OP_MISSING_DELTA' });
    assert.throws(() => strict.decode(codec.encode(input)), { code: 'ERR_OP_MISSING_DELTA' });
  });

  it('a property mask selects what compact mode writes', () => {
    const all = new ObjectPropertyCodec(types, { propertyMask: 0 });
    const decoded = all.decode(all.encode(kindsObject() as OpObject));
    assert.equal('m_saveOnly' in decoded, true);
    assert.equal('m_deprecated' in decoded, false, 'DEPRECATED is never written');
  });

  it('the CoreObject header: ids 0 carry the class hash, other ids a template resolved by the caller', () => {
    const codec = new ObjectPropertyCodec(types, { coreObject: true });
    const input = kindsObject() as OpObject;
    const bytes = codec.encode(input);
    assert.deepEqual([...bytes.subarray(0, 6)], [0, 0, 1, 0, 0, 0]);
    const decoded = codec.decode(bytes);
    assert.deepEqual(decoded.$core, { objectId: 0, namespaceId: 0, templateId: 1 });
    assert.deepEqual(codec.encode(decoded), bytes);

    const withTemplate = new ObjectPropertyCodec(types, {
      coreObject: true, resolveTemplate: (h) => (h.templateId === 77001 ? 'class Kinds' : undefined),
    });
    const templated = withTemplate.encode({ ...input, $core: { objectId: 3, namespaceId: 4, templateId: 77001 } });
    assert.deepEqual([...templated.subarray(0, 6)], [3, 4, 0xc9, 0x2c, 0x01, 0x00]);
    const back = withTemplate.decode(templated);
    assert.deepEqual(back.$core, { objectId: 3, namespaceId: 4, templateId: 77001 });
    assert.deepEqual(withTemplate.encode(back), templated);
    assert.throws(() => codec.decode(templated), { code: 'ERR_OP_UNKNOWN_CLASS' });
  });

  it('BINd files: magic, flags word, verbose object', () => {
    for (const flags of [0, 7, 8 | 1, 2]) {
      const bytes = encodeBind(types, { flags, object: kindsObject() as OpObject });
      assert.equal(bytes.subarray(0, 4).toString('latin1'), 'BINd');
      assert.equal(bytes.readUInt32LE(4), flags);
      const file = decodeBind(types, bytes);
      assert.equal(file.flags, flags);
      assert.deepEqual(file.object, kindsObject((flags & 4) !== 0));
      assert.deepEqual(encodeBind(types, file), bytes);
    }
    assert.throws(() => decodeBind(types, Buffer.from('BIN')), { code: 'ERR_OP_FRAMING' });
  });

  it('verbose mode skips a property hash the class does not know, by its size', () => {
    const codec = new ObjectPropertyCodec(types, { verbose: true });
    const input = { $class: 'class KindsChild', m_value: 5, m_label: 'x' } as OpObject;
    const bytes = codec.encode(input);
    // Corrupt the first record's hash: the record is skipped, the next one read.
    const firstHash = bytes.indexOf(Buffer.from(types.byName('class KindsChild')!.byName.get('m_value')!.hash.toString(16).padStart(8, '0'), 'hex').reverse());
    assert.ok(firstHash > 0);
    bytes.writeUInt32LE(0x12345678, firstHash);
    assert.deepEqual(codec.decode(bytes), { $class: 'class KindsChild', m_label: 'x' });
  });

  it('encoding rejects values that do not fit their property, naming it', () => {
    const codec = new ObjectPropertyCodec(types);
    const bad = (patch: Record<string, unknown>): OpObject => ({ ...kindsObject(), ...patch }) as OpObject;
    assert.throws(() => codec.encode(bad({ m_uchar: 256 })), /class Kinds\.m_uchar: expected an integer in 0\.\.255/);
    assert.throws(() => codec.encode(bad({ m_bool: 1 })), { code: 'ERR_OP_ENCODE_VALUE' });
    assert.throws(() => codec.encode(bad({ m_gid: -1n })), /does not fit 64 bits/);
    assert.throws(() => codec.encode(bad({ m_enum: 'PURPLE' })), { code: 'ERR_OP_ENUM' });
    assert.throws(() => codec.encode(bad({ m_child: { $class: 'class Nope' } })), { code: 'ERR_OP_UNKNOWN_CLASS' });
    assert.throws(() => codec.encode(bad({ m_ints: 5 })), /expected an array/);
    assert.throws(() => codec.encode(bad({ m_int: undefined })), /missing/);
    assert.throws(() => new ObjectPropertyCodec(types, { verbose: true }).encode(bad({ m_typo: 1 })), { code: 'ERR_OP_UNKNOWN_PROPERTY' });
  });

  it('JSON-friendly forms (decimal strings for 64-bit, {$hex} for bytes, "NaN") encode like the native values', () => {
    const codec = new ObjectPropertyCodec(types);
    const native = codec.encode(kindsObject() as OpObject);
    const jsonish = codec.encode({ ...kindsObject(), m_u64: '18446744073709551615', m_gid: String(0x0123456789abcdefn), m_bytes: { $hex: 'fffe0080' } } as OpObject);
    assert.deepEqual(jsonish, native);
    const nan = codec.decode(codec.encode({ ...kindsObject(), m_double: 'NaN' } as OpObject));
    assert.ok(Number.isNaN(nan['m_double']));
  });
});

describe('the JSON form', () => {
  it('survives JSON text and encodes back to the same bytes in both modes', () => {
    for (const verbose of [false, true]) {
      const codec = new ObjectPropertyCodec(types, { verbose, flags: 1 });
      const input = { ...kindsObject(), m_double: NaN, m_float: -Infinity } as OpObject;
      const bytes = codec.encode(input);
      const text = JSON.stringify(toJsonValue(codec.decode(bytes)));
      assert.deepEqual(codec.encode(JSON.parse(text) as OpObject), bytes);
    }
  });
});
