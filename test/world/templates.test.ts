// Templates from the sample Root.wad, decoded on first use and cached, and the client object built
// for a placement (class, CoreObject header, behaviors, ids), encoded and decoded again as CoreObject.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openWad, type WadReader } from '../../src/archive/index.js';
import { ObjectPropertyCodec, type OpObject } from '../../src/objectproperty/index.js';
import { stringId } from '../../src/protocol/index.js';
import {
  BehaviorTable, SampleTemplate, TemplateError, TemplateStore, buildClientObject, clientClassOfHeader, permIdOf, sampleTypes, templateOf,
  writeSampleWorld, type ObjectTemplate,
} from '../../src/world/index.js';

const types = sampleTypes();
const context = { types, behaviors: new BehaviorTable(types) };
const placement = { position: { x: 200, y: 100, z: 0 }, orientation: { x: 0, y: 0, z: 1.5 }, scale: 1, zoneTag: 'Welcome' };
const behaviorClasses = (o: OpObject): Array<string | null> => (o['m_inactiveBehaviors'] as Array<OpObject | null>).map((b) => b?.$class ?? null);

describe('templates and client objects', () => {
  let dir: string;
  let root: WadReader;
  let store: TemplateStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imlight-templates-'));
    await writeSampleWorld(dir);
    root = await openWad(join(dir, 'Data', 'GameData', 'Root.wad'));
    store = await TemplateStore.open(root, types);
  });
  after(async () => {
    await root.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('indexes the manifest and decodes templates once, on first use', async () => {
    assert.equal(store.size, 12);
    assert.equal(store.loaded(SampleTemplate.headmaster), undefined);
    const [a, b] = await Promise.all([store.get(SampleTemplate.headmaster), store.get(SampleTemplate.headmaster)]);
    assert.equal(a, b);
    assert.equal(store.loaded(SampleTemplate.headmaster), a);
    assert.equal(a.objectName, 'Sample_NPC_Headmaster');
    assert.deepEqual(a.npc, { level: 50, maxHealth: 5000, school: 'Storm', isMonster: false, nameOverride: '' });
    const beetle = await store.get(SampleTemplate.beetle);
    assert.deepEqual(beetle.path, { pathType: 'PT_LOOP', direction: 1, pauseChance: 0.25, pauseSec: 2 });
    assert.deepEqual(beetle.movement, { speed: 150, scale: 1 });
    assert.equal((await store.get(SampleTemplate.doorHubToMeadow)).interactable, true);
    assert.deepEqual((await store.get(SampleTemplate.sign)).adjectives, ['Critical']);
  });

  it('an unknown template id is a TemplateError', async () => {
    await assert.rejects(store.get(999_999), (e: unknown) => e instanceof TemplateError && /999999.*manifest/.test(e.message));
  });

  it('builds an NPC client object that round-trips through the CoreObject codec', async () => {
    const template = await store.get(SampleTemplate.headmaster);
    const ids = { globalId: 0x1234_5678_9abcn, permId: permIdOf('Sample/Hub', template.id, placement), mobileId: 7 };
    const { object, unmapped } = buildClientObject(context, template, placement, ids);
    assert.deepEqual(unmapped, []);
    assert.equal(object.$class, 'class WizClientObject');
    assert.deepEqual(object.$core, { objectId: 104, namespaceId: 2, templateId: 100 });
    assert.deepEqual(behaviorClasses(object), ['class NPCBehavior', 'class ObjectStateBehavior', 'class AnimationBehavior']);
    const animation = (object['m_inactiveBehaviors'] as OpObject[])[2]!;
    assert.equal(animation['m_idleAnimation'], 'Wave');
    assert.equal(animation['m_behaviorTemplateNameID'], stringId('AnimationBehavior'));
    assert.equal(object['m_zoneTagID'], stringId('Welcome'));
    assert.equal((object['m_gameStats'] as OpObject)['m_level'], 50);

    const codec = new ObjectPropertyCodec(types, { coreObject: true, propertyMask: 0x1c, resolveTemplate: clientClassOfHeader });
    const bytes = codec.encode(object);
    assert.deepEqual(bytes.subarray(0, 6), Buffer.from([104, 2, 100, 0, 0, 0]));
    const back = codec.decode(bytes);
    assert.equal(back['m_globalID'], ids.globalId);
    assert.equal(back['m_nMobileID'], 7);
    assert.deepEqual(back['m_location'], { x: 200, y: 100, z: 0 });
  });

  it('creatures keep PathBehavior but not PathMovementBehavior; items get item classes', async () => {
    const beetle = buildClientObject(context, await store.get(SampleTemplate.beetle), placement, { globalId: 1n, permId: 1n, mobileId: 1 });
    assert.deepEqual(behaviorClasses(beetle.object), ['class NPCBehavior', 'class ObjectStateBehavior', 'class AnimationBehavior', 'class PathBehavior']);
    const moss = buildClientObject(context, await store.get(SampleTemplate.reagent), placement, { globalId: 2n, permId: 2n, mobileId: 2 });
    assert.equal(moss.object.$class, 'class ClientReagentItem');
    assert.deepEqual(moss.object.$core, { objectId: 132, namespaceId: 9, templateId: SampleTemplate.reagent });
  });

  it('an unmapped behavior is a null slot and reported; NPCBehavior brings ObjectStateBehavior', async () => {
    const base = await store.get(SampleTemplate.merchant);
    const raw: OpObject = {
      ...base.raw,
      m_behaviors: [
        { $class: 'class NPCBehaviorTemplate', m_behaviorName: 'NPCBehavior', m_nLevel: 2 },
        { $class: 'class BehaviorTemplate', m_behaviorName: 'MysteryBehavior' },
      ],
    };
    const odd: ObjectTemplate = templateOf(types, 4242, raw);
    const built = buildClientObject(context, odd, placement, { globalId: 3n, permId: 3n, mobileId: 3 });
    assert.deepEqual(built.unmapped, ['MysteryBehavior']);
    assert.deepEqual(behaviorClasses(built.object), ['class NPCBehavior', null, 'class ObjectStateBehavior']);
  });

  it('live values fill the player object', async () => {
    const player = await store.get(SampleTemplate.player);
    const built = buildClientObject(context, player, placement, { globalId: 9n, permId: 9n, mobileId: 3300 }, {
      WizardCharacterBehavior: { m_characterName: 'Ada', m_level: 4 },
      $object: { m_characterId: 9n },
    });
    const character = (built.object['m_inactiveBehaviors'] as OpObject[]).find((b) => b.$class === 'class WizardCharacterBehavior')!;
    assert.equal(character['m_characterName'], 'Ada');
    assert.equal(character['m_level'], 4);
    assert.equal(built.object['m_characterId'], 9n);
    assert.equal(built.object.$core?.templateId, 1);
  });
});
