// The social layer end to end in one process (SQLite): real sockets, players on two game servers of one
// login server. Friends and presence, whispers, ignore, groups, emotes, and hostile input.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GAME } from '../../../src/protocol/index.js';
import type { KiClient } from '../../../src/net/index.js';
import { SelectionPolicy } from '../../../src/servers/login/index.js';
import { FriendError, PartyError } from '../../../src/servers/social/index.js';
import { nextMatching, say, startGameKit, type GameKit, type Player } from '../game/game-kit.js';

const STATUS_ONLINE = 4;
const STATUS_OFFLINE = 1;

export function befriend(from: Player, to: Player): Promise<void> {
  return (async () => {
    from.client.send(GAME.MSG_BUDDYREQUESTADD, { ListOwnerGID: from.characterId, EntryGID: to.characterId, OwnerName: from.name, OwnerLevel: 1, OwnerSchool: '', Remove: 0 });
    const fwd = await to.client.next(GAME.MSG_BUDDYREQUESTADDFWD, 5000);
    assert.equal(fwd.ListOwnerGID, from.characterId);
    to.client.send(GAME.MSG_BUDDYREQUESTACCEPT, {
      ListOwnerGID: to.characterId, EntryGID: from.characterId, OwnerName: to.name, EntryName: from.name, SourceObjectID: 0n, DestObjectID: 0n, Error: 0,
      Permissions: 0, Forwarded: 0, EntryLocale: 0, FriendInfo: 0, FriendDate: 0, FriendStatusDate: 0, PreviousName: '',
    });
    await from.client.next(GAME.MSG_BUDDYREQUESTACCEPTFWD, 5000);
  })();
}

const whisperByName = (from: Player, name: string, text: string) => from.client.send(GAME.MSG_REQUESTDIRECTEDCHATBYNAME, { Message: text, TargetName: name });
const invite = (from: Player, to: Player) =>
  from.client.send(GAME.MSG_PARTYREQUESTINVITE, { SourceCharacterID: from.characterId, SourceGlobalID: from.characterId, TargetCharacterID: to.characterId, TargetGlobalID: 0n, FromAdventureParty: 0 });

async function joinGroup(leader: Player, member: Player): Promise<bigint> {
  invite(leader, member);
  const offer = await member.client.next(GAME.MSG_PARTYREQUESTJOIN, 5000);
  assert.equal(offer.CharacterID, leader.characterId);
  member.client.send(GAME.MSG_PARTYREQUESTACCEPT, { SourceCharacterID: member.characterId, PartyID: offer.PartyID });
  const joined = await member.client.next(GAME.MSG_PARTYJOINNOTIFICATION, 5000);
  assert.equal(joined.PartyID, offer.PartyID);
  assert.equal((await nextMatching(leader.client, GAME.MSG_PARTYREQUESTRESPONSE, (r) => r.TargetCharacterID === member.characterId)).ErrorCode, PartyError.None);
  return joined.ChannelID;
}

async function stillServed(client: KiClient, player: Player): Promise<void> {
  client.send(GAME.MSG_REQUESTMAXFRIENDS, { RequestingPlayerGID: player.characterId, MaximumFriends: 0, MaximumSubscriberFriends: 0 });
  assert.equal((await client.next(GAME.MSG_REQUESTMAXFRIENDS, 5000)).MaximumFriends, 100);
}

