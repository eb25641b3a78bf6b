import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeDml, DmlEncodeError, DmlHeaderError, DmlTruncatedError, DmlUnknownMessageError, DmlUnusableRecordError, dmlLength,
  encodeDml, encodeDmlFrame, encodeDmlFrameOf, encodeDmlFrames, encodeDmlInto, EXTENDEDBASE, FrameReader, GAME, kind, LOGIN, MessageRegistry,
  PATCH, UnknownKindError, visitDml, type ElementType, type MessageKind, type RecordDef,
} from '../../src/protocol/index.js';

const registry = MessageRegistry.defaults();

function okData(payload: Buffer) {
  return decodeDml(registry, payload).map((r) => {
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    return r.data;
  });
}

test('MSG_CLIENTMOVE encodes to the exact frame of the spec and decodes back', () => {
  const frame = encodeDmlFrame(registry, GAME.MSG_CLIENTMOVE, { LocationX: 1, LocationY: 2, LocationZ: 3, Direction: 4, ZoneCounter: 0 });
  assert.equal(frame.toString('hex'), '0df011000000000005240c00010002000300040000');
  const [f] = new FrameReader().push(frame);
  assert.deepEqual(okData(f!.payload), [{ LocationX: 1, LocationY: 2, LocationZ: 3, Direction: 4, ZoneCounter: 0 }]);
});

test('the PATCH V2 request encodes to the exact bytes of the spec', () => {
  const frame = encodeDmlFrame(registry, PATCH.MSG_LATEST_FILE_LIST_V2, {
    LatestVersion: 0, ListFileName: '', ListFileType: 0, ListFileTime: 0, ListFileSize: 0, ListFileCRC: 0,
    ListFileURL: '', URLPrefix: '', URLSuffix: '', Locale: Buffer.alloc(0),
  });
  assert.equal(frame.toString('hex'), `0df0270000000000080222${'00'.repeat(31)}00`);
  const [f] = new FrameReader().push(frame);
  const [result] = decodeDml(registry, f!.payload);
  assert.ok(result?.ok);
  assert.equal(result.record.name, 'MSG_LATEST_FILE_LIST_V2');
  assert.equal((result.data['Locale'] as Buffer).length, 0);
});

const EDGES: Record<ElementType, [unknown, unknown, unknown]> = {
  BYT: [-128, 127, 0],
  UBYT: [0, 255, 1],
  BOOL: [false, true, true],
  SHRT: [-32768, 32767, -1],
  USHRT: [0, 65535, 1],
  INT: [-(2 ** 31), 2 ** 31 - 1, -1],
  UINT: [0, 2 ** 32 - 1, 1],
  FLT: [-3.4028234663852886e38, 1.5, Number.NaN],
  DBL: [Number.MAX_VALUE, -0, Number.MIN_VALUE],
  GID: [0n, 2n ** 64n - 1n, 0x0123456789abcdefn],
  STR: [Buffer.alloc(0), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('zoë 漢字', 'utf8')],
  WSTR: ['', 'Zoë 漢字 🐉', '\ud800 lone surrogate'],
};

function sample(record: RecordDef, variant: 0 | 1 | 2): Record<string, unknown> {
  return Object.fromEntries(record.fields.map((f) => [f.name, EDGES[f.type][variant]]));
}

test('every shipped record round-trips with edge values: empty and binary strings, extreme integers, non-ASCII WSTR', () => {
  assert.ok(registry.records.length >= 57);
  let checked = 0;
  for (const record of registry.records) {
    const k = kind<Record<string, unknown>>(record.protocol, record.name);
    for (const variant of [0, 1, 2] as const) {
      const data = sample(record, variant);
      const bytes = encodeDml(registry, k, data);
      assert.equal(bytes[0], record.serviceId);
      assert.equal(bytes[1], record.order);
      assert.equal(bytes.readUInt16LE(2), bytes.length);
      assert.equal(dmlLength(registry, k, data), bytes.length);
      const results = decodeDml(registry, bytes);
      assert.equal(results.length, 1);
      const result = results[0]!;
      assert.ok(result.ok, `${record.protocol}.${record.name}: ${result.ok ? '' : result.error.message}`);
      assert.equal(result.record, registry.record(k));
      assert.deepEqual(result.data, data, `${record.protocol}.${record.name} variant ${variant}`);
      checked++;
    }
  }
  assert.equal(checked, registry.records.length * 3);
});

test('WSTR travels as UTF-16 code units after a unit count', () => {
  const bytes = encodeDml(registry, EXTENDEDBASE.MSG_SERVERMESSAGE, { Modal: 1, Message: 'é🐉' });
  assert.equal(bytes.subarray(4).toString('hex'), '01' + '0300' + 'e900' + '3dd8' + '09dc');
});

