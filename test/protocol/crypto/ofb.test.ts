import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { CryptoErrorCode, ofb, Twofish, type BlockEncryptor } from '../../../src/protocol/crypto/index.js';

// AES through node:crypto in ECB, as a block cipher: node's own aes-128-ofb
// is then an independent implementation of the same mode to compare against.
function aesBlocks(key: Buffer): BlockEncryptor {
  return {
    encryptBlock(input, inputOffset, output, outputOffset) {
      const ecb = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
      Buffer.from(ecb.update(input.subarray(inputOffset, inputOffset + 16))).copy(output, outputOffset);
    },
  };
}

test('ofb matches node:crypto aes-128-ofb for every length from 0 to 100', () => {
  const key = randomBytes(16);
  const iv = randomBytes(16);
  for (let length = 0; length <= 100; length++) {
    const data = randomBytes(length);
    const expected = createCipheriv('aes-128-ofb', key, iv).update(data);
    assert.deepEqual(ofb(aesBlocks(key), iv, data), expected, `length ${length}`);
  }
});

test('twofish ofb decrypts what it encrypts for every length from 0 to 100', () => {
  const tf = new Twofish(randomBytes(32));
  const iv = randomBytes(16);
  for (let length = 0; length <= 100; length++) {
    const plain = randomBytes(length);
    const cipher = ofb(tf, iv, plain);
    assert.equal(cipher.length, length);
    if (length >= 8) assert.notDeepEqual(cipher, plain);
    assert.deepEqual(ofb(tf, iv, cipher), plain, `length ${length}`);
  }
});

test('the ofb keystream is the chain of block encryptions of the IV', () => {
  const tf = new Twofish(Buffer.alloc(16));
  const iv = Buffer.alloc(16);
  const keystream = ofb(tf, iv, Buffer.alloc(40));
  const block = new Uint8Array(16);
  for (let k = 0; k < 3; k++) {
    tf.encryptBlock(block, 0, block, 0);
    assert.deepEqual(keystream.subarray(16 * k, Math.min(40, 16 * k + 16)), Buffer.from(block).subarray(0, k === 2 ? 8 : 16));
  }
  assert.equal(keystream.subarray(0, 16).toString('hex').toUpperCase(), '9F589F5CF6122C32B6BFEC2F2AE8C35A');
});

test('ofb leaves its inputs untouched and refuses an IV that is not one block', () => {
  const tf = new Twofish(Buffer.alloc(16));
  const iv = Buffer.alloc(16, 7);
  const data = Buffer.from('unchanged input');
  ofb(tf, iv, data);
  assert.deepEqual(iv, Buffer.alloc(16, 7));
  assert.equal(data.toString(), 'unchanged input');
  assert.throws(() => ofb(tf, Buffer.alloc(15), data), { code: CryptoErrorCode.IvLength });
  assert.throws(() => ofb(tf, Buffer.alloc(32), data), { code: CryptoErrorCode.IvLength });
});
