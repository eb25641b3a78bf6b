// The SocialDirectory and its groups as pure actors on virtual time, players stood in for by probes.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ActorRef } from '../../../src/runtime/index.js';
import { TestProbe } from '../../../src/runtime/testkit/index.js';
import {
  PartyError, resolveSocialSettings, socialDirectoryProps, type DirectoryMessage, type GroupOfReply, type PlayerPresence, type SocialEvent,
} from '../../../src/servers/social/index.js';
import { testSystem, type TestSystem } from '../../runtime/support.js';

interface Player {
  readonly id: bigint;
  readonly probe: TestProbe<SocialEvent>;
  readonly presence: PlayerPresence;
}

describe('social directory', () => {
  let t: TestSystem;
  let directory: ActorRef<DirectoryMessage>;
  const settings = resolveSocialSettings({ inviteTimeoutMs: 30_000, memberGraceMs: 30_000 });

  beforeEach(() => {
    t = testSystem('social');
    directory = t.system.spawn(socialDirectoryProps({ settings }), 'social');
  });
  afterEach(async () => {
    await t.system.terminate();
  });

  let ids = 100n;
  function player(name: string, friendIds: bigint[] = [], server = 'Game1'): Player {
    const id = ++ids;
    const probe = new TestProbe<SocialEvent>(t.system, `inbox-${name}-${id}`);
    const presence: PlayerPresence = { characterId: id, name, server, zone: 'Start', realm: 'Imlight', level: 1, school: 0, inbox: probe.ref };
    directory.tell({ type: 'social.online', presence, friendIds });
    return { id, probe, presence };
  }
  const expectType = <T extends SocialEvent['type']>(p: Player, type: T) =>
    p.probe.fishForMessage((m) => m.type === type) as Promise<Extract<SocialEvent, { type: T }>>;

  it('fans presence out to online friends only, on login, zone change and logout', async () => {
    const a = player('Ada');
    const b = player('Bo', [a.id]);
    const status = await expectType(a, 'social.friend-status');
    assert.deepEqual([status.friendId, status.online, status.zone], [b.id, true, 'Start']);
    directory.tell({ type: 'social.moved', characterId: b.id, inbox: b.probe.ref, zone: 'Town/Square' });
    assert.equal((await expectType(a, 'social.friend-status')).zone, 'Town/Square');
    directory.tell({ type: 'social.offline', characterId: b.id, inbox: b.probe.ref });
    const gone = await expectType(a, 'social.friend-status');
    assert.equal(gone.online, false);
    await b.probe.expectNoMessage(10);
  });

  it('an offline notice of an older session does not remove the newer one', async () => {
    const a = player('Ada');
    const older = new TestProbe<SocialEvent>(t.system);
    directory.tell({ type: 'social.offline', characterId: a.id, inbox: older.ref });
    const probe = new TestProbe<{ type: string; online: PlayerPresence[] }>(t.system);
    directory.tell({ type: 'social.lookup', ids: [a.id, 999n], replyTo: probe.ref as ActorRef<never> });
    assert.deepEqual((await probe.expectMessage()).online.map((p) => p.characterId), [a.id]);
  });

  it('routes by id and by case-insensitive name, and answers the sender when the target is offline', async () => {
    const a = player('Ada');
    const b = player('Bo');
    const event: SocialEvent = { type: 'social.whisper-in', kind: 'text', fromId: a.id, fromName: 'Ada', fromInbox: a.probe.ref, text: Buffer.from('hi'), phraseId: 0, byName: true };
    directory.tell({ type: 'social.route', targetName: 'bO', event, failTo: a.probe.ref, failEvent: { type: 'social.whisper-failed' } });
    assert.equal((await expectType(b, 'social.whisper-in')).text.toString(), 'hi');
    directory.tell({ type: 'social.route', targetName: 'Nobody', event, failTo: a.probe.ref, failEvent: { type: 'social.whisper-failed' } });
    await expectType(a, 'social.whisper-failed');
  });

  it('a group of four: invites, accepts, chat, a fifth refused, leader leaves and the longest-standing member leads', async () => {
    const [a, b, c, d, e] = ['Ada', 'Bo', 'Cy', 'Di', 'Ed'].map((n) => player(n));
    const join = async (p: Player) => {
      directory.tell({ type: 'social.group-invite', inviterId: a!.id, inviterInbox: a!.probe.ref, targetId: p.id });
      const invited = await expectType(p, 'social.group-invited');
      assert.equal(invited.inviterId, a!.id);
      directory.tell({ type: 'social.group-answer', characterId: p.id, partyId: invited.partyId, accept: true, reason: 0 });
      assert.equal((await expectType(a!, 'social.group-invite-result')).errorCode, PartyError.None);
      return invited.partyId;
    };
    const party = await join(b!);
    await join(c!);
    await join(d!);
    const state = await expectType(d!, 'social.group-state');
    assert.equal(state.group.members.length, 4);
    assert.equal(state.group.partyId, party);
    directory.tell({ type: 'social.group-invite', inviterId: a!.id, inviterInbox: a!.probe.ref, targetName: 'ed' });
    assert.equal((await expectType(a!, 'social.group-invite-result')).errorCode, PartyError.GroupFull);
    await e!.probe.expectNoMessage(10);

    directory.tell({ type: 'social.group-chat', characterId: c!.id, channelId: state.group.channelId, text: Buffer.from('hello group') });
    for (const p of [a, b, c, d]) assert.equal((await expectType(p!, 'social.group-chat-in')).text.toString(), 'hello group');
    directory.tell({ type: 'social.group-chat', characterId: e!.id, channelId: state.group.channelId, text: Buffer.from('intruder') });
    directory.tell({ type: 'social.group-chat', characterId: c!.id, channelId: 12345n, text: Buffer.from('wrong channel') });
    await b!.probe.expectNoMessage(10);

    directory.tell({ type: 'social.group-leave', characterId: a!.id });
    assert.equal((await expectType(b!, 'social.group-left')).characterId, a!.id);
    const led = await expectType(c!, 'social.group-state');
    assert.equal(led.group.leaderId, b!.id);
    assert.equal(led.group.members.length, 3);
    // Only the leader kicks.
    directory.tell({ type: 'social.group-leave', characterId: c!.id, targetId: d!.id });
    assert.equal((await expectType(c!, 'social.group-invite-result')).errorCode, PartyError.NotLeader);
    directory.tell({ type: 'social.group-leave', characterId: b!.id, targetId: d!.id });
    assert.equal((await expectType(c!, 'social.group-left')).characterId, d!.id);
    directory.tell({ type: 'social.group-leave', characterId: c!.id });
    await expectType(b!, 'social.group-disbanded');
    // The group ended: B can start another.
    directory.tell({ type: 'social.group-invite', inviterId: b!.id, inviterInbox: b!.probe.ref, targetId: e!.id });
    await expectType(e!, 'social.group-invited');
  });

  it('refuses invites to oneself, to offline players and to members of another group, and ignores bad party ids', async () => {
    const [a, b, c] = ['Ada', 'Bo', 'Cy'].map((n) => player(n));
    directory.tell({ type: 'social.group-invite', inviterId: a!.id, inviterInbox: a!.probe.ref, targetId: a!.id });
    assert.equal((await expectType(a!, 'social.group-invite-result')).errorCode, PartyError.Self);
    directory.tell({ type: 'social.group-invite', inviterId: a!.id, inviterInbox: a!.probe.ref, targetName: 'x'.repeat(40) });
    assert.equal((await expectType(a!, 'social.group-invite-result')).errorCode, PartyError.Offline);
    directory.tell({ type: 'social.group-invite', inviterId: a!.id, inviterInbox: a!.probe.ref, targetId: b!.id });
    const invited = await expectType(b!, 'social.group-invited');
    directory.tell({ type: 'social.group-answer', characterId: b!.id, partyId: invited.partyId + 1000n, accept: true, reason: 0 });
    await expectType(b!, 'social.group-join-failed');
    directory.tell({ type: 'social.group-answer', characterId: b!.id, partyId: invited.partyId, accept: true, reason: 0 });
    await expectType(a!, 'social.group-invite-result');
    directory.tell({ type: 'social.group-invite', inviterId: c!.id, inviterInbox: c!.probe.ref, targetId: b!.id });
    assert.equal((await expectType(c!, 'social.group-invite-result')).errorCode, PartyError.InAnotherGroup);
  });

  it('an unanswered invite times out for both; a declined one tells the inviter', async () => {
    const [a, b] = ['Ada', 'Bo'].map((n) => player(n));
    directory.tell({ type: 'social.group-invite', inviterId: a!.id, inviterInbox: a!.probe.ref, targetId: b!.id });
    const invited = await expectType(b!, 'social.group-invited');
    await t.scheduler.advance(settings.inviteTimeoutMs);
    await expectType(a!, 'social.group-timeout');
    await expectType(b!, 'social.group-timeout');
    directory.tell({ type: 'social.group-answer', characterId: b!.id, partyId: invited.partyId, accept: true, reason: 0 });
    await expectType(b!, 'social.group-join-failed');
    directory.tell({ type: 'social.group-invite', inviterId: a!.id, inviterInbox: a!.probe.ref, targetId: b!.id });
    const again = await expectType(b!, 'social.group-invited');
    directory.tell({ type: 'social.group-answer', characterId: b!.id, partyId: again.partyId, accept: false, reason: PartyError.Ignored });
    assert.equal((await expectType(a!, 'social.group-invite-result')).errorCode, PartyError.Ignored);
  });

  it('a member whose connection drops leaves after the grace period unless they come back', async () => {
    const [a, b, c] = ['Ada', 'Bo', 'Cy'].map((n) => player(n));
    for (const p of [b!, c!]) {
      directory.tell({ type: 'social.group-invite', inviterId: a!.id, inviterInbox: a!.probe.ref, targetId: p.id });
      const invited = await expectType(p, 'social.group-invited');
      directory.tell({ type: 'social.group-answer', characterId: p.id, partyId: invited.partyId, accept: true, reason: 0 });
      await expectType(a!, 'social.group-invite-result');
    }
    // B comes back within the grace period, with a new session: it gets the whole group again.
    directory.tell({ type: 'social.offline', characterId: b!.id, inbox: b!.probe.ref });
    await t.scheduler.advance(settings.memberGraceMs - 1000);
    const b2 = new TestProbe<SocialEvent>(t.system, 'inbox-b2');
    directory.tell({ type: 'social.online', presence: { ...b!.presence, inbox: b2.ref, server: 'Game2' }, friendIds: [] });
    const resent = await b2.fishForMessage((m) => m.type === 'social.group-state') as Extract<SocialEvent, { type: 'social.group-state' }>;
    assert.equal(resent.group.members.length, 3);
    await t.scheduler.advance(settings.memberGraceMs * 2);
    // C's inbox stops (its game process died): C leaves after the grace period, the others keep the group.
    directory.tell({ type: 'social.inbox-gone', characterId: c!.id, inbox: c!.probe.ref });
    await t.scheduler.advance(settings.memberGraceMs + 1);
    assert.equal((await expectType(a!, 'social.group-left')).characterId, c!.id);
    const reply = new TestProbe<GroupOfReply>(t.system);
    directory.tell({ type: 'social.group-of', name: 'ada', replyTo: reply.ref });
    const view = (await reply.expectMessage()).group;
    assert.deepEqual(view?.members.map((m) => m.characterId), [a!.id, b!.id]);
  });
});
