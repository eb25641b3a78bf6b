// Hostile input: random and mutated frames through the frame reader, the control decoders and the
// DML decoder. Every input must end in frames/messages or typed errors, never another exception,
// and the reader may never hold more than one frame. IMLIGHT_FUZZ_COUNT sets the number of inputs
// (npm run test:fuzz uses 1,000,000); IMLIGHT_FUZZ_SEED replays a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ControlMessageError, decodeClientKeepAlive, decodeDml, decodeServerKeepAlive, decodeSessionAccept, decodeSessionOffer,
  DmlError, encodeClientKeepAlive, encodeDml, encodeDmlFrameOf, encodeFrame, encodeKeepAliveRsp, encodeSessionAccept,
  encodeSessionOffer, FrameError, FrameReader, kind, MessageRegistry, type ElementType, type RecordDef,
} from '../../src/protocol/index.js';

const COUNT = Number(process.env['IMLIGHT_FUZZ_COUNT'] ?? 20_000);
const SEED = Number(process.env['IMLIGHT_FUZZ_SEED'] ?? 0x1a2b3c4d);
const MAX_BODY = 65536;
const registry = MessageRegistry.defaults();

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
  return { next, int: (n: number) => next() % n, bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => next() & 0xff)) };
}

function randomValue(r: ReturnType<typeof rng>, type: ElementType): unknown {
  switch (type) {
    case 'BYT': return (r.next() & 0xff) - 128;
    case 'UBYT': return r.next() & 0xff;
    case 'BOOL': return (r.next() & 1) === 1;
    case 'SHRT': return (r.next() & 0xffff) - 32768;
    case 'USHRT': return r.next() & 0xffff;
    case 'INT': return r.next() | 0;
    case 'UINT': return r.next();
    case 'FLT': return Math.fround((r.next() - 2 ** 31) / 7);
    case 'DBL': return (r.next() - 2 ** 31) / 3;
    case 'GID': return (BigInt(r.next()) << 32n) | BigInt(r.next());
    case 'STR': return r.bytes(r.int(40));
    case 'WSTR': return String.fromCharCode(...Array.from({ length: r.int(20) }, () => r.next() & 0xffff));
  }
}

function validFrame(r: ReturnType<typeof rng>): Buffer {
  switch (r.int(6)) {
    case 0: return encodeSessionOffer({ sid: r.next() & 0xffff, secs: r.next(), millis: r.int(1000), crypto: r.bytes(r.int(8)) });
    case 1: return encodeSessionAccept({ sid: r.next() & 0xffff, secs: r.next(), millis: r.int(1000) });
    case 2: return encodeClientKeepAlive({ sid: r.next() & 0xffff, millis: r.int(1000), minutes: r.int(600) });
    case 3: return encodeKeepAliveRsp(r.int(2) === 0 ? undefined : r.bytes(6));
    default: {
      const messages = Array.from({ length: 1 + r.int(4) }, () => {
        const record: RecordDef = registry.records[r.int(registry.records.length)]!;
        const data = Object.fromEntries(record.fields.map((f) => [f.name, randomValue(r, f.type)]));
        return { kind: kind(record.protocol, record.name), data };
      });
      return encodeDmlFrameOf(registry, messages);
    }
  }
}

function mutate(r: ReturnType<typeof rng>, input: Buffer): Buffer {
  const b = Buffer.from(input);
  switch (r.int(9)) {
    case 0: { // bit flips
      for (let i = 1 + r.int(4); i > 0 && b.length > 0; i--) b[r.int(b.length)]! ^= 1 << r.int(8);
      return b;
    }
    case 1: return b.subarray(0, r.int(b.length + 1)); // truncation
    case 2: { // huge or tiny length, short or long form
      if (b.length < 8) return b;
      if (r.int(2) === 0) b.writeUInt16LE(r.next() & 0xffff, 2);
      else { b.writeUInt16LE(0x8000, 2); b.writeUInt32LE(r.int(3) === 0 ? r.next() : r.int(MAX_BODY * 2), 4); }
      return b;
    }
    case 3: { // a DML message length byte (inside the first message) changed
      if (b.length >= 12) b.writeUInt16LE(r.next() & 0xffff, 10);
      return b;
    }
    case 4: return Buffer.concat([b, validFrame(r), b.subarray(0, r.int(b.length + 1))]); // concatenation
    case 5: return r.bytes(r.int(64)); // noise
    case 6: return Buffer.concat([Buffer.from([0x0d, 0xf0]), r.bytes(r.int(64))]); // noise after a valid start
    case 7: { // random bytes overwritten in the body
      for (let i = 1 + r.int(6); i > 0 && b.length > 8; i--) b[8 + r.int(b.length - 8)] = r.next() & 0xff;
      return b;
    }
    default: return b;
  }
}