describe('social layer across two game servers of one process', () => {
  let kit: GameKit;
  before(async () => {
    kit = await startGameKit({ login: { settings: { pool: { selection: SelectionPolicy.RoundRobin } } } });
    await kit.addGameServer('Game2');
  });
  after(async () => {
    await kit?.close();
  });

  it('a friend request accepted shows each to the other, with presence on logout and login', async () => {
    const ada = await kit.newPlayer('ada1', { characterName: 'Ada' });
    const bo = await kit.newPlayer('bo1', { characterName: 'Bo' });
    await befriend(ada, bo);
    const entry = await nextMatching(ada.client, GAME.MSG_BUDDYENTRY, (e) => e.EntryGID === bo.characterId);
    assert.equal(entry.Status, STATUS_ONLINE);
    assert.equal(entry.Name.toString(), 'Bo');
    ada.client.send(GAME.MSG_BUDDYREQUESTLIST, { ListOwnerGID: ada.characterId, Forwarded: 0 });
    assert.equal((await ada.client.next(GAME.MSG_BUDDYENTRY, 5000)).EntryGID, bo.characterId);
    await ada.client.next(GAME.MSG_BUDDYLISTCOMPLETE, 5000);

    bo.client.destroy();
    const offline = await nextMatching(ada.client, GAME.MSG_BUDDYSTATUSUPDATE, (u) => u.EntryGID === bo.characterId);
    assert.equal(offline.Status, STATUS_OFFLINE);
    const back = await kit.relog(bo);
    const online = await nextMatching(ada.client, GAME.MSG_BUDDYSTATUSUPDATE, (u) => u.EntryGID === bo.characterId);
    assert.equal(online.Status, STATUS_ONLINE);
    back.client.send(GAME.MSG_BUDDYREQUESTLIST, { ListOwnerGID: bo.characterId, Forwarded: 0 });
    const listed = await back.client.next(GAME.MSG_BUDDYENTRY, 5000);
    assert.deepEqual([listed.EntryGID, listed.Status], [ada.characterId, STATUS_ONLINE]);
  });

  it('whispers by name and by id reach the other game server; unknown targets fail', async () => {
    const cy = await kit.newPlayer('cy1', { characterName: 'Cy' });
    const di = await kit.newPlayer('di1', { characterName: 'Di' });
    assert.notEqual(cy.selected.port, di.selected.port, 'the two players are on different game servers');
    whisperByName(cy, 'dI', 'psst');
    const heard = await di.client.next(GAME.MSG_DIRECTEDCHAT, 5000);
    assert.deepEqual([heard.Message.toString(), heard.SourceID], ['psst', cy.characterId]);
    assert.equal((await cy.client.next(GAME.MSG_DIRECTEDCHATBYNAMERESPONSE, 5000)).TargetID, di.characterId);
    assert.equal((await cy.client.next(GAME.MSG_DIRECTEDCHAT, 5000)).Message.toString(), 'psst', 'the sender gets a copy');
    di.client.send(GAME.MSG_REQUESTDIRECTEDCHAT, { Message: 'back', TargetID: cy.characterId });
    assert.equal((await cy.client.next(GAME.MSG_DIRECTEDCHAT, 5000)).Message.toString(), 'back');
    whisperByName(cy, 'Nobody', 'hello?');
    await cy.client.next(GAME.MSG_DIRECTEDCHATFAIL, 5000);
  });

  it('ignore blocks whispers, friend requests and group invites, and lifts again', async () => {
    const ed = await kit.newPlayer('ed1', { characterName: 'Ed' });
    const flo = await kit.newPlayer('flo1', { characterName: 'Flo' });
    flo.client.send(GAME.MSG_IGNOREADD, { ListOwnerGID: flo.characterId, CharacterGID: ed.characterId, GameObjectGID: 0n, CharacterName: '', Forwarded: 0 });
    assert.equal((await flo.client.next(GAME.MSG_IGNOREADD, 5000)).CharacterName.toString(), 'Ed');
    whisperByName(ed, 'Flo', 'hey');
    await ed.client.next(GAME.MSG_DIRECTEDCHATFAIL, 5000);
    ed.client.send(GAME.MSG_BUDDYREQUESTADD, { ListOwnerGID: ed.characterId, EntryGID: flo.characterId, OwnerName: 'Ed', OwnerLevel: 1, OwnerSchool: '', Remove: 0 });
    assert.equal((await ed.client.next(GAME.MSG_BUDDYREQUESTERROR, 5000)).Error, FriendError.Ignored);
    invite(ed, flo);
    assert.equal((await ed.client.next(GAME.MSG_PARTYREQUESTRESPONSE, 5000)).ErrorCode, PartyError.Ignored);
    flo.client.send(GAME.MSG_IGNOREDROP, { ListOwnerGID: flo.characterId, CharacterGID: ed.characterId, GameObjectGID: 0n, Forwarded: 0 });
    await flo.client.next(GAME.MSG_IGNOREDROP, 5000);
    whisperByName(ed, 'Flo', 'now?');
    assert.equal((await flo.client.next(GAME.MSG_DIRECTEDCHAT, 5000)).Message.toString(), 'now?');
  });

  it('a group of four over two game servers chats; a fifth is refused; the leader leaves and leadership passes', async () => {
    const members = [];
    for (const name of ['Gus', 'Hal', 'Ivy', 'Jo', 'Kai']) members.push(await kit.newPlayer(`${name.toLowerCase()}1`, { characterName: name }));
    const [gus, hal, ivy, jo, kai] = members as [Player, Player, Player, Player, Player];
    const channel = await joinGroup(gus, hal);
    await joinGroup(gus, ivy);
    await joinGroup(gus, jo);
    invite(gus, kai);
    assert.equal((await nextMatching(gus.client, GAME.MSG_PARTYREQUESTRESPONSE, (r) => r.TargetCharacterID === kai.characterId)).ErrorCode, PartyError.GroupFull);

    hal.client.send(GAME.MSG_CHANNELCHAT, { SourceName: '', SourceID: 0n, Message: 'hi all', TargetID: channel, Filter: 0, Flags: 0 });
    for (const p of [gus, hal, ivy, jo]) {
      const chat = await nextMatching(p.client, GAME.MSG_CHANNELCHAT, () => true);
      assert.deepEqual([chat.Message.toString(), chat.SourceID], ['hi all', hal.characterId]);
    }

    gus.client.send(GAME.MSG_PARTYLEAVE, { SourceCharacterID: gus.characterId });
    const left = await nextMatching(ivy.client, GAME.MSG_PARTYLEAVENOTIFICATION, (n) => n.CharacterID === gus.characterId);
    assert.equal(left.PartyTotalSize, 3);
    const update = await nextMatching(ivy.client, GAME.MSG_PARTYUPDATE, (u) => u.LeaderGID === hal.characterId);
    assert.equal(update.LeaderGID, hal.characterId, 'the longest-standing member leads');
  });

  it('emotes reach the zone, the typed-line "Chat" emote does not', async () => {
    const three = [await kit.newPlayer('lu1', { characterName: 'Lu' }), await kit.newPlayer('mo1', { characterName: 'Mo' }), await kit.newPlayer('nu1', { characterName: 'Nu' })];
    // Logins alternate between the two servers: two of three consecutive players share one (and its start zone).
    const actor = three.find((p, i) => three.some((q, j) => j !== i && q.selected.port === p.selected.port))!;
    const watcher = three.find((q) => q !== actor && q.selected.port === actor.selected.port)!;
    actor.client.send(GAME.MSG_COREEMOTE, { Name: 'Chat', ExcludeOriginator: 1, PhraseID: 0 });
    say(actor.client, 'a typed line');
    actor.client.send(GAME.MSG_COREEMOTE, { Name: 'Wave', ExcludeOriginator: 1, PhraseID: 7 });
    const emote = await watcher.client.next(GAME.MSG_COREEMOTE, 5000);
    assert.equal(emote.Name.toString(), 'Wave', 'the Chat emote was not relayed');
    assert.equal(emote.PhraseID, 7);
  });

  it('bad input gets error replies and ends nothing', async () => {
    const ned = await kit.newPlayer('ned1', { characterName: 'Ned' });
    ned.client.send(GAME.MSG_BUDDYREQUESTADD, { ListOwnerGID: ned.characterId, EntryGID: ned.characterId, OwnerName: 'Ned', OwnerLevel: 1, OwnerSchool: '', Remove: 0 });
    assert.equal((await ned.client.next(GAME.MSG_BUDDYREQUESTERROR, 5000)).Error, FriendError.Self);
    ned.client.send(GAME.MSG_BUDDYREQUESTADD, { ListOwnerGID: ned.characterId, EntryGID: 2n ** 63n, OwnerName: 'Ned', OwnerLevel: 1, OwnerSchool: '', Remove: 0 });
    assert.equal((await ned.client.next(GAME.MSG_BUDDYREQUESTERROR, 5000)).Error, FriendError.Offline);
    whisperByName(ned, 'x'.repeat(500), 'long name');
    await ned.client.next(GAME.MSG_DIRECTEDCHATFAIL, 5000);
    ned.client.send(GAME.MSG_REQUESTDIRECTEDCHAT, { Message: 'to myself', TargetID: ned.characterId });
    await ned.client.next(GAME.MSG_DIRECTEDCHATFAIL, 5000);
    ned.client.send(GAME.MSG_REQUESTDIRECTEDCHAT, { Message: 'y'.repeat(5000), TargetID: 1n });
    await ned.client.next(GAME.MSG_DIRECTEDCHATFAIL, 5000);
    ned.client.send(GAME.MSG_IGNOREADD, { ListOwnerGID: ned.characterId, CharacterGID: 2n ** 62n, GameObjectGID: 0n, CharacterName: '', Forwarded: 0 });
    await ned.client.next(GAME.MSG_CHATERROR, 5000);
    ned.client.send(GAME.MSG_PARTYREQUESTINVITE, { SourceCharacterID: 0n, SourceGlobalID: 0n, TargetCharacterID: 12345n, TargetGlobalID: 0n, FromAdventureParty: 0 });
    assert.equal((await ned.client.next(GAME.MSG_PARTYREQUESTRESPONSE, 5000)).ErrorCode, PartyError.Offline);
    ned.client.send(GAME.MSG_PARTYREQUESTACCEPT, { SourceCharacterID: 0n, PartyID: 999n });
    await ned.client.next(GAME.MSG_PARTYJOINFAILED, 5000);
    // A flood: every whisper past the rate fails alone; the session stays.
    for (let i = 0; i < 50; i++) whisperByName(ned, 'Nobody', `flood ${i}`);
    for (let i = 0; i < 50; i++) await ned.client.next(GAME.MSG_DIRECTEDCHATFAIL, 5000);
    await stillServed(ned.client, ned);
  });
});
