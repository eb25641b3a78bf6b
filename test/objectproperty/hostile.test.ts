// Hostile blobs: truncated data, huge lengths and counts, deep nesting, unknown
// hashes, lying sizes and zlib bombs all fail with typed errors, before any
// large allocation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import {
  BitWriter, ObjectPropertyCodec, ObjectPropertyError, SerializerFlags, decodeBind, loadTypeDump, type OpObject,
} from '../../src/objectproperty/index.js';
import { kindsDump, kindsObject } from './fixtures.js';

const types = loadTypeDump(kindsDump);
const nodeTypes = loadTypeDump({
  'class Node': { hash: 0x4e4f4445, properties: { m_next: { type: 'class SharedPointer<class Node>', id: 0, flags: 0x18 } } },
  'class Strings': {
    hash: 0x53545253,
    properties: {
      m_text: { type: 'std::string', id: 0, flags: 0x18 },
      m_wide: { type: 'std::wstring', id: 1, flags: 0x18 },
      m_list: { type: 'bool', id: 2, flags: 0x18, dynamic: true },
      m_objects: { type: 'class SharedPointer<class Node>', id: 3, flags: 0x18, dynamic: true },
    },
  },
});

function assertTyped(fn: () => unknown, code?: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ObjectPropertyError, `expected an ObjectPropertyError, got ${String(error)}`);
    if (code !== undefined) assert.equal(error.code, code);
    return true;
  });
}

