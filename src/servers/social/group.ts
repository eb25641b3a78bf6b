// One group (party) of players (docs/social.md): at most `maxGroupSize` members, one leader, pending
// invitations with a timeout, and a grace period for a member whose connection dropped. It lives
// under the SocialDirectory of the login server, so it outlives any game process; members may be on
// any game server. It stops when one member is left (that member is told the group ended).
import { Actor, props, type ActorContext, type ActorRef, type Handlers, type Props } from '../../runtime/index.js';
import { PartyError, type SocialSettings } from './social-settings.js';
import type { DirectoryInternal, GroupMemberView, GroupMessage, GroupView, PlayerPresence, SocialEvent } from './social-messages.js';

export interface GroupInit {
  readonly partyId: bigint;
  readonly channelId: bigint;
  readonly founder: PlayerPresence;
  readonly settings: SocialSettings;
  /** The directory: told when a member leaves or an accepted join is refused. */
  readonly directory: ActorRef<DirectoryInternal>;
}

interface Member {
  presence: PlayerPresence;
  online: boolean;
  /** Bumped at each disconnect, so a grace timer of an earlier one does nothing. */
  epoch: number;
}

interface Invitation {
  readonly inviterId: bigint;
  readonly target: PlayerPresence;
  readonly epoch: number;
}

export class Group extends Actor<GroupMessage> {
  readonly #init: GroupInit;
  /** In join order: the first is the longest-standing member. */
  readonly #members = new Map<bigint, Member>();
  readonly #invites = new Map<bigint, Invitation>();
  #leaderId: bigint;
  #epochs = 0;
  #ended = false;

  constructor(context: ActorContext<GroupMessage>, init: GroupInit) {
    super(context);
    this.#init = init;
    this.#leaderId = init.founder.characterId;
    this.#members.set(init.founder.characterId, { presence: init.founder, online: true, epoch: 0 });
  }

