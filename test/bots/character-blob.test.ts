import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CharacterBlobFormatError, decodeCharacterInfo, encodeCreationInfo } from '../../src/bots/index.js';
import { ImchCharacterCodec } from '../../src/objectproperty/index.js';

// The bots carry their own reader of the stand-in; these tests hold it to the servers' codec.
const server = new ImchCharacterCodec();

test('the server reads the name from a bot\'s CreationInfo', () => {
  assert.equal(server.decodeCreation(encodeCreationInfo('Merle')).name, 'Merle');
  assert.equal(server.decodeCreation(encodeCreationInfo('Ünïcødé')).name, 'Ünïcødé');
});

test('a bot reads id, name, zone and location from the server\'s CHARACTERINFO', () => {
  const blob = server.encodeInfo({ id: 0x1_0000_0001n, name: 'Merle', zone: 'WizardCity/WC_Hub', location: '1,2,3,0.5', creationData: Buffer.from('x') });
  assert.deepEqual(decodeCharacterInfo(blob), { id: 0x1_0000_0001n, name: 'Merle', zone: 'WizardCity/WC_Hub', location: '1,2,3,0.5' });
});

test('anything but the stand-in, or a truncated one, is a typed error', () => {
  const blob = server.encodeInfo({ id: 1n, name: 'Merle', zone: 'Z', location: 'Start', creationData: Buffer.alloc(0) });
  assert.throws(() => decodeCharacterInfo(Buffer.from('nope')), CharacterBlobFormatError);
  for (let cut = 0; cut < blob.length - 2; cut += 3) {
    assert.throws(() => decodeCharacterInfo(blob.subarray(0, cut)), CharacterBlobFormatError, `cut at ${cut}`);
  }
});