test('STR accepts a string as UTF-8 and always decodes to a view of the payload', () => {
  const bytes = encodeDml(registry, LOGIN.MSG_SELECTCHARACTER, { CharID: 42n, ServerName: 'Ünïcode' });
  const [r] = decodeDml(registry, bytes);
  assert.ok(r?.ok);
  const name = r.data['ServerName'] as Buffer;
  assert.equal(name.toString('utf8'), 'Ünïcode');
  assert.equal(name.buffer, bytes.buffer);
  assert.equal(r.data['CharID'], 42n);
});

test('several messages in one frame decode in order, and an unknown one between them is reported, not fatal', () => {
  const frame = encodeDmlFrameOf(registry, [
    { kind: GAME.MSG_CLIENTMOVESTATE, data: { NewState: -1 } },
    { kind: GAME.MSG_SERVERSHUTDOWN, data: { Message: 7 } },
  ]);
  const [f] = new FrameReader().push(frame);
  const unknown = Buffer.from([5, 3, 6, 0, 0xaa, 0xbb]);
  const payload = Buffer.concat([f!.payload.subarray(0, 5), unknown, Buffer.from([99, 1, 4, 0]), f!.payload.subarray(5)]);
  const results = decodeDml(registry, payload);
  assert.equal(results.length, 4);
  assert.deepEqual(results[0]!.ok && results[0]!.data, { NewState: -1 });
  assert.ok(!results[1]!.ok && results[1]!.error instanceof DmlUnknownMessageError && results[1]!.error.order === 3);
  assert.ok(!results[2]!.ok && results[2]!.error instanceof DmlUnknownMessageError && results[2]!.error.serviceId === 99);
  assert.deepEqual(results[3]!.ok && results[3]!.data, { Message: 7 });
});

test('encodeDmlFrames writes one frame per message, back to back, each equal to encodeDmlFrame', () => {
  const messages = [
    { kind: GAME.MSG_CLIENTMOVESTATE, data: { NewState: -1 } },
    { kind: GAME.MSG_SERVERSHUTDOWN, data: { Message: 7 } },
  ];
  const frames = encodeDmlFrames(registry, messages);
  assert.deepEqual(frames, Buffer.concat(messages.map((m) => encodeDmlFrame(registry, m.kind as MessageKind<object>, m.data as never))));
  const read = new FrameReader().push(frames);
  assert.equal(read.length, 2);
  assert.deepEqual(read.map((f) => decodeDml(registry, f.payload).length), [1, 1]);
  assert.equal(encodeDmlFrames(registry, []).length, 0);
});

test('a message longer than its record (newer client) decodes with the extra bytes ignored', () => {
  const bytes = encodeDml(registry, LOGIN.MSG_USER_ADMIT_IND, { Status: -5, PositionInQueue: 9 });
  const longer = Buffer.concat([bytes, Buffer.from('0500414243444500', 'hex')]);
  longer.writeUInt16LE(longer.length, 2);
  const next = encodeDml(registry, LOGIN.MSG_LOGINSERVERSHUTDOWN, { Message: 3 });
  assert.deepEqual(okData(Buffer.concat([longer, next])), [{ Status: -5, PositionInQueue: 9 }, { Message: 3 }]);
});

test('a message shorter than its record fails alone, naming the field that did not fit', () => {
  const full = encodeDml(registry, LOGIN.MSG_SELECTCHARACTER, { CharID: 1n, ServerName: 'abcdef' });
  for (let cut = 4; cut < full.length; cut++) {
    const short = Buffer.from(full.subarray(0, cut));
    short.writeUInt16LE(cut, 2);
    const next = encodeDml(registry, LOGIN.MSG_LOGINSERVERSHUTDOWN, { Message: 3 });
    const [first, second] = decodeDml(registry, Buffer.concat([short, next]));
    assert.ok(first && !first.ok && first.error instanceof DmlTruncatedError, `cut ${cut}`);
    assert.equal(first.error.code, 'ERR_DML_TRUNCATED');
    assert.equal((first.error as DmlTruncatedError).field, cut < 12 ? 'CharID' : 'ServerName');
    assert.ok(second?.ok);
  }
});

test('broken headers stop the frame with a typed error after the messages before them', () => {
  const good = encodeDml(registry, GAME.MSG_SERVER_ERROR, { Error: 1 });
  const cases: [Buffer, string][] = [
    [Buffer.concat([good, Buffer.from([5, 223])]), 'trailing bytes'],
    [Buffer.concat([good, Buffer.from([5, 223, 3, 0])]), 'shorter than the header'],
    [Buffer.concat([good, Buffer.from([5, 223, 0xff, 0xff, 0, 0])]), 'exceeds'],
  ];
  for (const [payload, text] of cases) {
    const results = decodeDml(registry, payload);
    assert.equal(results.length, 2);
    assert.ok(results[0]!.ok);
    assert.ok(!results[1]!.ok && results[1]!.error instanceof DmlHeaderError && results[1]!.error.message.includes(text), text);
  }
  assert.deepEqual(decodeDml(registry, Buffer.alloc(0)), []);
});

