import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, djb2, kiwadCrc, propertyHash, stringId } from '../../src/protocol/hashes.js';

// Bit-at-a-time reflected CRC with explicit start value and final XOR: the
// definition the table-driven zlib shortcut must agree with.
function referenceCrc(data: Uint8Array, init: number, xorOut: number): number {
  let crc = init >>> 0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ xorOut) >>> 0;
}

const ascii = (s: string) => Buffer.from(s, 'latin1');

test('stringId matches every vector of objectproperty.md', () => {
  assert.equal(stringId('std::string'), 1497788074);
  assert.equal(stringId('class FishTournamentEntry'), 1725212200);
  assert.equal(stringId('class NonCombatMayCastSpellTemplate*'), 920052956);
  assert.equal(stringId('class Matrix3x3'), 1479974833);
  assert.equal(stringId('class EquipmentSetList'), 135649998);
  assert.equal(stringId('Hello, world!'), 804074800);
  assert.equal(stringId('class LootInfoList'), 0x4867032a);
});

test('stringId hashes a string and its bytes alike and is never negative', () => {
  assert.equal(stringId(ascii('class Matrix3x3')), stringId('class Matrix3x3'));
  assert.equal(stringId(''), 0);
  // Control bytes make (c - 32) negative and exercise the sign-extending shift.
  for (const s of ['\x00', '\x01\x02\x03\x04\x05\x06\x07\x08', 'a'.repeat(100), '\x1f'.repeat(13)]) {
    const h = stringId(s);
    assert.ok(Number.isInteger(h) && h >= 0 && h <= 2 ** 31, `${JSON.stringify(s)} -> ${h}`);
  }
});

test('djb2 matches the vector of objectproperty.md and its definition', () => {
  assert.equal(djb2('m_packedName') & 0x7fffffff, 307420154);
  assert.equal(djb2(''), 5381);
  assert.equal(djb2('a'), 5381 * 33 + 97);
  let h = 5381n;
  for (const c of ascii('m_equipmentSetList')) h = (h * 33n + BigInt(c)) % 2n ** 32n;
  assert.equal(djb2('m_equipmentSetList'), Number(h));
});

test('propertyHash of m_equipmentSetList matches the vector of objectproperty.md', () => {
  assert.equal(propertyHash('class SharedPointer<class EquipmentSet>', 'm_equipmentSetList'), 1788831224);
  const type = 'std::string';
  const name = 'm_packedName';
  assert.equal(propertyHash(type, name), (1497788074 + 307420154) % 2 ** 32);
});

test('crc32 is CRC-32/IEEE and continues from a seed', () => {
  assert.equal(crc32(ascii('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
  const data = ascii('The quick brown fox jumps over the lazy dog');
  assert.equal(crc32(data), referenceCrc(data, 0xffffffff, 0xffffffff));
  assert.equal(crc32(data.subarray(10), crc32(data.subarray(0, 10))), crc32(data));
});

test('kiwadCrc matches the vectors of archives.md and the start-from-zero definition', () => {
  assert.equal(kiwadCrc(ascii('123456789')), 0x2dfd2d88);
  assert.equal(kiwadCrc(new Uint8Array(0)), 0);
  assert.equal(kiwadCrc(ascii('123456789')), referenceCrc(ascii('123456789'), 0, 0));
  for (let n = 0; n < 64; n++) {
    const data = new Uint8Array(n).map((_, i) => (i * 131 + n * 7) & 0xff);
    assert.equal(kiwadCrc(data), referenceCrc(data, 0, 0), `length ${n}`);
  }
  assert.equal(kiwadCrc(new Uint8Array(32)), 0, 'zeros keep a zero register at zero');
});
