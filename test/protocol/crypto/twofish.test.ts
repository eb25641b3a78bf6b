import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CryptoErrorCode, Twofish } from '../../../src/protocol/crypto/index.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

function encryptOne(key: Uint8Array, plain: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  new Twofish(key).encryptBlock(plain, 0, out, 0);
  return out;
}

// Schneier's ecb_ival.txt and ecb_tbl.txt (the Twofish paper, appendix B):
// [key, plaintext, ciphertext].
const KNOWN_ANSWERS: [string, string, string][] = [
  ['00000000000000000000000000000000', '00000000000000000000000000000000', '9F589F5CF6122C32B6BFEC2F2AE8C35A'],
  ['0123456789ABCDEFFEDCBA98765432100011223344556677', '00000000000000000000000000000000', 'CFD1D2E5A9BE9CDF501F13B892BD2248'],
  ['0123456789ABCDEFFEDCBA987654321000112233445566778899AABBCCDDEEFF', '00000000000000000000000000000000',
    '37527BE0052334B89F0CFCCAE87CFA20'],
  ['00000000000000000000000000000000', '9F589F5CF6122C32B6BFEC2F2AE8C35A', 'D491DB16E7B1C39E86CB086B789F5419'],
  ['9F589F5CF6122C32B6BFEC2F2AE8C35A', 'D491DB16E7B1C39E86CB086B789F5419', '019F9809DE1711858FAAC3A3BA20FBC3'],
  ['BCA724A54533C6987E14AA827952F921', '6B459286F3FFD28D49F15B1581B08E42', '5D9D4EEFFA9151575524F115815A12E0'],
  ['000000000000000000000000000000000000000000000000', 'EFA71F788965BD4453F860178FC19101', '88B2B2706B105E36B446BB6D731A1E88'],
  ['EFA71F788965BD4453F860178FC191010000000000000000', '88B2B2706B105E36B446BB6D731A1E88', '39DA69D6BA4997D585B6DC073CA341B2'],
  ['FB66522C332FCC4C042ABE32FA9E902FDEA4F3DA75EC7A8E', 'F0AB73301125FA21EF70BE5385FB76B6', 'E75449212BEEF9F4A390BD860A640941'],
  ['0000000000000000000000000000000000000000000000000000000000000000', '57FF739D4DC92C1BD7FC01700CC8216F',
    'D43BB7556EA32E46F2A282B7D45B4E0D'],
  ['57FF739D4DC92C1BD7FC01700CC8216F00000000000000000000000000000000', 'D43BB7556EA32E46F2A282B7D45B4E0D',
    '90AFE91BB288544F2C32DC239B2635E6'],
  ['248A7F3528B168ACFDD1386E3F51E30C2E2158BC3E5FC714C1EEECA0EA696D48', '431058F4DBC7F734DA4F02F04CC4F459',
    '37FE26FF1CF66175F5DDF4C33B97A205'],
];

test('twofish encrypts and decrypts the published known-answer vectors for 128, 192 and 256-bit keys', () => {
  for (const [key, plain, cipher] of KNOWN_ANSWERS) {
    const tf = new Twofish(hex(key));
    const out = new Uint8Array(16);
    tf.encryptBlock(hex(plain), 0, out, 0);
    assert.equal(toHex(out), cipher, `encrypt with key ${key}`);
    tf.decryptBlock(out, 0, out, 0);
    assert.equal(toHex(out), plain, `decrypt with key ${key}`);
  }
});

test('twofish reproduces the 49-step iterated tables of ecb_tbl.txt and walks them back', () => {
  // Step i encrypts PT_i under KEY_i; PT_{i+1} = CT_i and KEY_{i+1} = PT_i || PT_{i-1}, cut to the key size.
  const finals: Record<number, string> = {
    16: '5D9D4EEFFA9151575524F115815A12E0',
    24: 'E75449212BEEF9F4A390BD860A640941',
    32: '37FE26FF1CF66175F5DDF4C33B97A205',
  };
  for (const size of [16, 24, 32]) {
    let key: Uint8Array = new Uint8Array(size);
    let plain: Uint8Array = new Uint8Array(16);
    let previous: Uint8Array = new Uint8Array(16);
    const steps: { key: Uint8Array; plain: Uint8Array; cipher: Uint8Array }[] = [];
    for (let i = 1; i <= 49; i++) {
      const cipher = encryptOne(key, plain);
      steps.push({ key, plain, cipher });
      const next = new Uint8Array(size);
      next.set(plain);
      if (size > 16) next.set(previous.subarray(0, size - 16), 16);
      previous = plain;
      key = next;
      plain = cipher;
    }
    assert.equal(toHex(steps[48]!.cipher), finals[size]);
    for (const step of steps.reverse()) {
      const back = new Uint8Array(16);
      new Twofish(step.key).decryptBlock(step.cipher, 0, back, 0);
      assert.deepEqual(back, step.plain);
    }
  }
});

test('twofish works on blocks at offsets and in place', () => {
  const tf = new Twofish(hex('0123456789ABCDEFFEDCBA987654321000112233445566778899AABBCCDDEEFF'));
  const buffer = new Uint8Array(40);
  tf.encryptBlock(buffer, 3, buffer, 3);
  assert.equal(toHex(buffer.subarray(3, 19)), '37527BE0052334B89F0CFCCAE87CFA20');
  assert.ok(buffer.subarray(0, 3).every((b) => b === 0) && buffer.subarray(19).every((b) => b === 0));
  tf.decryptBlock(buffer, 3, buffer, 3);
  assert.ok(buffer.every((b) => b === 0));
});

test('twofish refuses keys of other lengths and blocks that do not fit', () => {
  for (const length of [0, 8, 15, 17, 31, 33, 64]) {
    assert.throws(() => new Twofish(new Uint8Array(length)), { code: CryptoErrorCode.KeyLength });
  }
  const tf = new Twofish(new Uint8Array(16));
  assert.throws(() => tf.encryptBlock(new Uint8Array(15), 0, new Uint8Array(16), 0), { code: CryptoErrorCode.BlockRange });
  assert.throws(() => tf.encryptBlock(new Uint8Array(16), 0, new Uint8Array(20), 5), { code: CryptoErrorCode.BlockRange });
  assert.throws(() => tf.decryptBlock(new Uint8Array(32), 17, new Uint8Array(16), 0), { code: CryptoErrorCode.BlockRange });
  assert.throws(() => tf.decryptBlock(new Uint8Array(32), -1, new Uint8Array(16), 0), { code: CryptoErrorCode.BlockRange });
  assert.throws(() => tf.decryptBlock(new Uint8Array(32), 0.5, new Uint8Array(16), 0), { code: CryptoErrorCode.BlockRange });
});