test('a record made unusable by its definition is reported per message', () => {
  const custom = MessageRegistry.fromXml([{ name: 'X.xml', content: `<X><_ProtocolInfo><RECORD><ServiceID TYPE="UBYT">60</ServiceID><ProtocolType TYPE="STR">ODD</ProtocolType></RECORD></_ProtocolInfo>
    <MSG_A><RECORD><_MsgOrder TYPE="UBYT" NOXFER="TRUE">1</_MsgOrder><V TYPE="VECTOR3"></V></RECORD></MSG_A></X>` }]);
  const [r] = decodeDml(custom, Buffer.from([60, 1, 4, 0]));
  assert.ok(r && !r.ok && r.error instanceof DmlUnusableRecordError);
  assert.throws(() => encodeDml(custom, kind('ODD', 'MSG_A'), {}), DmlUnusableRecordError);
});

test('the encoder refuses values that do not fit, with a typed error naming the field', () => {
  const move = { LocationX: 1, LocationY: 2, LocationZ: 3, Direction: 4, ZoneCounter: 0 };
  for (const [field, value] of [['LocationX', 65536], ['LocationY', -1], ['Direction', 1.5], ['ZoneCounter', '1']] as const) {
    assert.throws(() => encodeDml(registry, GAME.MSG_CLIENTMOVE, { ...move, [field]: value } as never),
      (e: unknown) => e instanceof DmlEncodeError && e.field === field && e.code === 'ERR_DML_ENCODE');
  }
  assert.throws(() => encodeDml(registry, GAME.MSG_REMOVEOBJECT, { GameObjectID: -1n }), DmlEncodeError);
  assert.throws(() => encodeDml(registry, GAME.MSG_REMOVEOBJECT, { GameObjectID: 2n ** 64n }), DmlEncodeError);
  assert.throws(() => encodeDml(registry, GAME.MSG_NEWOBJECT, { Data: Buffer.alloc(65536) }), DmlEncodeError);
  assert.throws(() => encodeDml(registry, GAME.MSG_NEWOBJECT, { Data: 42 } as never), DmlEncodeError);
  assert.throws(() => encodeDml(registry, GAME.MSG_NEWOBJECT, { Data: Buffer.alloc(65532) }), /u16 message length/);
  assert.doesNotThrow(() => encodeDml(registry, GAME.MSG_NEWOBJECT, { Data: Buffer.alloc(65529) }));
  assert.throws(() => encodeDml(registry, EXTENDEDBASE.MSG_SERVERMESSAGE, { Modal: 0, Message: 'x'.repeat(65536) }), DmlEncodeError);
  assert.throws(() => encodeDml(registry, kind('GAME', 'MSG_NOPE'), {}), UnknownKindError);
});

test('encodeDmlInto packs messages into a caller-owned buffer', () => {
  const target = Buffer.alloc(64);
  let o = encodeDmlInto(registry, GAME.MSG_SERVER_ERROR, { Error: 5 }, target, 0);
  o = encodeDmlInto(registry, GAME.MSG_QUERYLOGOUT, { IsInstance: 1 }, target, o);
  assert.deepEqual(okData(target.subarray(0, o)), [{ Error: 5 }, { IsInstance: 1 }]);
  assert.throws(() => encodeDmlInto(registry, GAME.MSG_SERVER_ERROR, { Error: 5 }, target, 60), RangeError);
});

test('visitDml reports each message to the visitor without building a result array', () => {
  const payload = Buffer.concat([encodeDml(registry, GAME.MSG_SERVER_ERROR, { Error: 5 }), Buffer.from([1, 77, 4, 0])]);
  const seen: string[] = [];
  visitDml(registry, payload, { message: (record, data) => seen.push(`${record.name}:${String(data['Error'])}`), error: (e) => seen.push(e.code) });
  assert.deepEqual(seen, ['MSG_SERVER_ERROR:5', 'ERR_DML_UNKNOWN_MESSAGE']);
});

test('visitDml decodes a payload given as a range of a larger buffer', () => {
  const frame = encodeDmlFrameOf(registry, [{ kind: GAME.MSG_SERVER_ERROR, data: { Error: 5 } }, { kind: GAME.MSG_QUERYLOGOUT, data: { IsInstance: 1 } }]);
  const seen: unknown[] = [];
  visitDml(registry, frame, { message: (_r, data) => seen.push(data), error: (e) => seen.push(e.code) }, 8, frame.length - 1);
  assert.deepEqual(seen, [{ Error: 5 }, { IsInstance: 1 }] as unknown[]);
  seen.length = 0;
  visitDml(registry, frame, { message: (_r, data) => seen.push(data), error: (e) => seen.push(e.code) }, 8, frame.length - 2);
  assert.deepEqual(seen, [{ Error: 5 }, 'ERR_DML_HEADER'] as unknown[]);
});
