import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BadStartSignalError, encodeFrame, FrameReader, FrameTooLargeError, FrameTooShortError, type Frame,
} from '../../src/protocol/index.js';

const CLIENTMOVE_FRAME = Buffer.from('0df011000000000005240c00010002000300040000', 'hex');

function pushAll(reader: FrameReader, chunks: Buffer[]): Frame[] {
  return chunks.flatMap((chunk) => reader.push(chunk));
}
function split(buffer: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let o = 0;
  for (let i = 0; o < buffer.length; i++) {
    const n = sizes[i % sizes.length]!;
    out.push(buffer.subarray(o, o + n));
    o += n;
  }
  return out;
}
const plain = (frames: Frame[]) => frames.map((f) => ({ isControl: f.isControl, opcode: f.opcode, payload: f.payload.toString('hex') }));

test('a frame is read whole, without its body header and trailing null', () => {
  const frames = new FrameReader().push(CLIENTMOVE_FRAME);
  assert.deepEqual(plain(frames), [{ isControl: false, opcode: 0, payload: '05240c000100020003000400' }]);
});

test('the same frames come out whether fed one byte at a time, all at once or split anywhere', () => {
  const stream = Buffer.concat([
    CLIENTMOVE_FRAME,
    encodeFrame(true, 3, Buffer.from([1, 2, 3, 4, 5, 6])),
    encodeFrame(false, 0, Buffer.alloc(40000, 7)),
    encodeFrame(true, 4, Buffer.alloc(0)),
  ]);
  const expected = plain(new FrameReader({ maxBodyLength: 1 << 20 }).push(stream));
  assert.equal(expected.length, 4);
  assert.equal(expected[2]!.payload.length, 80000);
  for (const sizes of [[1], [2], [3], [5, 1, 7], [4096], [8, 3], [40006]]) {
    const reader = new FrameReader({ maxBodyLength: 1 << 20 });
    assert.deepEqual(plain(pushAll(reader, split(stream, sizes))), expected, `chunk sizes ${sizes.join(',')}`);
    assert.equal(reader.bufferedBytes, 0);
  }
  // Every split point of a two-frame stream.
  const two = Buffer.concat([CLIENTMOVE_FRAME, encodeFrame(true, 3, Buffer.from([9, 8, 7, 6, 5, 4]))]);
  const want = plain(new FrameReader().push(two));
  for (let cut = 0; cut <= two.length; cut++) {
    assert.deepEqual(plain(pushAll(new FrameReader(), [two.subarray(0, cut), two.subarray(cut)])), want, `cut at ${cut}`);
  }
});

test('the long form is written above 0x7FFF body bytes and read back', () => {
  const small = encodeFrame(false, 0, Buffer.alloc(0x7fff - 5));
  assert.equal(small.readUInt16LE(2), 0x7fff);
  const large = encodeFrame(false, 0, Buffer.alloc(0x7fff - 4, 1));
  assert.equal(large.readUInt16LE(2), 0x8000);
  assert.equal(large.readUInt32LE(4), 0x8000);
  assert.equal(large.length, 8 + 0x8000);
  const frames = new FrameReader({ maxBodyLength: 0x10000 }).push(large);
  assert.equal(frames.length, 1);
  assert.equal(frames[0]!.payload.length, 0x7fff - 4);
  assert.ok(frames[0]!.payload.every((b) => b === 1));
});

test('a frame without the trailing null is accepted: the length is the authority', () => {
  const noNull = Buffer.from('0df010000000000005240c000100020003000401', 'hex');
  const frames = new FrameReader().push(Buffer.concat([noNull, CLIENTMOVE_FRAME]));
  assert.equal(frames.length, 2);
  assert.equal(frames[0]!.payload.toString('hex'), '05240c000100020003000401');
});

test('a DML frame without the trailing null whose last field is 0 keeps that 0', () => {
  const noNull = Buffer.from('0df010000000000005240c000100020003000400', 'hex');
  const frames = new FrameReader().push(Buffer.concat([noNull, CLIENTMOVE_FRAME]));
  assert.deepEqual(frames.map((f) => f.payload.toString('hex')), ['05240c000100020003000400', '05240c000100020003000400']);
  // A control frame has no lengths to tell: a final 0 there is taken for the null.
  assert.equal(new FrameReader().push(Buffer.from('0df00600010400000000', 'hex'))[0]!.payload.toString('hex'), '00');
});

