// Groups as one member sees them (docs/social.md, "Groups" and "Channel chat"): the client's requests go to
// the directory (which owns the groups); the group's events come back here and become the client's messages.
import { GAME } from '../../../protocol/index.js';
import { PartyError, type GroupMemberView, type GroupView, type SocialEvent } from '../../social/index.js';
import { nameBlob, type SocialPort } from './social-port.js';

type Event<T extends SocialEvent['type']> = Extract<SocialEvent, { type: T }>;

export class Party {
  readonly #port: SocialPort;
  /** The group this player is in, as last told. */
  #group: GroupView | undefined = undefined;

  constructor(port: SocialPort) {
    this.#port = port;
  }

  get current(): GroupView | undefined {
    return this.#group;
  }

  #response(targetId: bigint, targetName: string, errorCode: number): void {
    this.#port.send(GAME.MSG_PARTYREQUESTRESPONSE, {
      DestinationCharacterID: this.#port.player.characterId, TargetCharacterID: targetId, TargetGlobalID: targetId, ErrorCode: errorCode, PlayerNameBlob: nameBlob(targetName),
    });
  }

  invite(targetId: bigint | undefined, targetName?: string): void {
    const { player } = this.#port;
    if ((targetId === undefined || targetId === 0n) && targetName === undefined) return this.#response(0n, '', PartyError.Offline);
    if (targetId === player.characterId) return this.#response(targetId, player.name, PartyError.Self);
    if (!this.#port.allowAction()) return this.#response(targetId ?? 0n, targetName ?? '', PartyError.TooFast);
    this.#port.directory.tell({
      type: 'social.group-invite', inviterId: player.characterId, inviterInbox: this.#port.inbox,
      ...(targetId === undefined || targetId === 0n ? { targetName: targetName! } : { targetId }),
    });
  }

  invited(e: Event<'social.group-invited'>): void {
    const { player, directory } = this.#port;
    if (this.#port.ignores(e.inviterId)) {
      directory.tell({ type: 'social.group-answer', characterId: player.characterId, partyId: e.partyId, accept: false, reason: PartyError.Ignored });
      return;
    }
    this.#port.send(GAME.MSG_PARTYREQUESTJOIN, {
      DestinationCharacterID: player.characterId, CharacterID: e.inviterId, GlobalID: e.inviterId, PlayerNameBlob: nameBlob(e.inviterName), PartyID: e.partyId, FriendsOnly: 0,
    });
  }

  answer(partyId: bigint, accept: boolean): void {
    this.#port.directory.tell({ type: 'social.group-answer', characterId: this.#port.player.characterId, partyId, accept, reason: accept ? 0 : PartyError.Declined });
  }

  /** MSG_PARTYLEAVE: oneself (or 0) leaves; another member's id is a kick, which the group allows the leader only. */
  leave(sourceId: bigint): void {
    const self = this.#port.player.characterId;
    this.#port.directory.tell({ type: 'social.group-leave', characterId: self, ...(sourceId === 0n || sourceId === self ? {} : { targetId: sourceId }) });
  }

  chat(channelId: bigint, message: Buffer): void {
    const verdict = this.#port.gate.check(message);
    if (!verdict.ok) {
      this.#port.log.info({ character: this.#port.player.characterId, why: verdict.reason }, 'group chat refused');
      return;
    }
    if (this.#group === undefined || this.#group.channelId !== channelId) return;
    this.#port.directory.tell({ type: 'social.group-chat', characterId: this.#port.player.characterId, channelId, text: Buffer.from(message) });
  }

  memberZones(): void {
    // The blob's layout is unverified (docs/social.md): an empty one.
    this.#port.send(GAME.MSG_PARTYSUBMITMEMBERZONES, { PartyMemberZones: '', DestinationCharacterID: this.#port.player.characterId });
  }

  // ---- events -----------------------------------------------------------------------------------------------------

  result(e: Event<'social.group-invite-result'>): void {
    this.#response(e.targetId, e.targetName, e.errorCode);
  }

  timedOut(): void {
    this.#port.send(GAME.MSG_PARTYREQUESTTIMEOUT, { DestinationCharacterID: this.#port.player.characterId });
  }

  joinFailed(e: Event<'social.group-join-failed'>): void {
    this.#port.send(GAME.MSG_PARTYJOINFAILED, { DestinationCharacterID: this.#port.player.characterId, ErrorCode: e.errorCode });
  }

  state(e: Event<'social.group-state'>): void {
    const self = this.#port.player.characterId;
    const group = e.group;
    this.#group = group;
    const others = group.members.filter((m) => m.characterId !== self);
    if (e.joinedId !== undefined) {
      this.#port.send(GAME.MSG_PARTYJOINNOTIFICATION, {
        DestinationCharacterID: self, ChannelID: group.channelId, PartyID: group.partyId, PartyTotalSize: group.members.length, FromAdventureParty: 0,
      });
      for (const member of e.joinedId === self ? others : others.filter((m) => m.characterId === e.joinedId)) this.#update(group, member);
      return;
    }
    // A leader change concerns every entry (each carries LeaderGID); any other change, the member who changed.
    for (const member of others) if (e.changedId === group.leaderId || member.characterId === e.changedId) this.#update(group, member);
  }

  #update(group: GroupView, member: GroupMemberView): void {
    this.#port.send(GAME.MSG_PARTYUPDATE, {
      DestinationCharacterID: this.#port.player.characterId, PlayerNameBlob: nameBlob(member.name), CharacterID: member.characterId, GlobalID: member.characterId,
      SchoolID: member.school, Level: member.level, ZoneDisplayName: member.zone, HasFilteredChat: 0, PartyTotalSize: group.members.length, FromAdventureParty: 0,
      SigilSlot: 0, LeaderGID: group.leaderId, QuestGID: 0n, GoalGID: 0n,
    });
  }

  left(e: Event<'social.group-left'>): void {
    const self = this.#port.player.characterId;
    if (e.characterId === self) this.#group = undefined;
    this.#port.send(GAME.MSG_PARTYLEAVENOTIFICATION, { DestinationCharacterID: self, CharacterID: e.characterId, PartyTotalSize: e.size, FromAdventureParty: 0 });
  }

  disbanded(): void {
    this.#group = undefined;
    this.#port.send(GAME.MSG_PARTYDISBAND, { DestinationCharacterID: this.#port.player.characterId });
  }

  chatIn(e: Event<'social.group-chat-in'>): void {
    if (this.#port.ignores(e.fromId)) return;
    this.#port.send(GAME.MSG_CHANNELCHAT, { SourceName: nameBlob(e.fromName), SourceID: e.fromId, Message: e.text, TargetID: e.channelId, Filter: 0, Flags: 0 });
  }
}