function decodeControl(opcode: number, payload: Buffer): void {
  try {
    if (opcode === 0) decodeSessionOffer(payload);
    else if (opcode === 5) decodeSessionAccept(payload);
    else if (opcode === 3) { decodeClientKeepAlive(payload); decodeServerKeepAlive(payload); }
  } catch (error) {
    if (!(error instanceof ControlMessageError)) throw error;
  }
}

/** Feeds one input in random chunks; returns [frames, messages, typed errors]. */
function feed(r: ReturnType<typeof rng>, reader: FrameReader, input: Buffer): [number, number, number] {
  let frames = 0;
  let messages = 0;
  let errors = 0;
  let o = 0;
  try {
    while (o < input.length) {
      const n = 1 + r.int(r.int(4) === 0 ? 3 : 200);
      for (const frame of reader.push(input.subarray(o, o + n))) {
        frames++;
        if (frame.isControl) {
          decodeControl(frame.opcode, frame.payload);
        } else {
          for (const result of decodeDml(registry, frame.payload)) {
            if (result.ok) messages++;
            else if (result.error instanceof DmlError) errors++;
            else throw new Error('decodeDml returned a non-DmlError');
          }
        }
      }
      assert.ok(reader.bufferedBytes <= 8 + MAX_BODY, `reader holds ${reader.bufferedBytes} bytes`);
      o += n;
    }
  } catch (error) {
    if (!(error instanceof FrameError)) throw error;
    errors++;
  }
  return [frames, messages, errors];
}

test(`${COUNT} random and mutated inputs end in frames, messages or typed errors only (seed ${SEED})`, () => {
  const r = rng(SEED);
  const totals = [0, 0, 0];
  const heapBefore = process.memoryUsage().heapUsed;
  let streamReader = new FrameReader({ maxBodyLength: MAX_BODY });
  for (let i = 0; i < COUNT; i++) {
    const base = validFrame(r);
    const input = r.int(10) === 0 ? base : mutate(r, r.int(3) === 0 ? mutate(r, base) : base);
    let reader: FrameReader;
    // Mostly a fresh reader; sometimes one long-lived stream (as a session would see), replaced once it failed.
    if (r.int(4) === 0) reader = streamReader;
    else reader = new FrameReader({ maxBodyLength: MAX_BODY });
    let result: [number, number, number];
    try {
      result = feed(r, reader, input);
    } catch (error) {
      assert.fail(`input ${i} (seed ${SEED}) ${input.subarray(0, 64).toString('hex')}: ${(error as Error).stack}`);
    }
    if (reader === streamReader && result[2] > 0) streamReader = new FrameReader({ maxBodyLength: MAX_BODY });
    for (let k = 0; k < 3; k++) totals[k]! += result[k]!;
  }
  // Not a timing assertion: a coarse leak check (nothing is retained between inputs).
  const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  assert.ok(grownMb < 256, `heap grew by ${grownMb.toFixed(1)} MB`);
  assert.ok(totals[0]! > COUNT / 10 && totals[1]! > COUNT / 10 && totals[2]! > COUNT / 10, `frames/messages/errors ${totals.join('/')}`);
});

test('a round trip survives every chunking of a valid stream, including single bytes', () => {
  const r = rng(SEED ^ 0x5555);
  const frames = Array.from({ length: 50 }, () => validFrame(r));
  const stream = Buffer.concat(frames);
  const reader = new FrameReader();
  let count = 0;
  for (let o = 0; o < stream.length; o++) count += reader.push(stream.subarray(o, o + 1)).length;
  assert.equal(count, frames.length);
  assert.doesNotThrow(() => encodeDml(registry, kind('GAME', 'MSG_CLIENT_DISCONNECT'), {}));
  assert.equal(encodeFrame(false, 0, Buffer.alloc(0)).length, 9);
});
