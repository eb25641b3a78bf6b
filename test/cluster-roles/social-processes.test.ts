// The social layer across OS processes (issue 18): `imlight login` and two `imlight game` joined by the local NATS,
// sharing one fresh PostgreSQL schema. Friends and presence, a whisper by name to the other process, a group of four
// over both processes with group chat, a fifth refused, the leader leaving, and a killed game process whose member
// leaves the group after the grace period while the others keep it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { KiClient } from '../../src/net/index.js';
import { GAME, LOGIN } from '../../src/protocol/index.js';
import { authenticate } from '../../src/servers/login/index.js';
import { PartyError } from '../../src/servers/social/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { NATS_URL } from '../cluster/support.js';
import { nextMatching, sendAttach } from '../servers/game/game-kit.js';
import { createCharacter, listCharacters, selectCharacter } from '../servers/login/harness.js';
import { postgresTestUrl } from '../store/store-harness.js';
import { DEATH_TIMEOUT, PASSWORD, RoleProcess, skipReason } from './role-process.js';

interface Playing {
  readonly username: string;
  readonly name: string;
  readonly characterId: bigint;
  readonly accountId: bigint;
  readonly port: number;
  readonly client: KiClient;
}

describe('the social layer across a login process and two game processes', async () => {
  const skip = await skipReason();
  const run = randomBytes(4).toString('hex');
  const schema = `social_roles_${run}`;
  const processes: RoleProcess[] = [];
  const clients: KiClient[] = [];
  let store: Store;
  let loginPort = 0;
  let count = 0;

  const common = [
    '--nats-url', NATS_URL, '--database-url', postgresTestUrl, '--set', `database.schema=${schema}`, '--set', 'admin.enabled=false',
    '--set', 'cluster.heartbeatInterval=300ms', '--set', `cluster.deathTimeout=${DEATH_TIMEOUT}`, '--set', 'game.registerRetry=500ms',
    '--set', 'social.memberGrace=2s', '--log-level', 'info',
  ];

  const enter = async (username: string, characterId: bigint, accountId: bigint, name: string): Promise<Playing> => {
    const login = await KiClient.connect({ port: loginPort, host: '127.0.0.1', keepAliveMs: 0 });
    clients.push(login);
    assert.equal((await authenticate(login, username, PASSWORD)).error, 0);
    assert.equal((await login.next(LOGIN.MSG_USER_ADMIT_IND, 10_000)).Status, 1);
    if (characterId === 0n) {
      assert.equal(await createCharacter(login, name), 0);
      characterId = (await listCharacters(login)).characters.find((c) => c.name === name)!.id;
    }
    const selected = await selectCharacter(login, characterId, '', 10_000);
    assert.equal(selected.error, 0);
    login.destroy();
    const client = await KiClient.connect({ port: selected.port, host: '127.0.0.1', keepAliveMs: 0 });
    clients.push(client);
    sendAttach(client, selected.key, accountId, characterId);
    await client.next(GAME.MSG_LOGINCOMPLETE, 10_000);
    // The SocialService tells the directory once the player is in: its ignore list comes first.
    await client.next(GAME.MSG_IGNORELIST, 10_000);
    return { username, name, characterId, accountId, port: selected.port, client };
  };
  const newPlayer = async (): Promise<Playing> => {
    const n = ++count;
    const username = `social${n}${run}`;
    const account = await store.accounts.create({ username, password: PASSWORD });
    return enter(username, 0n, account.id, `Pal${n}x${run}`);
  };

  before(async () => {
    if (skip !== false) return;
    store = await openStore({ databaseUrl: postgresTestUrl, postgresSchema: schema });
  });
  after(async () => {
    if (process.env['IMLIGHT_TEST_DUMP'] === '1') for (const p of processes) console.log(p.label, p.tail(40));
    for (const client of clients) client.destroy();
    await Promise.all(processes.map((p) => p.stop()));
    if (skip !== false) return;
    await store.close();
    const admin = new pg.Client({ connectionString: postgresTestUrl });
    await admin.connect();
    try {
      await admin.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await admin.end();
    }
  });

  it('friends, whispers and groups work across processes and a killed process only loses its own members', { skip, timeout: 240_000 }, async () => {
    const login = new RoleProcess('login', 'login', [
      ...common, '--set', `cluster.nodeName=login-${run}`, '--set', 'login.host=127.0.0.1', '--set', 'login.port=0', '--set', 'login.pool.selection=round-robin',
    ]);
    processes.push(login);
    loginPort = (await login.waitFor('login server listening', {}, 1, 90_000))['port'] as number;
    const games = [1, 2].map((i) => {
      const game = new RoleProcess(`game ${i}`, 'game', [
        ...common, '--set', `cluster.nodeName=game${i}-${run}`, '--set', `game.name=S${i}`, '--set', 'game.host=127.0.0.1', '--set', 'game.port=0',
      ]);
      processes.push(game);
      return game;
    });
    const ports = new Map<number, number>();
    for (const [i, game] of games.entries()) {
      ports.set((await game.waitFor('game server started', { server: `S${i + 1}`, registered: true }, 1, 90_000))['port'] as number, i);
      await game.waitFor('social directory found on the login node', {}, 1, 90_000);
    }

    // Round-robin: players alternate between the two processes.
    const [a, b, c, d, e] = [await newPlayer(), await newPlayer(), await newPlayer(), await newPlayer(), await newPlayer()] as [Playing, Playing, Playing, Playing, Playing];
    assert.notEqual(a.port, b.port, 'a and b are on different processes');
    assert.equal(a.port, c.port);

    // A friend request accepted across processes.
    a.client.send(GAME.MSG_BUDDYREQUESTADD, { ListOwnerGID: a.characterId, EntryGID: b.characterId, OwnerName: a.name, OwnerLevel: 1, OwnerSchool: '', Remove: 0 });
    assert.equal((await b.client.next(GAME.MSG_BUDDYREQUESTADDFWD, 10_000)).ListOwnerGID, a.characterId);
    b.client.send(GAME.MSG_BUDDYREQUESTACCEPT, {
      ListOwnerGID: b.characterId, EntryGID: a.characterId, OwnerName: b.name, EntryName: a.name, SourceObjectID: 0n, DestObjectID: 0n, Error: 0,
      Permissions: 0, Forwarded: 0, EntryLocale: 0, FriendInfo: 0, FriendDate: 0, FriendStatusDate: 0, PreviousName: '',
    });
    await a.client.next(GAME.MSG_BUDDYREQUESTACCEPTFWD, 10_000);
    assert.equal((await nextMatching(a.client, GAME.MSG_BUDDYENTRY, (x) => x.EntryGID === b.characterId, 10_000)).Status, 4);

    // A whisper by name to a player on the other process.
    a.client.send(GAME.MSG_REQUESTDIRECTEDCHATBYNAME, { Message: 'across', TargetName: d.name.toUpperCase() });
    assert.equal((await d.client.next(GAME.MSG_DIRECTEDCHAT, 10_000)).Message.toString(), 'across');
    assert.equal((await a.client.next(GAME.MSG_DIRECTEDCHATBYNAMERESPONSE, 10_000)).TargetID, d.characterId);

    // A group of four over both processes, group chat, a fifth refused.
    let channel = 0n;
    for (const member of [b, c, d]) {
      a.client.send(GAME.MSG_PARTYREQUESTINVITE, { SourceCharacterID: a.characterId, SourceGlobalID: 0n, TargetCharacterID: member.characterId, TargetGlobalID: 0n, FromAdventureParty: 0 });
      const offer = await member.client.next(GAME.MSG_PARTYREQUESTJOIN, 10_000);
      member.client.send(GAME.MSG_PARTYREQUESTACCEPT, { SourceCharacterID: member.characterId, PartyID: offer.PartyID });
      channel = (await member.client.next(GAME.MSG_PARTYJOINNOTIFICATION, 10_000)).ChannelID;
      assert.equal((await nextMatching(a.client, GAME.MSG_PARTYREQUESTRESPONSE, (r) => r.TargetCharacterID === member.characterId, 10_000)).ErrorCode, 0);
    }
    a.client.send(GAME.MSG_PARTYREQUESTINVITE, { SourceCharacterID: a.characterId, SourceGlobalID: 0n, TargetCharacterID: e.characterId, TargetGlobalID: 0n, FromAdventureParty: 0 });
    assert.equal((await nextMatching(a.client, GAME.MSG_PARTYREQUESTRESPONSE, (r) => r.TargetCharacterID === e.characterId, 10_000)).ErrorCode, PartyError.GroupFull);
    d.client.send(GAME.MSG_CHANNELCHAT, { SourceName: '', SourceID: 0n, Message: 'group hello', TargetID: channel, Filter: 0, Flags: 0 });
    for (const member of [a, b, c, d]) assert.equal((await member.client.next(GAME.MSG_CHANNELCHAT, 10_000)).Message.toString(), 'group hello');

    // The leader leaves: the longest-standing member (b) leads.
    a.client.send(GAME.MSG_PARTYLEAVE, { SourceCharacterID: a.characterId });
    assert.equal((await nextMatching(c.client, GAME.MSG_PARTYUPDATE, (u) => u.LeaderGID === b.characterId, 10_000)).LeaderGID, b.characterId);

    // Presence: b logs out and back in; a (its friend, on the other process) sees both.
    b.client.destroy();
    assert.equal((await nextMatching(a.client, GAME.MSG_BUDDYSTATUSUPDATE, (u) => u.EntryGID === b.characterId, 10_000)).Status, 1);
    const b2 = await enter(b.username, b.characterId, b.accountId, b.name);
    assert.equal((await nextMatching(a.client, GAME.MSG_BUDDYSTATUSUPDATE, (u) => u.EntryGID === b.characterId && u.Status === 4, 10_000)).Status, 4);
    // Back within the grace period: b is still in the group (and still leads).
    assert.equal((await b2.client.next(GAME.MSG_PARTYJOINNOTIFICATION, 10_000)).ChannelID, channel);

    // The process of c is killed: c leaves the group after the grace period; b and d keep it.
    const doomed = ports.get(c.port)!;
    games[doomed]!.kill('SIGKILL');
    await games[doomed]!.exited;
    const survivor = [b2, d].find((p) => p.port !== c.port)!;
    const left = await nextMatching(survivor.client, GAME.MSG_PARTYLEAVENOTIFICATION, (n) => n.CharacterID === c.characterId, 30_000);
    assert.equal(left.PartyTotalSize, 2);
  });
});