test('a bad start signal is a typed error, also when it arrives byte by byte, and the reader stays failed', () => {
  assert.throws(() => new FrameReader().push(Buffer.from('0df1110000', 'hex')), (e: unknown) => e instanceof BadStartSignalError && e.code === 'ERR_FRAME_START' && e.found === 0xf10d);
  const reader = new FrameReader();
  reader.push(CLIENTMOVE_FRAME);
  reader.push(Buffer.from([0x47]));
  assert.throws(() => reader.push(Buffer.from([0x45])), (e: unknown) => e instanceof BadStartSignalError && e.streamOffset === CLIENTMOVE_FRAME.length);
  assert.throws(() => reader.push(CLIENTMOVE_FRAME), BadStartSignalError);
});

test('a body over the cap is refused from its header, before any body byte is buffered', () => {
  const reader = new FrameReader({ maxBodyLength: 100 });
  const header = Buffer.from([0x0d, 0xf0, 0x00, 0x80, 0xff, 0xff, 0xff, 0x7f]);
  for (let i = 0; i < 7; i++) reader.push(header.subarray(i, i + 1));
  assert.throws(() => reader.push(header.subarray(7)), (e: unknown) => e instanceof FrameTooLargeError && e.code === 'ERR_FRAME_TOO_LARGE' && e.bodyLength === 0x7fffffff);
  assert.equal(reader.bufferedBytes, 0);
  assert.throws(() => new FrameReader({ maxBodyLength: 16 }).push(Buffer.from([0x0d, 0xf0, 17, 0])), FrameTooLargeError);
  assert.doesNotThrow(() => new FrameReader({ maxBodyLength: 17 }).push(Buffer.from([0x0d, 0xf0, 17, 0])));
});

test('a body too short for its own header is a typed error', () => {
  assert.throws(() => new FrameReader().push(Buffer.from([0x0d, 0xf0, 3, 0, 0, 0, 0])), (e: unknown) => e instanceof FrameTooShortError && e.code === 'ERR_FRAME_SHORT');
});

test('a partial frame holds only its own bytes: one frame plus the current chunk', () => {
  const reader = new FrameReader();
  const frame = encodeFrame(false, 0, Buffer.alloc(1000, 3));
  reader.push(frame.subarray(0, 3));
  assert.equal(reader.bufferedBytes, 3);
  reader.push(frame.subarray(3, 500));
  assert.equal(reader.bufferedBytes, 500 - 4);
  const done = reader.push(frame.subarray(500));
  assert.equal(done.length, 1);
  assert.equal(reader.bufferedBytes, 0);
});

test('frames wholly inside a chunk are views of it, not copies', () => {
  const chunk = Buffer.concat([CLIENTMOVE_FRAME, CLIENTMOVE_FRAME]);
  const frames = new FrameReader().push(chunk);
  assert.equal(frames[1]!.payload.buffer, chunk.buffer);
  assert.equal(frames[1]!.payload.byteOffset, chunk.byteOffset + CLIENTMOVE_FRAME.length + 8);
});

test('the writer refuses an opcode that is not a byte, and the reader an impossible cap', () => {
  assert.throws(() => encodeFrame(true, 256, Buffer.alloc(0)), RangeError);
  assert.throws(() => new FrameReader({ maxBodyLength: 2 }), RangeError);
});

test('pushEach hands the same frames to a visitor as ranges of the chunk or of the one split frame', () => {
  const stream = Buffer.concat([CLIENTMOVE_FRAME, encodeFrame(true, 3, Buffer.from([1, 2, 3, 4, 5, 6])), CLIENTMOVE_FRAME]);
  for (const cut of [0, 5, 21, 30, stream.length]) {
    const expected = plain(new FrameReader().push(stream));
    const seen: { isControl: boolean; opcode: number; payload: string }[] = [];
    const reader = new FrameReader();
    const visitor = { frame: (isControl: boolean, opcode: number, buffer: Buffer, start: number, end: number) => seen.push({ isControl, opcode, payload: buffer.toString('hex', start, end) }) };
    reader.pushEach(stream.subarray(0, cut), visitor);
    reader.pushEach(stream.subarray(cut), visitor);
    assert.deepEqual(seen, expected, `cut at ${cut}`);
  }
  const reader = new FrameReader();
  assert.throws(() => reader.pushEach(CLIENTMOVE_FRAME, { frame: () => { throw new Error('visitor failed'); } }), /visitor failed/);
  assert.throws(() => reader.push(CLIENTMOVE_FRAME), /visitor failed/);
});
