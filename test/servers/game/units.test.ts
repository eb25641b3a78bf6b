import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ZoneRules,
  checkZonePath,
  formatLocation,
  parseLocation,
  parseZonePath,
  resolveGameSettings,
  splitArguments,
  toWire,
  toWorld,
  unwrapRawBlob,
  wrapRawBlob,
  zoneIdOf,
} from '../../../src/servers/game/index.js';

test('wire positions survive a trip through world units and back', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 255 }), (x, y, z, direction) => {
      const world = toWorld({ x, y, z, direction });
      assert.deepEqual(toWire(world), { x, y, z, direction });
      assert.deepEqual(parseLocation(formatLocation(world)), world);
    }),
  );
  assert.deepEqual(toWorld({ x: 0xffff, y: 1, z: 0x8000, direction: 64 }), { x: -4, y: 4, z: -131072, yaw: Math.PI / 2 });
  // Out-of-range world positions are clamped to the int16 range rather than wrapped.
  assert.equal(toWire({ x: 1e9, y: -1e9, z: 0, yaw: -Math.PI / 2 }).x, 0x7fff);
  assert.equal(toWire({ x: 1e9, y: -1e9, z: 0, yaw: -Math.PI / 2 }).y, 0x8000);
  assert.equal(toWire({ x: 0, y: 0, z: 0, yaw: -Math.PI / 2 }).direction, 192);
});

test('location strings are four finite numbers; anything else (a named spot) is no location', () => {
  assert.deepEqual(parseLocation('1.5,-2,3e2,0'), { x: 1.5, y: -2, z: 300, yaw: 0 });
  for (const text of ['Start', '', '1,2,3', '1,2,3,4,5', '1,,3,4', 'a,b,c,d', '1,2,3,Infinity']) assert.equal(parseLocation(text), undefined, text);
});

test('zone paths are checked: segments of letters, digits, "_", "-" and ".", no dot segments, at most 256 characters', () => {
  assert.equal(checkZonePath('WizardCity/WC_Ravenwood'), 'WizardCity/WC_Ravenwood');
  for (const bad of ['', '/Start', 'Start/', 'a//b', '../etc', 'a/./b', 'a b', 'a\\b', 'Zone\u0000', 'x'.repeat(257)]) {
    assert.equal(parseZonePath(bad), undefined, JSON.stringify(bad));
    assert.throws(() => checkZonePath(bad), { code: 'ERR_GAME_ZONE_PATH' });
  }
  assert.equal(zoneIdOf('Start'), zoneIdOf('Start'));
  assert.notEqual(zoneIdOf('Start'), zoneIdOf('start'));
});

test('paths under a private prefix belong to the prefix\'s instance group; others are public', () => {
  const rules = new ZoneRules(['Housing/', 'Dungeons']);
  assert.equal(rules.instanceGroupOf('Housing/Dorm'), 'Housing');
  assert.equal(rules.instanceGroupOf('Housing/Dorm/Attic'), 'Housing');
  assert.equal(rules.instanceGroupOf('Dungeons/Crypt'), 'Dungeons');
  assert.equal(rules.instanceGroupOf('HousingEstate/Plot'), undefined);
  assert.equal(rules.instanceGroupOf('WizardCity/Commons'), undefined);
});

test('command arguments split on spaces, with double quotes keeping a name together', () => {
  assert.deepEqual(splitArguments('teleport "Sir Kay" Camelot/Hall'), ['teleport', 'Sir Kay', 'Camelot/Hall']);
  assert.deepEqual(splitArguments('  who  '), ['who']);
  assert.deepEqual(splitArguments(''), []);
});

test('the LOGINCOMPLETE blob wrapper marks raw bytes with bit 31 and their length', () => {
  const wrapped = wrapRawBlob(Buffer.from('IMCH'));
  assert.equal(wrapped.readUInt32LE(0), 0x8000_0004);
  assert.deepEqual(unwrapRawBlob(wrapped), Buffer.from('IMCH'));
  assert.equal(unwrapRawBlob(Buffer.from([4, 0, 0, 0, 1, 2, 3, 4])), undefined);
  assert.equal(unwrapRawBlob(Buffer.from([0, 0])), undefined);
});

test('game settings are checked once, when the server is created', () => {
  assert.equal(resolveGameSettings().moveTickMs, 50);
  assert.throws(() => resolveGameSettings({ moveTickMs: 0 }), { code: 'ERR_GAME_CONFIG' });
  assert.throws(() => resolveGameSettings({ startZone: '../x' }), { code: 'ERR_GAME_CONFIG' });
  assert.throws(() => resolveGameSettings({ commandPrefix: '' }), { code: 'ERR_GAME_CONFIG' });
});
