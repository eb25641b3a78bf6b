import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeWad } from '../../src/archive/index.js';
import {
  decodeDml, DefinitionError, DefinitionSourceError, encodeDml, GAME, LOGIN, MessageRegistry, PATCH, UnknownKindError, WIZARD, WIZARD2,
} from '../../src/protocol/index.js';

const USER_GAME = `<?xml version="1.0"?>
<GameMessages>
  <_ProtocolInfo><RECORD><ServiceID TYPE="UBYT">5</ServiceID><ProtocolType TYPE="STR">GAME</ProtocolType>
    <ProtocolVersion TYPE="INT">2</ProtocolVersion><ProtocolDescription TYPE="STR">user</ProtocolDescription></RECORD></_ProtocolInfo>
  <MSG_CLIENTMOVE><RECORD><_MsgOrder TYPE="UBYT" NOXFER="TRUE">40</_MsgOrder>
    <LocationX TYPE="USHRT"></LocationX><LocationY TYPE="USHRT"></LocationY><LocationZ TYPE="USHRT"></LocationZ>
    <Direction TYPE="UBYT"></Direction><ZoneCounter TYPE="UBYT"></ZoneCounter><Extra TYPE="UINT"></Extra></RECORD></MSG_CLIENTMOVE>
</GameMessages>`;
const USER_PET = `<PetMessages><_ProtocolInfo><RECORD><ServiceID TYPE="UBYT">9</ServiceID><ProtocolType TYPE="STR">PET</ProtocolType></RECORD></_ProtocolInfo>
  <MSG_B><RECORD><X TYPE="INT"></X></RECORD></MSG_B><MSG_A><RECORD></RECORD></MSG_A></PetMessages>`;

const move = { LocationX: 1, LocationY: 2, LocationZ: 3, Direction: 4, ZoneCounter: 5 };

test('the shipped defaults hold SYSTEM, EXTENDEDBASE, GAME, LOGIN, PATCH, WIZARD and WIZARD2 with the orders and access levels of the spec', () => {
  const registry = MessageRegistry.defaults();
  assert.deepEqual(registry.protocols.map((p) => [p.serviceId, p.name]), [[1, 'SYSTEM'], [2, 'EXTENDEDBASE'], [5, 'GAME'], [7, 'LOGIN'], [8, 'PATCH'], [12, 'WIZARD'], [53, 'WIZARD2']]);
  assert.equal(registry.record(WIZARD2.MSG_CLIENTZONED).order, 64);
  assert.equal(registry.record(WIZARD.MSG_TIMEDACCESSPASSES).order, 212);
  assert.equal(registry.record(GAME.MSG_ADDOBJECT).order, 4);
  assert.deepEqual(registry.warnings, []);
  assert.equal(registry.record(GAME.MSG_CLIENTMOVE).order, 36);
  assert.equal(registry.record(GAME.MSG_ZONETRANSFER_REQUEST).order, 253);
  assert.equal(registry.record(LOGIN.MSG_USER_AUTHEN_V3).order, 27);
  assert.equal(registry.record(LOGIN.MSG_USER_AUTHEN_V3).accessLevel, 1);
  assert.equal(registry.record(LOGIN.MSG_USER_VALIDATE).accessLevel, 1);
  assert.equal(registry.record(LOGIN.MSG_REQUESTCHARACTERLIST).accessLevel, 0);
  assert.ok(registry.protocol('PATCH')!.records.every((r) => r.accessLevel === 0));
  assert.equal(registry.byName('EXTENDEDBASE', 'MSG_CUSTOMDICT')!.fields.length, 0);
  assert.equal(registry.byWire(5, 36), registry.record(GAME.MSG_CLIENTMOVE));
  assert.equal(registry.byWire(5, 35), undefined);
  assert.equal(registry.record(LOGIN.MSG_USER_AUTHEN_V3).fields.length, 10);
  assert.equal(registry.record(GAME.MSG_LOGINCOMPLETE).fields.length, 23);
  registry.records.forEach((r, i) => assert.equal(r.index, i));
  assert.equal(MessageRegistry.defaults(), registry);
});

