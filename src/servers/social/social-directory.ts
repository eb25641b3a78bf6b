// The SocialDirectory (docs/social.md): one per cluster, under the login server. It knows who is online
// where (PresenceIndex), fans presence changes out to the online friends of a player, routes directed
// events (whispers, friend requests and answers) to a player by id or name on any game server, and owns
// the groups: one Group actor per group, as its children. It does no store I/O: the players' own
// SocialServices read and write their lists and apply their ignore lists, so this actor stays fast.
import { Actor, props, type ActorContext, type ActorRef, type Handlers, type Props } from '../../runtime/index.js';
import { groupProps } from './group.js';
import { PresenceIndex } from './presence.js';
import { PartyError, type SocialSettings } from './social-settings.js';
import type { DirectoryMessage, GroupMessage, PlayerPresence, SocialEvent } from './social-messages.js';

export interface SocialDirectoryInit {
  readonly settings: SocialSettings;
}

interface GroupEntry {
  readonly ref: ActorRef<GroupMessage>;
  readonly channelId: bigint;
}

export class SocialDirectory extends Actor<DirectoryMessage> {
  readonly #settings: SocialSettings;
  readonly #presence = new PresenceIndex();
  readonly #groups = new Map<bigint, GroupEntry>();
  /** Each player's group (members, and players whose accept is on its way to the group). */
  readonly #groupOf = new Map<bigint, bigint>();
  /** Party ids are unique per directory start: the high bits are the start time. */
  #nextParty: bigint;

  constructor(context: ActorContext<DirectoryMessage>, init: SocialDirectoryInit) {
    super(context);
    this.#settings = init.settings;
    this.#nextParty = BigInt(Date.now()) << 16n;
  }

  readonly receive: Handlers<DirectoryMessage> = {
    'social.online': ({ presence, friendIds }) => this.#online(presence, friendIds),
    'social.moved': ({ characterId, inbox, zone }) => {
      const current = this.#presence.byId(characterId);
      if (current === undefined || current.inbox.path !== inbox.path) return;
      const moved = this.#presence.update(characterId, { zone })!;
      this.#fanOut(moved, true);
      this.#toGroupOf(characterId, { type: 'group.online', presence: moved });
    },
    'social.offline': ({ characterId, inbox }) => this.#offline(characterId, inbox),
    'social.inbox-gone': ({ characterId, inbox }) => this.#offline(characterId, inbox),
    'social.lookup': ({ ids, replyTo }) => {
      const online: PlayerPresence[] = [];
      for (const id of ids.slice(0, 1000)) {
        const presence = this.#presence.byId(id);
        if (presence !== undefined) online.push(presence);
      }
      replyTo.tell({ type: 'social.presences', online });
    },
    'social.route': ({ targetId, targetName, event, failTo, failEvent }) => {
      const target = this.#find(targetId, targetName);
      if (target === undefined) failTo.tell(failEvent);
      else target.inbox.tell(event);
    },
    'social.friends-changed': ({ a, b, friends }) => this.#presence.setFriends(a, b, friends),
    'social.group-invite': (m) => this.#invite(m.inviterId, m.inviterInbox, m.targetId, m.targetName),
    'social.group-answer': ({ characterId, partyId, accept, reason }) => this.#answer(characterId, partyId, accept, reason),
    'social.group-leave': ({ characterId, targetId }) => this.#toGroupOf(characterId, { type: 'group.leave', characterId: targetId ?? characterId, by: characterId }),
    'social.group-leader': ({ characterId, newLeaderId }) => this.#toGroupOf(characterId, { type: 'group.leader', by: characterId, newLeaderId }),
    'social.group-chat': ({ characterId, channelId, text }) => this.#toGroupOf(characterId, { type: 'group.chat', characterId, channelId, text }),
    'social.group-of': ({ characterId, name, replyTo }) => {
      const player = this.#find(characterId, name);
      const id = player?.characterId ?? characterId;
      const partyId = id === undefined ? undefined : this.#groupOf.get(id);
      const group = partyId === undefined ? undefined : this.#groups.get(partyId);
      if (group === undefined) replyTo.tell({ type: 'social.group-of-reply', player, group: undefined });
      else group.ref.tell({ type: 'group.view', player, replyTo });
    },
    'social.member-left': ({ partyId, characterId }) => this.#forgetMember(partyId, characterId),
    'social.join-refused': ({ partyId, characterId }) => this.#forgetMember(partyId, characterId),
    'social.group-ended': ({ partyId }) => {
      this.#groups.delete(partyId);
      for (const [id, party] of this.#groupOf) if (party === partyId) this.#groupOf.delete(id);
    },
  };

  #find(id: bigint | undefined, name: string | undefined): PlayerPresence | undefined {
    if (id !== undefined) return this.#presence.byId(id);
    if (name !== undefined) return this.#presence.byName(name);
    return undefined;
  }