  readonly receive: Handlers<GroupMessage> = {
    'group.invite': ({ inviter, target }) => this.#invite(inviter, target),
    'group.answer': ({ characterId, accept, reason, presence }) => this.#answer(characterId, accept, reason, presence),
    'group.invite-expired': ({ characterId, epoch }) => {
      const invitation = this.#invites.get(characterId);
      if (invitation === undefined || invitation.epoch !== epoch) return;
      this.#invites.delete(characterId);
      this.#refuseJoin(characterId);
      const timeout: SocialEvent = { type: 'social.group-timeout' };
      invitation.target.inbox.tell(timeout);
      this.#members.get(invitation.inviterId)?.presence.inbox.tell(timeout);
      this.#endIfAlone();
    },
    'group.leave': ({ characterId, by }) => {
      if (by !== characterId && by !== this.#leaderId) {
        this.context.log.info({ by, target: characterId }, 'kick refused: not the leader');
        this.#tell(by, { type: 'social.group-invite-result', targetId: characterId, targetName: '', errorCode: PartyError.NotLeader });
        return;
      }
      this.#remove(characterId, by === characterId ? 'left' : 'kicked');
    },
    'group.leader': ({ by, newLeaderId }) => {
      if (by !== this.#leaderId || !this.#members.has(newLeaderId) || newLeaderId === by) return;
      this.#leaderId = newLeaderId;
      this.#broadcastState({ changedId: newLeaderId });
    },
    'group.offline': ({ characterId }) => {
      const member = this.#members.get(characterId);
      if (member === undefined || !member.online) return;
      if (this.#init.settings.memberGraceMs === 0) {
        this.#remove(characterId, 'disconnected');
        return;
      }
      member.online = false;
      member.epoch = ++this.#epochs;
      this.context.timers.startSingle(`grace-${characterId}`, { type: 'group.grace-over', characterId, epoch: member.epoch }, this.#init.settings.memberGraceMs);
      this.#broadcastState({ changedId: characterId });
    },
    'group.online': ({ presence }) => {
      const member = this.#members.get(presence.characterId);
      if (member === undefined) return;
      const back = !member.online || member.presence.inbox.path !== presence.inbox.path;
      member.presence = presence;
      member.online = true;
      this.context.timers.cancel(`grace-${presence.characterId}`);
      // A member who came back (a new session) gets the whole group again; the others see the change.
      if (back) presence.inbox.tell({ type: 'social.group-state', group: this.#view(), joinedId: presence.characterId });
      this.#broadcastState({ changedId: presence.characterId }, back ? presence.characterId : undefined);
    },
    'group.grace-over': ({ characterId, epoch }) => {
      const member = this.#members.get(characterId);
      if (member === undefined || member.online || member.epoch !== epoch) return;
      this.context.log.info({ party: this.#init.partyId, character: characterId }, 'a member did not come back in time: removed from the group');
      this.#remove(characterId, 'disconnected');
    },
    'group.chat': ({ characterId, channelId, text }) => {
      const member = this.#members.get(characterId);
      if (member === undefined || channelId !== this.#init.channelId) return;
      const chat: SocialEvent = { type: 'social.group-chat-in', channelId, fromId: characterId, fromName: member.presence.name, text };
      for (const other of this.#members.values()) if (other.online) other.presence.inbox.tell(chat);
    },
    'group.view': ({ player, replyTo }) => replyTo.tell({ type: 'social.group-of-reply', player, group: this.#view() }),
  };

  #invite(inviter: PlayerPresence, target: PlayerPresence): void {
    const reply = (errorCode: number): void =>
      inviter.inbox.tell({ type: 'social.group-invite-result', targetId: target.characterId, targetName: target.name, errorCode });
    if (inviter.characterId !== this.#leaderId) return reply(PartyError.NotLeader);
    if (this.#members.has(target.characterId)) return reply(PartyError.InAnotherGroup);
    if (this.#invites.has(target.characterId)) return reply(PartyError.AlreadyInvited);
    if (this.#members.size + this.#invites.size >= this.#init.settings.maxGroupSize) return reply(PartyError.GroupFull);
    const epoch = ++this.#epochs;
    this.#invites.set(target.characterId, { inviterId: inviter.characterId, target, epoch });
    this.context.timers.startSingle(`invite-${target.characterId}`, { type: 'group.invite-expired', characterId: target.characterId, epoch }, this.#init.settings.inviteTimeoutMs);
    target.inbox.tell({ type: 'social.group-invited', partyId: this.#init.partyId, inviterId: inviter.characterId, inviterName: inviter.name });
  }

  #answer(characterId: bigint, accept: boolean, reason: number, presence: PlayerPresence | undefined): void {
    const invitation = this.#invites.get(characterId);
    if (invitation === undefined) {
      // Expired, withdrawn, or never sent: the directory's reservation goes.
      this.#refuseJoin(characterId);
      if (accept) presence?.inbox.tell({ type: 'social.group-join-failed', errorCode: PartyError.Declined });
      return;
    }
    this.#invites.delete(characterId);
    this.context.timers.cancel(`invite-${characterId}`);
    const inviter = this.#members.get(invitation.inviterId);
    const result = (errorCode: number): void =>
      inviter?.presence.inbox.tell({ type: 'social.group-invite-result', targetId: characterId, targetName: invitation.target.name, errorCode });
    if (!accept || presence === undefined) {
      this.#refuseJoin(characterId);
      result(reason === 0 ? PartyError.Declined : reason);
      this.#endIfAlone();
      return;
    }
    if (this.#members.size >= this.#init.settings.maxGroupSize) {
      this.#refuseJoin(characterId);
      presence.inbox.tell({ type: 'social.group-join-failed', errorCode: PartyError.GroupFull });
      result(PartyError.GroupFull);
      return;
    }
    this.#members.set(characterId, { presence, online: true, epoch: 0 });
    result(PartyError.None);
    this.context.log.info({ party: this.#init.partyId, character: characterId, size: this.#members.size }, 'joined a group');
    this.#broadcastState({ joinedId: characterId });
  }

  #remove(characterId: bigint, why: string): void {
    const member = this.#members.get(characterId);
    if (member === undefined) return;
    this.#members.delete(characterId);
    this.context.timers.cancel(`grace-${characterId}`);
    this.#init.directory.tell({ type: 'social.member-left', partyId: this.#init.partyId, characterId });
    const size = this.#members.size;
    const left: SocialEvent = { type: 'social.group-left', characterId, size };
    member.presence.inbox.tell(left);
    this.context.log.info({ party: this.#init.partyId, character: characterId, why, size }, 'left a group');
    if (size <= 1) {
      this.#disband();
      return;
    }
    for (const other of this.#members.values()) other.presence.inbox.tell(left);
    if (characterId === this.#leaderId) {
      // The longest-standing member leads next.
      this.#leaderId = this.#members.keys().next().value!;
      this.#broadcastState({ changedId: this.#leaderId });
    }
  }

  #disband(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const [id, member] of this.#members) {
      this.#init.directory.tell({ type: 'social.member-left', partyId: this.#init.partyId, characterId: id });
      member.presence.inbox.tell({ type: 'social.group-disbanded' });
    }
    for (const [id, invitation] of this.#invites) {
      this.#refuseJoin(id);
      invitation.target.inbox.tell({ type: 'social.group-timeout' });
    }
    this.#members.clear();
    this.#invites.clear();
    this.context.stop();
  }

  /** A group of one with no invitation pending has nothing to wait for. */
  #endIfAlone(): void {
    if (this.#members.size <= 1 && this.#invites.size === 0) {
      // It never had a second member: nothing to tell; the directory forgets the founder.
      if (this.#ended) return;
      this.#ended = true;
      for (const id of this.#members.keys()) this.#init.directory.tell({ type: 'social.member-left', partyId: this.#init.partyId, characterId: id });
      this.context.stop();
    }
  }

  #refuseJoin(characterId: bigint): void {
    this.#init.directory.tell({ type: 'social.join-refused', partyId: this.#init.partyId, characterId });
  }

  #tell(characterId: bigint, event: SocialEvent): void {
    this.#members.get(characterId)?.presence.inbox.tell(event);
  }

  #broadcastState(change: { joinedId?: bigint; changedId?: bigint }, except?: bigint): void {
    const state: SocialEvent = { type: 'social.group-state', group: this.#view(), ...change };
    for (const [id, member] of this.#members) if (member.online && id !== except) member.presence.inbox.tell(state);
  }

  #view(): GroupView {
    const members: GroupMemberView[] = [];
    for (const { presence, online } of this.#members.values()) {
      members.push({ characterId: presence.characterId, name: presence.name, zone: presence.zone, level: presence.level, school: presence.school, online });
    }
    return { partyId: this.#init.partyId, channelId: this.#init.channelId, leaderId: this.#leaderId, members };
  }
}

export function groupProps(init: GroupInit): Props<GroupMessage> {
  return props((context) => new Group(context, init), { kind: 'Group' });
}
