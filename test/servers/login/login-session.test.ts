import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOGIN } from '../../../src/protocol/index.js';
import { AuthenError, CharacterError, SelectError } from '../../../src/servers/login/index.js';
import {
  createCharacter, deleteCharacter, listCharacters, registerTestGameServer, selectCharacter, startLoginHarness,
} from './harness.js';

test('a full login session: handshake, authenticate, admit, list, create, list again, delete, select', async () => {
  const h = await startLoginHarness();
  try {
    const account = await h.createAccount('Merlin');
    const game = await registerTestGameServer(h, { name: 'game-a', address: '10.0.0.5', port: 12333 });
    assert.equal(game.reply.type, 'pool.registered');

    const { client, auth, admit } = await h.logIn('merlin', undefined, { machineId: 77n });
    assert.equal(auth.error, AuthenError.Ok);
    assert.equal(auth.userId, account.id);
    assert.equal(auth.clientKey2.length, 44, 'a base64 ClientKey2 of 32 bytes');
    assert.deepEqual(admit, { Status: 1, PositionInQueue: 0 });
    const stored = await h.store.sessionKeys.find(account.id, 77n, new Date());
    assert.equal(stored?.key, auth.clientKey2);
    await waitFor(async () => (await h.store.onlinePlayers.findByAccount(account.id)).length === 1, 'the admitted session is online');
    assert.equal((await h.store.onlinePlayers.findByAccount(account.id))[0]!.server, 'Login');

    const empty = await listCharacters(client);
    assert.deepEqual(empty, { error: 0, slots: 6, characters: [] });

    assert.equal(await createCharacter(client, 'Merle'), CharacterError.Ok);
    assert.equal(await createCharacter(client, 'Nimue'), CharacterError.Ok);
    const listed = await listCharacters(client);
    assert.equal(listed.error, 0);
    assert.deepEqual(listed.characters.map((c) => [c.name, c.zone, c.location]), [['Merle', 'Start', 'Start'], ['Nimue', 'Start', 'Start']]);

    const [merle, nimue] = listed.characters;
    assert.equal(await deleteCharacter(client, nimue!.id), CharacterError.Ok);
    assert.deepEqual((await listCharacters(client)).characters.map((c) => c.name), ['Merle']);

    const selected = await selectCharacter(client, merle!.id);
    assert.equal(selected.error, SelectError.Ok);
    assert.equal(selected.ip, '10.0.0.5');
    assert.equal(selected.port, 12333);
    assert.equal(selected.userId, account.id);
    assert.equal(selected.characterId, merle!.id);
    assert.equal(selected.zoneName, 'Start');
    assert.equal(selected.location, 'Start');
    assert.equal(selected.loginServer, 'Login');
    // The key is in the store for that server, and the game server was handed it.
    await waitFor(() => game.state.grants.length === 1, 'the grant reached the game server');
    assert.equal(game.state.grants[0]!.key, selected.key);
    assert.equal(game.state.grants[0]!.characterId, merle!.id);
    assert.equal((await client.closed).reason, 'remote', 'the login session closes after the selection');
    const consumed = await h.store.loginKeys.consumeLoginKey(selected.key, 'game-a', new Date());
    assert.equal(consumed?.accountId, account.id);
    await waitFor(async () => (await h.store.onlinePlayers.findByAccount(account.id)).length === 0, 'the login entry is removed');
  } finally {
    await h.close();
  }
});

test('select answers with the last saved zone and location of the character', async () => {
  const h = await startLoginHarness();
  try {
    const account = await h.createAccount('Gandalf');
    await registerTestGameServer(h, { name: 'game-z' });
    const character = await h.store.characters.create({ accountId: account.id, name: 'Grey' });
    await h.store.characters.save(character.id, { expectedVersion: 1, zoneName: 'WizardCity/WC_Ravenwood', zoneId: 42n, location: { x: 1.5, y: -2, z: 3, yaw: 0.25 } });
    const { client } = await h.logInAdmitted('Gandalf');
    const selected = await selectCharacter(client, character.id);
    assert.equal(selected.error, 0);
    assert.equal(selected.zoneName, 'WizardCity/WC_Ravenwood');
    assert.equal(selected.zoneId, 42n);
    assert.equal(selected.location, '1.5,-2,3,0.25');
  } finally {
    await h.close();
  }
});

