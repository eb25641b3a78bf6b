import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { GAME } from '../../../src/protocol/index.js';
import { ObjectPropertyCodec, loadTypeDump, type OpObject, type TypeList } from '../../../src/objectproperty/index.js';
import { buildSampleWorld } from '../../../src/world/index.js';
import {
  OWNER_PROPERTY_MASK, PUBLIC_PROPERTY_MASK, PlayerObjectBuilder, templateFromRootWad, unwrapRawBlob, type ObjectBlobPrefix,
} from '../../../src/servers/game/index.js';
import { move, startGameKit } from './game-kit.js';

/** The sample world of the world layer: its own type dump and Root.wad, template 1 the player. */
function sampleBuilder(): { types: TypeList; builder: PlayerObjectBuilder } {
  const world = buildSampleWorld();
  const types = loadTypeDump(world.typeDump);
  const template = templateFromRootWad(types, world.rootWad);
  if (typeof template === 'string') throw new Error(template);
  return { types, builder: new PlayerObjectBuilder(types, template) };
}

function decodeCore(types: TypeList, bytes: Buffer, options: { compressed: boolean; mask: number }): OpObject {
  const codec = new ObjectPropertyCodec(types, {
    coreObject: true, manualCompression: options.compressed, propertyMask: options.mask, resolveTemplate: () => 'class WizClientObject',
  });
  return codec.decode(bytes);
}

function behavior(object: OpObject, cls: string): OpObject | undefined {
  return (object['m_inactiveBehaviors'] as (OpObject | null)[]).find((b) => b?.$class === cls) ?? undefined;
}

test('the player object: template 1 as a WizClientObject in CoreObject form, live behaviors from the character, compressed', () => {
  const { types, builder } = sampleBuilder();
  const state = { characterId: 4242n, name: 'Merle Ambrose', mobileId: 3300, location: { x: 10, y: -20, z: 4, yaw: 1.5 }, creationData: Buffer.from('look'), level: 7, school: 'Storm' };
  const data = builder.loginCompleteData(state);
  // u32 inflated size, then zlib; the object starts with block 104, type 2, template 1.
  const inflated = inflateSync(data.subarray(4));
  assert.equal(data.readUInt32LE(0), inflated.length);
  assert.deepEqual([...inflated.subarray(0, 6)], [0x68, 0x02, 0x01, 0x00, 0x00, 0x00]);
  const object = decodeCore(types, data, { compressed: true, mask: OWNER_PROPERTY_MASK });
  assert.equal(object.$class, 'class WizClientObject');
  assert.deepEqual([object['m_globalID'], object['m_permID'], object['m_characterId'], object['m_nMobileID'], object['m_templateID']], [4242n, 4242n, 4242n, 3300, 1n]);
  assert.deepEqual(object['m_location'], { x: 10, y: -20, z: 4 });
  assert.equal(object['m_debugName'], 'Merle Ambrose');
  const character = behavior(object, 'class WizardCharacterBehavior')!;
  assert.deepEqual([character['m_characterName'], character['m_schoolOfFocus'], character['m_level']], ['Merle Ambrose', 'Storm', 7]);
  assert.equal(Buffer.from(character['m_appearance'] as string | Buffer).toString(), 'look', 'the owner sees its appearance');
  assert.ok(behavior(object, 'class AnimationBehavior') !== undefined, 'behaviors come from the template');
  assert.equal(behavior(object, 'class PathMovementBehavior'), undefined, 'PathMovementBehavior is never sent');
  // What others are shown: uncompressed, the public mask (the private appearance is left out).
  const shown = decodeCore(types, builder.publicBlob(state), { compressed: false, mask: PUBLIC_PROPERTY_MASK });
  assert.equal(shown['m_nMobileID'], 3300);
  assert.equal(behavior(shown, 'class WizardCharacterBehavior')!['m_appearance'], undefined);
});

for (const prefix of ['prefixed', 'bare'] as const satisfies readonly ObjectBlobPrefix[]) {
  test(`with a type dump, LOGINCOMPLETE carries the player object and NEWOBJECT (${prefix}) the ids its SERVERMOVEs use`, async () => {
    const { types, builder } = sampleBuilder();
    const kit = await startGameKit({ game: { playerObjects: builder, settings: { moveTickMs: 20, objectBlobPrefix: prefix } } });
    try {
      const a = await kit.newPlayer('balin');
      const own = decodeCore(types, a.complete.Data, { compressed: true, mask: OWNER_PROPERTY_MASK });
      assert.equal(behavior(own, 'class WizardCharacterBehavior')!['m_characterName'], 'balinChar');
      assert.equal(own['m_templateID'], 1n);
      const b = await kit.newPlayer('balan');
      const data = (await a.client.next(GAME.MSG_NEWOBJECT, 5000)).Data;
      const blob = prefix === 'prefixed' ? unwrapRawBlob(data) : data;
      assert.ok(blob !== undefined, 'a raw-length wrapper');
      assert.deepEqual([...blob.subarray(0, 2)], [0x68, 0x02], 'the CoreObject header right after the wrapper (or first, bare)');
      const shown = decodeCore(types, blob, { compressed: false, mask: PUBLIC_PROPERTY_MASK });
      assert.equal(shown['m_globalID'], b.characterId);
      move(b.client, 9, 9, 9, 0);
      const moved = await a.client.next(GAME.MSG_SERVERMOVE, 5000);
      assert.equal(moved.MobileID, shown['m_nMobileID'], 'SERVERMOVE names the mobile id NEWOBJECT gave');
      const bOwn = decodeCore(types, b.complete.Data, { compressed: true, mask: OWNER_PROPERTY_MASK });
      assert.equal(bOwn['m_nMobileID'], moved.MobileID, 'and the player\'s own object carries it too');
      await b.client.close();
      assert.equal((await a.client.next(GAME.MSG_REMOVEOBJECT, 5000)).GameObjectID, shown['m_globalID']);
    } finally {
      await kit.close();
    }
  });
}
