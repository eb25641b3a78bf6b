import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  clientKey1, constantTimeEqual, createClientKey2, CryptoErrorCode, decryptRec1, deriveRec1Key, encryptRec1, passKey3,
  passwordHash, REC1_IV, sessionSalt,
} from '../../../src/protocol/crypto/index.js';

// The vectors of wire-protocol.md section 5.
const OFFER = { sid: 3258, secs: 1617815695, millis: 805 };
const CK1 = '+FO9W7DLYNuvLdwvnMaxtJrSD+/h7HHfpzSNKv6G4UomKKoy+uwknGbqrtz4KNHSIS6McowtSTXtQBwwq7bwSQ==';
const KEY = '1718191aba000c1e8f6d2122e86025032728292a2b2c2d2e2f30313233343536';
const IV = 'b6b5b4b3b2b1b0afaeadacabaaa9a8a7';
const REC1 = 'VLZpUqHY04cULJ+dvYknBM2Y3xynINN3gB4svovYA0jzWUsVAXjdtz363K9pC049fhpK9zFjlGaC6awzXmUCeKMseu7+Bol3JiFmN46MAv6fOQ7pNvD6RFlpzzjZ8rQ=';

test('clientKey1 of password "1" for the spec offer matches the vector', () => {
  const salt = sessionSalt(OFFER.sid, OFFER.secs, OFFER.millis);
  assert.equal(salt, '32581617815695805');
  assert.equal(clientKey1(passwordHash('1'), salt), CK1);
});

test('the Rec1 key and IV for the spec offer match the vectors', () => {
  assert.equal(deriveRec1Key(OFFER).toString('hex'), KEY);
  assert.equal(REC1_IV.toString('hex'), IV);
});

test('Rec1 of "3258 1 " + CK1 matches the vector and decrypts back', () => {
  const plain = Buffer.from(`3258 1 ${CK1}`);
  const cipher = encryptRec1(plain, OFFER);
  assert.equal(cipher.toString('base64'), REC1);
  assert.deepEqual(decryptRec1(Buffer.from(REC1, 'base64'), OFFER), plain);
});

test('changing the exported IV does not change the encryption', () => {
  const saved = Buffer.from(REC1_IV);
  REC1_IV.fill(0);
  try {
    assert.equal(encryptRec1(Buffer.from(`3258 1 ${CK1}`), OFFER).toString('base64'), REC1);
  } finally {
    saved.copy(REC1_IV);
  }
});

test('the Rec1 key puts every offer byte where the spec says', () => {
  const key = deriveRec1Key({ sid: 0xabcd, secs: 0x11223344, millis: 0x55667788 });
  const expected = Buffer.from(Array.from({ length: 32 }, (_, i) => 0x17 + i));
  Object.assign(expected, { 4: 0xcd, 5: 0, 6: 0xab, 8: 0x44, 9: 0x22, 12: 0x33, 13: 0x11, 14: 0x88, 15: 0x77 });
  assert.deepEqual(key, expected);
  assert.notDeepEqual(deriveRec1Key({ ...OFFER, millis: 806 }), deriveRec1Key(OFFER));
});

test('passKey3 is base64 SHA-512 of ClientKey2 and the salt', () => {
  const ck2 = 'k2Z0f3vB1QyN8sY5pL0wTq7mH4rE9aXc2uJ6gD1iOeM=';
  const salt = sessionSalt(OFFER.sid, OFFER.secs, OFFER.millis);
  const independent = createHash('sha512').update(Buffer.concat([Buffer.from(ck2, 'latin1'), Buffer.from(salt, 'latin1')]))
    .digest('base64');
  assert.equal(passKey3(ck2, salt), independent);
  assert.notEqual(passKey3(ck2, sessionSalt(1, 2, 3)), independent);
});

test('passwordHash is base64 SHA-512 of the UTF-8 password', () => {
  for (const password of ['1', 'correct horse', 'pässwörd']) {
    assert.equal(passwordHash(password), createHash('sha512').update(Buffer.from(password, 'utf8')).digest('base64'));
  }
});

test('offer values outside their wire ranges are refused', () => {
  const bad = [{ sid: -1 }, { sid: 65536 }, { sid: 1.5 }, { secs: 2 ** 32 }, { secs: -1 }, { millis: Number.NaN }];
  for (const change of bad) {
    const offer = { ...OFFER, ...change };
    assert.throws(() => deriveRec1Key(offer), { code: CryptoErrorCode.BadOffer });
    assert.throws(() => sessionSalt(offer.sid, offer.secs, offer.millis), { code: CryptoErrorCode.BadOffer });
    assert.throws(() => encryptRec1(Buffer.from('x'), offer), { code: CryptoErrorCode.BadOffer });
  }
  assert.equal(deriveRec1Key({ sid: 65535, secs: 2 ** 32 - 1, millis: 2 ** 32 - 1 }).length, 32);
});

test('constantTimeEqual compares strings and bytes by content', () => {
  assert.equal(constantTimeEqual(CK1, CK1), true);
  assert.equal(constantTimeEqual(CK1, `${CK1.slice(0, -1)}A`), false);
  assert.equal(constantTimeEqual(CK1, CK1.slice(1)), false);
  assert.equal(constantTimeEqual('', ''), true);
  assert.equal(constantTimeEqual('', 'a'), false);
  assert.equal(constantTimeEqual(Buffer.from('abc'), 'abc'), true);
  assert.equal(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0])), false);
});

test('createClientKey2 gives a fresh 32-byte base64 key each time', () => {
  const keys = new Set(Array.from({ length: 50 }, () => createClientKey2()));
  assert.equal(keys.size, 50);
  for (const key of keys) assert.equal(Buffer.from(key, 'base64').length, 32);
  const key = createClientKey2();
  assert.equal(decryptRec1(encryptRec1(Buffer.from(key), OFFER), OFFER).toString(), key);
});