test('select without any game server is an error reply and the session stays open', async () => {
  const h = await startLoginHarness();
  try {
    await h.createAccount('Alone');
    const { client } = await h.logInAdmitted('Alone');
    assert.equal(await createCharacter(client, 'Solo'), 0);
    const [solo] = (await listCharacters(client)).characters;
    const selected = await selectCharacter(client, solo!.id);
    assert.equal(selected.error, SelectError.NoServer);
    assert.equal(selected.key, '');
    assert.equal(client.isClosed, false);
    // Still usable.
    assert.equal((await listCharacters(client)).characters.length, 1);
  } finally {
    await h.close();
  }
});

test('characters: another account\'s character can neither be deleted nor selected', async () => {
  const h = await startLoginHarness();
  try {
    await h.createAccount('Owner');
    await h.createAccount('Thief');
    await registerTestGameServer(h);
    const owner = await h.logInAdmitted('Owner');
    assert.equal(await createCharacter(owner.client, 'Precious'), 0);
    const [precious] = (await listCharacters(owner.client)).characters;
    const thief = await h.logInAdmitted('Thief');
    assert.equal(await deleteCharacter(thief.client, precious!.id), CharacterError.NotFound);
    assert.equal((await selectCharacter(thief.client, precious!.id)).error, SelectError.NotFound);
    assert.equal((await listCharacters(owner.client)).characters.length, 1);
  } finally {
    await h.close();
  }
});

test('characters: limit, name rules, uniqueness and a malformed blob are error replies, not crashes', async () => {
  const h = await startLoginHarness({ characterLimit: 2, uniqueCharacterNames: true });
  try {
    await h.createAccount('Maker');
    await h.createAccount('Other');
    const { client } = await h.logInAdmitted('Maker');
    assert.equal((await listCharacters(client)).slots, 2);
    // A truncated stand-in: IMCH, version 1, then half an id.
    const malformed = Buffer.from([0x49, 0x4d, 0x43, 0x48, 1, 0, 1, 2, 3]);
    assert.equal(await createCharacter(client, malformed), CharacterError.Malformed);
    assert.equal(await createCharacter(client, 'x'.repeat(33)), CharacterError.Malformed);
    assert.equal(await createCharacter(client, ' padded'), CharacterError.InvalidName);
    assert.equal(await createCharacter(client, 'Unique'), CharacterError.Ok);
    // Opaque bytes: the server names the character itself.
    assert.equal(await createCharacter(client, Buffer.from('opaque client data')), CharacterError.Ok);
    assert.equal(await createCharacter(client, 'Third'), CharacterError.LimitReached);
    const names = (await listCharacters(client)).characters.map((c) => c.name);
    assert.equal(names.length, 2);
    assert.ok(names.includes('Unique'));
    assert.match(names.find((n) => n !== 'Unique')!, /^Wizard\d{6}$/);
    const other = await h.logInAdmitted('Other');
    assert.equal(await createCharacter(other.client, 'unique'), CharacterError.NameTaken);
    assert.equal(client.isClosed, false);
  } finally {
    await h.close();
  }
});

test('character requests before admission are refused with NotAdmitted', async () => {
  const h = await startLoginHarness();
  try {
    const client = await h.connect();
    const list = await listCharacters(client);
    assert.equal(list.error, CharacterError.NotAdmitted);
    assert.equal(await createCharacter(client, 'Early'), CharacterError.NotAdmitted);
    client.send(LOGIN.MSG_SELECTCHARACTER, { CharID: 1n, ServerName: '' });
    assert.equal((await client.next(LOGIN.MSG_CHARACTERSELECTED, 2000)).Error, SelectError.NotAdmitted);
  } finally {
    await h.close();
  }
});

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
