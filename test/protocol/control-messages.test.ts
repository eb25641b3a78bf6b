import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ControlMessageError, ControlOpcode, decodeClientKeepAlive, decodeKeepAlive, decodeServerKeepAlive, decodeSessionAccept,
  decodeSessionOffer, encodeClientKeepAlive, encodeFrame, encodeKeepAliveRsp, encodeServerKeepAlive, encodeSessionAccept,
  encodeSessionOffer, FrameReader,
} from '../../src/protocol/index.js';

function onlyFrame(bytes: Buffer) {
  const frames = new FrameReader().push(bytes);
  assert.equal(frames.length, 1);
  return frames[0]!;
}

test('a session offer without encryption has cryptoLen 1 and one zero byte, and decodes back', () => {
  const bytes = encodeSessionOffer({ sid: 3258, secs: 1617815695, millis: 805 });
  assert.equal(bytes.toString('hex'), '0df01800' + '01000000' + 'ba0c' + '00000000' + '8fe86d60' + '25030000' + '01000000' + '00' + '00');
  const frame = onlyFrame(bytes);
  assert.equal(frame.isControl, true);
  assert.equal(frame.opcode, ControlOpcode.SessionOffer);
  const offer = decodeSessionOffer(frame.payload);
  assert.deepEqual({ sid: offer.sid, secs: offer.secs, millis: offer.millis }, { sid: 3258, secs: 1617815695, millis: 805 });
  assert.deepEqual([...offer.crypto], [0]);
});

test('a session offer with a crypto blob carries it whole', () => {
  const crypto = Buffer.from('00112233445566', 'hex');
  const offer = decodeSessionOffer(onlyFrame(encodeSessionOffer({ sid: 1, secs: 2, millis: 3, crypto })).payload);
  assert.deepEqual(offer.crypto, crypto);
});

test('a session offer whose crypto length overruns the payload is a typed error', () => {
  const payload = Buffer.alloc(19);
  payload.writeUInt32LE(2, 14);
  assert.throws(() => decodeSessionOffer(payload), (e: unknown) => e instanceof ControlMessageError && e.code === 'ERR_CONTROL_MESSAGE');
  assert.throws(() => decodeSessionOffer(Buffer.alloc(17)), ControlMessageError);
});

test('a session accept decodes its sid and clock, with or without the tail and extra bytes', () => {
  const frame = onlyFrame(encodeSessionAccept({ sid: 65535, secs: 0xffffffff, millis: 999 }));
  assert.equal(frame.opcode, ControlOpcode.SessionAccept);
  assert.deepEqual(decodeSessionAccept(frame.payload), { sid: 65535, secs: 0xffffffff, millis: 999 });
  const withExtra = Buffer.concat([frame.payload, Buffer.from('deadbeefcafe', 'hex')]);
  assert.deepEqual(decodeSessionAccept(withExtra), { sid: 65535, secs: 0xffffffff, millis: 999 });
  assert.deepEqual(decodeSessionAccept(frame.payload.subarray(0, 16)), { sid: 65535, secs: 0xffffffff, millis: 999 });
  assert.throws(() => decodeSessionAccept(frame.payload.subarray(0, 15)), ControlMessageError);
});

test('keep-alives in both directions and their responses round-trip', () => {
  const client = onlyFrame(encodeClientKeepAlive({ sid: 77, millis: 999, minutes: 12 }));
  assert.equal(client.opcode, ControlOpcode.KeepAlive);
  assert.equal(client.payload.toString('hex'), '4d00e7030c00');
  assert.deepEqual(decodeClientKeepAlive(client.payload), { sid: 77, millis: 999, minutes: 12 });
  const server = onlyFrame(encodeServerKeepAlive({ uptimeMs: 2 ** 32 + 5 }));
  assert.deepEqual(decodeServerKeepAlive(server.payload), { sid: 0, uptimeMs: 5 });
  assert.deepEqual(decodeKeepAlive(client.payload), { sid: 77, millis: 999, minutes: 12, uptimeMs: (12 << 16) | 999 });
  assert.throws(() => decodeClientKeepAlive(Buffer.alloc(5)), ControlMessageError);

  const empty = onlyFrame(encodeKeepAliveRsp());
  assert.equal(empty.opcode, ControlOpcode.KeepAliveRsp);
  assert.equal(empty.payload.length, 0);
  const echo = onlyFrame(encodeKeepAliveRsp(client.payload));
  assert.deepEqual(echo.payload, client.payload);
});

test('a keep-alive response read from a peer that omits the trailing null is still empty', () => {
  const frame = onlyFrame(Buffer.from([0x0d, 0xf0, 4, 0, 1, 4, 0, 0]));
  assert.equal(frame.opcode, ControlOpcode.KeepAliveRsp);
  assert.equal(frame.payload.length, 0);
  assert.deepEqual(onlyFrame(encodeFrame(true, 4, Buffer.alloc(0))).payload.length, 0);
});

test('encoders refuse values that do not fit their fields', () => {
  assert.throws(() => encodeSessionOffer({ sid: 65536, secs: 0, millis: 0 }), RangeError);
  assert.throws(() => encodeSessionAccept({ sid: 1, secs: -1, millis: 0 }), RangeError);
  assert.throws(() => encodeClientKeepAlive({ sid: 1, millis: 1.5, minutes: 0 }), RangeError);
});
