// The character blob codec: the "IMCH" stand-in of messages.md and the
// ObjectProperty-backed implementation, behind one interface.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ImchCharacterCodec, ObjectPropertyCharacterCodec, ObjectPropertyCodec, PropertyFlags, loadTypeDump, type CharacterBlobCodec,
} from '../../src/objectproperty/index.js';

const str = (s: string | Buffer): Buffer => {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  const len = Buffer.alloc(2);
  len.writeUInt16LE(b.length);
  return Buffer.concat([len, b]);
};
const gid = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
};
const imch = (version = 1): Buffer => Buffer.concat([Buffer.from('IMCH'), Buffer.from([version, 0])]);

describe('the IMCH stand-in', () => {
  const codec: CharacterBlobCodec = new ImchCharacterCodec();

  it('encodes CHARACTERINFO as IMCH, version 1, GID id, STR name, zone, location and creation data', () => {
    const bytes = codec.encodeInfo({ id: 0x1122334455667788n, name: 'Ann', zone: 'WizardCity', location: 'Start', creationData: Buffer.from([1, 2]) });
    assert.deepEqual(bytes, Buffer.concat([imch(), gid(0x1122334455667788n), str('Ann'), str('WizardCity'), str('Start'), str(Buffer.from([1, 2]))]));
  });

  it('reads the name from a stand-in CreationInfo and ignores the character id', () => {
    const blob = Buffer.concat([imch(), gid(99n), str('Ravenwood Bob'), str(''), str(''), str('')]);
    assert.equal(codec.decodeCreation(blob).name, 'Ravenwood Bob');
    const info = codec.encodeInfo({ id: 5n, name: 'Ann', zone: 'Z', location: 'L', creationData: blob });
    assert.equal(codec.decodeCreation(info).name, 'Ann');
  });

  it('keeps other bytes opaque: no name', () => {
    assert.deepEqual(codec.decodeCreation(Buffer.from('hello world')), {});
    assert.deepEqual(codec.decodeCreation(Buffer.alloc(0)), {});
    assert.deepEqual(codec.decodeCreation(Buffer.concat([imch(2), gid(1n)])), {});
  });

  it('a malformed stand-in is a typed error', () => {
    const bad = (b: Buffer): void => assert.throws(() => codec.decodeCreation(b), { code: 'ERR_OP_CHARACTER_BLOB' });
    bad(Buffer.concat([imch(), gid(1n).subarray(0, 5)]));
    bad(Buffer.concat([imch(), gid(1n), Buffer.from([0xff, 0xff, 0x41])]));
    bad(Buffer.concat([imch(), gid(1n), str(''), str(''), str(''), str('')]));
    bad(Buffer.concat([imch(), gid(1n), str('x'.repeat(33)), str(''), str(''), str('')]));
    bad(Buffer.concat([imch(), gid(1n), str('Ann'), str(''), str(''), str(''), Buffer.from([0])]));
    bad(Buffer.concat([imch(), gid(1n), str(Buffer.from([0xc3, 0x28])), str(''), str(''), str('')]));
    assert.equal(codec.decodeCreation(Buffer.concat([imch(), gid(1n), str('é'.repeat(32)), str(''), str(''), str('')])).name, 'é'.repeat(32));
  });
});

describe('the ObjectProperty character codec', () => {
  const NET = 0x18;
  const types = loadTypeDump({
    'class CreationInfo': {
      hash: 0x43524541,
      properties: {
        m_name: { type: 'std::string', id: 0, flags: NET },
        m_school: { type: 'enum School', id: 1, flags: NET | PropertyFlags.ENUM, enum_options: { FIRE: 0, ICE: 1 } },
        m_appearance: { type: 'unsigned int', id: 2, flags: NET, dynamic: true },
      },
    },
    'class CharacterInfo': {
      hash: 0x43484152,
      properties: {
        m_globalID: { type: 'gid', id: 0, flags: NET },
        m_name: { type: 'std::string', id: 1, flags: NET },
        m_school: { type: 'enum School', id: 2, flags: NET | PropertyFlags.ENUM, enum_options: { FIRE: 0, ICE: 1 } },
        m_appearance: { type: 'unsigned int', id: 3, flags: NET, dynamic: true },
        m_zoneName: { type: 'std::string', id: 4, flags: NET },
        m_location: { type: 'std::string', id: 5, flags: NET },
        m_level: { type: 'int', id: 6, flags: NET },
      },
    },
  });
  const blobs = new ObjectPropertyCodec(types);
  const codec: CharacterBlobCodec = new ObjectPropertyCharacterCodec({ types, className: 'class CharacterInfo' });

  it('decodes a CreationInfo encoded by the codec, name and fields', () => {
    const creation = blobs.encode({ $class: 'class CreationInfo', m_name: 'Cara Fire', m_school: 1, m_appearance: [4, 5, 6] });
    const out = codec.decodeCreation(creation);
    assert.equal(out.name, 'Cara Fire');
    assert.deepEqual(out.fields, { $class: 'class CreationInfo', m_name: 'Cara Fire', m_school: 1, m_appearance: [4, 5, 6] });
  });

  it('builds CHARACTERINFO from the stored character and its creation fields', () => {
    const creation = blobs.encode({ $class: 'class CreationInfo', m_name: 'Cara Fire', m_school: 1, m_appearance: [4, 5, 6] });
    const info = codec.encodeInfo({ id: 0xabcdefn, name: 'Cara Fire', zone: 'WizardCity/WC_Hub', location: 'Start', creationData: creation });
    assert.deepEqual(blobs.decode(info), {
      $class: 'class CharacterInfo', m_globalID: 0xabcdefn, m_name: 'Cara Fire', m_school: 1, m_appearance: [4, 5, 6],
      m_zoneName: 'WizardCity/WC_Hub', m_location: 'Start', m_level: 0,
    });
    const fromOpaque = blobs.decode(codec.encodeInfo({ id: 1n, name: 'N', zone: 'Z', location: 'L', creationData: Buffer.from('junk') }));
    assert.equal(fromOpaque['m_name'], 'N');
    assert.deepEqual(fromOpaque['m_appearance'], []);
  });

  it('a CreationInfo that does not decode, or carries a bad name, is a typed error', () => {
    assert.throws(() => codec.decodeCreation(Buffer.from('41455243ffff', 'hex')), { code: 'ERR_OP_CHARACTER_BLOB' });
    assert.throws(() => codec.decodeCreation(Buffer.from('deadbeef', 'hex')), (e: Error & { code: string; cause: { code: string } }) =>
      e.code === 'ERR_OP_CHARACTER_BLOB' && e.cause.code === 'ERR_OP_UNKNOWN_CLASS');
    const longName = blobs.encode({ $class: 'class CreationInfo', m_name: 'x'.repeat(40), m_school: 0, m_appearance: [] });
    assert.throws(() => codec.decodeCreation(longName), { code: 'ERR_OP_CHARACTER_BLOB' });
  });

  it('refuses a class the dump does not have', () => {
    assert.throws(() => new ObjectPropertyCharacterCodec({ types, className: 'class Nope' }), { code: 'ERR_OP_UNKNOWN_CLASS' });
  });
});
