// Mutation fuzzing: valid blobs of every framing are bit-flipped, overwritten,
// truncated, spliced and extended; decoding must either succeed or throw an
// ObjectPropertyError, and whatever decodes must re-encode and decode the same.
// IMLIGHT_FUZZ_COUNT sets the number of blobs (10,000 by default;
// `npm run test:fuzz:objectproperty` runs 100,000).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ObjectPropertyCodec, ObjectPropertyError, SerializerFlags, decodeBind, encodeBind, loadTypeDump, type OpObject,
} from '../../src/objectproperty/index.js';
import { benchDump, benchObject, kindsDump, kindsObject } from './fixtures.js';

const COUNT = Number(process.env['IMLIGHT_FUZZ_COUNT'] ?? 10_000);
const SEED = Number(process.env['IMLIGHT_FUZZ_SEED'] ?? 0x1f2e3d4c);

/** xorshift32: deterministic, so a failure names its seed and index. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 0x100000000;
  };
}

interface Target {
  name: string;
  decode: (b: Buffer) => unknown;
  encode: (v: unknown) => Buffer;
  seeds: Buffer[];
}

function targets(): Target[] {
  const kinds = loadTypeDump(kindsDump);
  const bench = loadTypeDump(benchDump);
  const out: Target[] = [];
  const add = (name: string, codec: ObjectPropertyCodec, objects: OpObject[]): void => {
    out.push({
      name,
      decode: (b) => codec.decodeDetailed(b),
      encode: (v) => {
        const d = v as { object: OpObject; flags: number; compressed: boolean };
        return codec.encode(d.object, { flags: d.flags, compress: d.compressed });
      },
      seeds: objects.map((o) => codec.encode(o)),
    });
  };
  const kindsObjects = [kindsObject() as OpObject, { $class: 'class KindsChild', m_value: 3, m_label: 'abc' } as OpObject];
  add('compact', new ObjectPropertyCodec(kinds), kindsObjects);
  add('compact, stateful flags 3', new ObjectPropertyCodec(kinds, { flags: 3 }), kindsObjects);
  add('compact, enum strings + prefixes', new ObjectPropertyCodec(kinds, { flags: 6 }), kindsObjects);
  add('verbose', new ObjectPropertyCodec(kinds, { verbose: true, flags: 1 }), kindsObjects);
  add('compact, enums decoded as names', new ObjectPropertyCodec(kinds, { enumNames: true }), kindsObjects);
  add('compressed header', new ObjectPropertyCodec(kinds, { flags: SerializerFlags.WITH_COMPRESSION }), kindsObjects);
  add('manual zlib', new ObjectPropertyCodec(bench, { manualCompression: true }), [benchObject() as OpObject]);
  add('core object', new ObjectPropertyCodec(bench, { coreObject: true }), [benchObject() as OpObject]);
  out.push({
    name: 'BINd',
    decode: (b) => decodeBind(kinds, b),
    encode: (v) => encodeBind(kinds, v as { flags: number; object: OpObject }),
    seeds: [encodeBind(kinds, { flags: 0, object: kindsObject() as OpObject }), encodeBind(kinds, { flags: 2, object: kindsObject() as OpObject })],
  });
  return out;
}

function mutate(seed: Buffer, random: () => number): Buffer {
  const b = Buffer.from(seed);
  const pick = (n: number): number => Math.floor(random() * n);
  const rounds = 1 + pick(4);
  let out = b;
  for (let r = 0; r < rounds; r++) {
    switch (pick(7)) {
      case 0: { // flip bits
        if (out.length === 0) break;
        const n = 1 + pick(8);
        for (let i = 0; i < n; i++) { const at = pick(out.length); out[at] = out[at]! ^ (1 << pick(8)); }
        break;
      }
      case 1: { // interesting bytes
        if (out.length === 0) break;
        const at = pick(out.length);
        out[at] = [0x00, 0xff, 0x7f, 0x80, 0x01][pick(5)]!;
        break;
      }
      case 2: { // interesting u32 (lengths, sizes, hashes)
        if (out.length < 4) break;
        const at = pick(out.length - 3);
        out.writeUInt32LE([0, 0xffffffff, 0x7fffffff, 0x80000000, 1, 32, 64, out.length * 8][pick(8)]! >>> 0, at);
        break;
      }
      case 3: out = out.subarray(0, pick(out.length + 1)); break;
      case 4: { // splice a slice elsewhere
        if (out.length < 2) break;
        const from = pick(out.length);
        const len = 1 + pick(Math.min(32, out.length - from));
        const at = pick(out.length);
        out = Buffer.concat([out.subarray(0, at), out.subarray(from, from + len), out.subarray(at)]);
        break;
      }
      case 5: out = Buffer.concat([out, Buffer.from(Array.from({ length: 1 + pick(16) }, () => pick(256)))]); break;
      default: { // delete a range
        if (out.length < 2) break;
        const at = pick(out.length);
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + pick(8))]);
      }
    }
  }
  return out;
}

describe('fuzzing the decoder', () => {
  it(`${COUNT} mutated blobs decode or fail with typed errors (seed ${SEED})`, () => {
    const random = rng(SEED);
    const all = targets();
    let decoded = 0;
    let rejected = 0;
    for (let i = 0; i < COUNT; i++) {
      const t = all[i % all.length]!;
      const blob = mutate(t.seeds[Math.floor(random() * t.seeds.length)]!, random);
      let value: unknown;
      try {
        value = t.decode(blob);
      } catch (error) {
        if (!(error instanceof ObjectPropertyError)) {
          assert.fail(`${t.name}, blob #${i} (${blob.toString('hex')}): ${String((error as Error)?.stack ?? error)}`);
        }
        rejected++;
        continue;
      }
      decoded++;
      // Whatever decodes is a valid object: it re-encodes, and that decodes to the same value.
      const again = t.encode(value);
      assert.deepEqual(t.decode(again), value, `${t.name}, blob #${i} does not survive a re-encode`);
    }
    assert.equal(decoded + rejected, COUNT);
    assert.ok(rejected > 0 && decoded > 0, `both outcomes occur (decoded ${decoded}, rejected ${rejected})`);
  });
});