test('a user file for a service replaces the default one; other services are kept', () => {
  const merged = MessageRegistry.defaults().merge(MessageRegistry.fromXml([{ name: 'GameMessages.xml', content: USER_GAME }, { name: 'PetMessages.xml', content: USER_PET }]));
  assert.deepEqual(merged.protocols.map((p) => p.name), ['SYSTEM', 'EXTENDEDBASE', 'GAME', 'LOGIN', 'PATCH', 'PET', 'WIZARD', 'WIZARD2']);
  assert.equal(merged.protocol('GAME')!.records.length, 1);
  assert.throws(() => merged.record(GAME.MSG_SERVERMOVE), UnknownKindError);
  const bytes = encodeDml(merged, GAME.MSG_CLIENTMOVE, { ...move, Extra: 9 } as typeof move);
  assert.deepEqual([bytes[0], bytes[1], bytes.length], [5, 40, 16]);
  const [r] = decodeDml(merged, bytes);
  assert.ok(r?.ok);
  assert.equal(r.data['Extra'], 9);
  assert.deepEqual(merged.protocol('PET')!.records.map((x) => [x.name, x.order]), [['MSG_A', 1], ['MSG_B', 2]]);
  // The defaults themselves are untouched.
  assert.equal(MessageRegistry.defaults().record(GAME.MSG_CLIENTMOVE).order, 36);
  merged.records.forEach((rec, i) => assert.equal(rec.index, i));
});

test('internal services above 100 encode but are never decoded from the wire', () => {
  const internal = MessageRegistry.fromXml([{ name: 'In.xml', content: `<I><_ProtocolInfo><RECORD><ServiceID TYPE="UBYT">150</ServiceID><ProtocolType TYPE="STR">INTERNAL</ProtocolType></RECORD></_ProtocolInfo><MSG_X><RECORD><A TYPE="INT"/></RECORD></MSG_X></I>` }]);
  const bytes = encodeDml(internal, { protocol: 'INTERNAL', name: 'MSG_X' }, { A: 1 });
  assert.equal(internal.byWire(150, 1), undefined);
  const [r] = decodeDml(internal, bytes);
  assert.ok(r && !r.ok && r.error.code === 'ERR_DML_UNKNOWN_MESSAGE');
});

test('a folder of *Messages.xml files loads, nested or not, and a broken file is named in the error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imlight-defs-'));
  try {
    await mkdir(join(dir, 'GameData'));
    await writeFile(join(dir, 'GameData', 'GameMessages.xml'), USER_GAME);
    await writeFile(join(dir, 'petmessages.XML'), USER_PET);
    await writeFile(join(dir, 'Other.xml'), '<not-a-definition/>');
    const registry = await MessageRegistry.fromFolder(dir);
    assert.deepEqual(registry.protocols.map((p) => p.name), ['GAME', 'PET']);
    await writeFile(join(dir, 'BadMessages.xml'), '<X><_ProtocolInfo></X>');
    await assert.rejects(MessageRegistry.fromFolder(dir), (e: unknown) => e instanceof DefinitionError && e.message.includes('BadMessages.xml'));
    await assert.rejects(MessageRegistry.fromFolder(join(dir, 'missing')), DefinitionSourceError);
    await mkdir(join(dir, 'empty'));
    await assert.rejects(MessageRegistry.fromFolder(join(dir, 'empty')), (e: unknown) => e instanceof DefinitionSourceError && e.message.includes('no *Messages.xml'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a Root.wad built by the test is read back: only its *Messages.xml entries, compressed or not", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imlight-wad-'));
  try {
    const wad = writeWad([
      { name: 'GameMessages.xml', data: Buffer.from(USER_GAME), compress: true },
      { name: 'Messages/PetMessages.xml', data: Buffer.from(USER_PET) },
      { name: 'PatchMessagesNotes.txt', data: Buffer.from('not xml') },
      { name: 'ObjectData/x.xml', data: Buffer.from('<x/>'), compress: true },
    ]);
    const path = join(dir, 'Root.wad');
    await writeFile(path, wad);
    const registry = await MessageRegistry.fromRootWad(path);
    assert.deepEqual(registry.protocols.map((p) => p.name), ['GAME', 'PET']);
    assert.match(registry.protocol('GAME')!.source, /Root\.wad:GameMessages\.xml$/);
    const merged = MessageRegistry.defaults().merge(registry);
    assert.equal(merged.record(GAME.MSG_CLIENTMOVE).order, 40);
    assert.equal(merged.record(PATCH.MSG_NEXT_VERSION).order, 3);

    await writeFile(join(dir, 'Empty.wad'), writeWad([{ name: 'a.txt', data: Buffer.from('a') }]));
    await assert.rejects(MessageRegistry.fromRootWad(join(dir, 'Empty.wad')), (e: unknown) => e instanceof DefinitionSourceError && e.message.includes('no *Messages.xml'));
    await writeFile(join(dir, 'Junk.wad'), Buffer.from('definitely not an archive'));
    await assert.rejects(MessageRegistry.fromRootWad(join(dir, 'Junk.wad')), DefinitionSourceError);
    await writeFile(join(dir, 'Bad.wad'), writeWad([{ name: 'LoginMessages.xml', data: Buffer.from('<L><_ProtocolInfo>') }]));
    await assert.rejects(MessageRegistry.fromRootWad(join(dir, 'Bad.wad')), (e: unknown) => e instanceof DefinitionError && e.message.includes('Bad.wad:LoginMessages.xml'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