describe('hostile blobs', () => {
  it('every truncation of a valid blob fails with a typed error', () => {
    for (const [verbose, flags] of [[false, 0], [false, 3], [true, 1], [false, 9]] as const) {
      const codec = new ObjectPropertyCodec(types, { verbose, flags });
      const bytes = codec.encode(kindsObject() as OpObject);
      for (let n = 0; n < bytes.length; n++) assertTyped(() => codec.decode(bytes.subarray(0, n)));
    }
  });

  it('a string length beyond the data fails without allocating it', () => {
    const codec = new ObjectPropertyCodec(nodeTypes, { flags: SerializerFlags.COMPACT_LENGTH_PREFIXES });
    const w = new BitWriter();
    w.u32(0x53545253);
    w.bool(true);
    w.bits(0x7fffffff, 31);
    assertTyped(() => codec.decode(w.toBuffer()), 'ERR_OP_TRUNCATED');
    const plain = new ObjectPropertyCodec(nodeTypes);
    assertTyped(() => plain.decode(Buffer.from('53525453ffff', 'hex')), 'ERR_OP_TRUNCATED');
    assertTyped(() => plain.decode(Buffer.from('53525453 0000 ffff 00'.replace(/ /g, ''), 'hex')), 'ERR_OP_TRUNCATED');
  });

  it('a giant list count is bounded by the bits left, before any element is read', () => {
    const codec = new ObjectPropertyCodec(nodeTypes);
    const w = new BitWriter();
    w.u32(0x53545253);
    w.u16(0);
    w.u16(0);
    w.u32(0xffffffff);
    w.bytes(Buffer.alloc(64));
    const before = process.memoryUsage().arrayBuffers;
    assertTyped(() => codec.decode(w.toBuffer()), 'ERR_OP_LENGTH');
    assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024);
    // Objects take at least 32 bits each: 100 of them cannot fit in the 320 bits left.
    const objects = new BitWriter();
    objects.u32(0x53545253);
    objects.u16(0);
    objects.u16(0);
    objects.u32(0);
    objects.u32(100);
    objects.bytes(Buffer.alloc(40));
    assertTyped(() => codec.decode(objects.toBuffer()), 'ERR_OP_LENGTH');
  });

  it('nesting deeper than the limit fails, even a million levels deep', () => {
    const codec = new ObjectPropertyCodec(nodeTypes, { maxDepth: 64 });
    const chain = (depth: number): Buffer => {
      const b = Buffer.alloc(4 * (depth + 1));
      for (let i = 0; i < depth; i++) b.writeUInt32LE(0x4e4f4445, i * 4);
      return b;
    };
    assert.equal(codec.decode(chain(64)).$class, 'class Node');
    assertTyped(() => codec.decode(chain(65)), 'ERR_OP_DEPTH');
    assertTyped(() => codec.decode(chain(1_000_000)), 'ERR_OP_DEPTH');
    let deep: OpObject = { $class: 'class Node', m_next: null };
    for (let i = 0; i < 100; i++) deep = { $class: 'class Node', m_next: deep };
    assertTyped(() => codec.encode(deep), 'ERR_OP_DEPTH');
  });

  it('unknown class hashes fail at the root and inside objects', () => {
    const codec = new ObjectPropertyCodec(nodeTypes);
    assertTyped(() => codec.decode(Buffer.from('78563412', 'hex')), 'ERR_OP_UNKNOWN_CLASS');
    assertTyped(() => codec.decode(Buffer.from('454f444e78563412', 'hex')), 'ERR_OP_UNKNOWN_CLASS');
    assertTyped(() => codec.decode(Buffer.from('00000000', 'hex')), 'ERR_OP_FRAMING');
  });

  it('verbose sizes that lie fail with typed errors', () => {
    const codec = new ObjectPropertyCodec(types, { verbose: true });
    const good = codec.encode({ $class: 'class KindsChild', m_value: 1, m_label: 'ab' } as OpObject);
    const objectTooBig = Buffer.from(good);
    objectTooBig.writeUInt32LE(0x7fffffff, 4);
    assertTyped(() => codec.decode(objectTooBig), 'ERR_OP_LENGTH');
    const objectTooSmall = Buffer.from(good);
    objectTooSmall.writeUInt32LE(8, 4);
    assertTyped(() => codec.decode(objectTooSmall), 'ERR_OP_SIZE_MISMATCH');
    const recordWrong = Buffer.from(good);
    recordWrong.writeUInt32LE(recordWrong.readUInt32LE(8) + 8, 8);
    assertTyped(() => codec.decode(recordWrong));
    const recordZero = Buffer.from(good);
    recordZero.writeUInt32LE(0, 8);
    assertTyped(() => codec.decode(recordZero), 'ERR_OP_SIZE_MISMATCH');
  });

  it('zlib streams that claim too much, inflate to a different size or are corrupt fail', () => {
    const codec = new ObjectPropertyCodec(nodeTypes, { manualCompression: true, maxInflatedBytes: 1024 * 1024 });
    const bomb = Buffer.concat([Buffer.from('00000040', 'hex'), deflateSync(Buffer.alloc(1 << 20))]);
    assertTyped(() => codec.decode(bomb), 'ERR_OP_COMPRESSION');
    const liar = Buffer.concat([Buffer.from('08000000', 'hex'), deflateSync(Buffer.alloc(1 << 20))]);
    assertTyped(() => codec.decode(liar), 'ERR_OP_COMPRESSION');
    assertTyped(() => codec.decode(Buffer.from('0800000078da0000', 'hex')), 'ERR_OP_COMPRESSION');
    assertTyped(() => codec.decode(Buffer.from('08', 'hex')), 'ERR_OP_TRUNCATED');
    const flagged = new ObjectPropertyCodec(nodeTypes, { flags: SerializerFlags.STATEFUL_FLAGS });
    assertTyped(() => flagged.decode(Buffer.from('0800000001ffffffff00', 'hex')), 'ERR_OP_COMPRESSION');
  });

  it('a BINd file with garbage after the magic fails with a typed error', () => {
    assertTyped(() => decodeBind(types, Buffer.from('BINd\x01\x00\x00\x00\xff\xff\xff\xff', 'latin1')));
    assertTyped(() => decodeBind(types, Buffer.from('BINd', 'latin1')), 'ERR_OP_TRUNCATED');
  });

  it('enum names outside the options fail when enums are strings', () => {
    const named = new ObjectPropertyCodec(types, { flags: SerializerFlags.HUMAN_READABLE_ENUMS });
    const bytes = named.encode(kindsObject(true) as OpObject);
    const at = bytes.indexOf(Buffer.from('BLUE'));
    bytes.write('BLUX', at, 'latin1');
    assertTyped(() => named.decode(bytes), 'ERR_OP_ENUM');
  });
});