  #online(presence: PlayerPresence, friendIds: readonly bigint[]): void {
    const older = this.#presence.put(presence, friendIds);
    if (older !== undefined && older.inbox.path !== presence.inbox.path) this.context.unwatch(older.inbox);
    this.context.watch(presence.inbox, { type: 'social.inbox-gone', characterId: presence.characterId, inbox: presence.inbox });
    this.#fanOut(presence, true);
    this.#toGroupOf(presence.characterId, { type: 'group.online', presence });
  }

  #offline(characterId: bigint, inbox: ActorRef<SocialEvent>): void {
    const current = this.#presence.byId(characterId);
    // A newer session of the same character (a reconnect that came first) is not the one that ended.
    if (current === undefined || current.inbox.path !== inbox.path) return;
    this.context.unwatch(current.inbox);
    this.#fanOut(current, false);
    this.#presence.remove(characterId);
    this.#toGroupOf(characterId, { type: 'group.offline', characterId });
  }

  #fanOut(presence: PlayerPresence, online: boolean): void {
    const status: SocialEvent = {
      type: 'social.friend-status', friendId: presence.characterId, name: presence.name, online, zone: online ? presence.zone : '', realm: presence.realm,
    };
    for (const friend of this.#presence.onlineFriendsOf(presence.characterId)) friend.inbox.tell(status);
  }

  #toGroupOf(characterId: bigint, message: GroupMessage): void {
    const partyId = this.#groupOf.get(characterId);
    if (partyId !== undefined) this.#groups.get(partyId)?.ref.tell(message);
  }

  #invite(inviterId: bigint, inviterInbox: ActorRef<SocialEvent>, targetId: bigint | undefined, targetName: string | undefined): void {
    const refuse = (errorCode: number, name = targetName ?? ''): void =>
      inviterInbox.tell({ type: 'social.group-invite-result', targetId: targetId ?? 0n, targetName: name, errorCode });
    const inviter = this.#presence.byId(inviterId);
    if (inviter === undefined) return refuse(PartyError.Offline);
    const target = this.#find(targetId, targetName);
    if (target === undefined) return refuse(PartyError.Offline);
    if (target.characterId === inviterId) return refuse(PartyError.Self, target.name);
    const targetParty = this.#groupOf.get(target.characterId);
    let partyId = this.#groupOf.get(inviterId);
    if (targetParty !== undefined) return refuse(PartyError.InAnotherGroup, target.name);
    if (partyId === undefined) {
      partyId = this.#nextParty;
      this.#nextParty += 2n;
      const channelId = partyId + 1n;
      const ref = this.context.spawn(
        groupProps({ partyId, channelId, founder: inviter, settings: this.#settings, directory: this.context.self }),
        `group-${partyId}`,
      );
      this.context.watch(ref, { type: 'social.group-ended', partyId });
      this.#groups.set(partyId, { ref, channelId });
      this.#groupOf.set(inviterId, partyId);
    }
    this.#groups.get(partyId)?.ref.tell({ type: 'group.invite', inviter, target });
  }

  #answer(characterId: bigint, partyId: bigint, accept: boolean, reason: number): void {
    const group = this.#groups.get(partyId);
    const presence = this.#presence.byId(characterId);
    if (group === undefined) {
      if (accept) presence?.inbox.tell({ type: 'social.group-join-failed', errorCode: PartyError.Declined });
      return;
    }
    const current = this.#groupOf.get(characterId);
    if (accept && current !== undefined && current !== partyId) {
      presence?.inbox.tell({ type: 'social.group-join-failed', errorCode: PartyError.InAnotherGroup });
      group.ref.tell({ type: 'group.answer', characterId, accept: false, reason: PartyError.InAnotherGroup, presence: undefined });
      return;
    }
    // The place is held here at once, so a second group's invite cannot slip in while this one answers.
    if (accept && presence !== undefined) this.#groupOf.set(characterId, partyId);
    group.ref.tell({ type: 'group.answer', characterId, accept: accept && presence !== undefined, reason, presence });
  }

  #forgetMember(partyId: bigint, characterId: bigint): void {
    if (this.#groupOf.get(characterId) === partyId) this.#groupOf.delete(characterId);
  }
}

export function socialDirectoryProps(init: SocialDirectoryInit): Props<DirectoryMessage> {
  return props((context) => new SocialDirectory(context, init), { kind: 'SocialDirectory' });
}
