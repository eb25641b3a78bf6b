// The social layer's messages (docs/social.md): between a player's SocialService (on any game
// server, in any process), the SocialDirectory (one per cluster, under the login server) and the
// Group actors under it. All plain data (refs, bigints, Buffers), so every one may cross processes.
import type { ActorRef } from '../../runtime/index.js';

/** A player as the directory knows them while they are online. */
export interface PlayerPresence {
  readonly characterId: bigint;
  readonly name: string;
  /** The game server the player is on. */
  readonly server: string;
  /** The zone path (the display name key while online). */
  readonly zone: string;
  readonly realm: string;
  readonly level: number;
  readonly school: number;
  /** The player's SocialService: everything for this player goes there. */
  readonly inbox: ActorRef<SocialEvent>;
}

/** A group member as every member sees them. */
export interface GroupMemberView {
  readonly characterId: bigint;
  readonly name: string;
  readonly zone: string;
  readonly level: number;
  readonly school: number;
  /** False while the member's connection is gone (the grace period). */
  readonly online: boolean;
}

export interface GroupView {
  readonly partyId: bigint;
  readonly channelId: bigint;
  readonly leaderId: bigint;
  /** Oldest member first. */
  readonly members: readonly GroupMemberView[];
}

// ---- SocialService -> SocialDirectory ------------------------------------------------------------------------

export type DirectoryMessage =
  /** The player entered the game (or came back): `friendIds` is their friend list, for the presence fan-out. */
  | { readonly type: 'social.online'; readonly presence: PlayerPresence; readonly friendIds: readonly bigint[] }
  | { readonly type: 'social.moved'; readonly characterId: bigint; readonly inbox: ActorRef<SocialEvent>; readonly zone: string }
  | { readonly type: 'social.offline'; readonly characterId: bigint; readonly inbox: ActorRef<SocialEvent> }
  /** Which of `ids` are online, and where. */
  | { readonly type: 'social.lookup'; readonly ids: readonly bigint[]; readonly replyTo: ActorRef<PresenceReply> }
  /**
   * Delivers `event` to the player named by id or by name; when they are not online, `failTo` gets `failEvent`.
   * The receiving service applies its own rules (ignore list, its list limits) and answers the sender itself.
   */
  | { readonly type: 'social.route'; readonly targetId?: bigint; readonly targetName?: string; readonly event: SocialEvent; readonly failTo: ActorRef<SocialEvent>; readonly failEvent: SocialEvent }
  /** A friendship was made or ended (already persisted): the fan-out sets of both follow. */
  | { readonly type: 'social.friends-changed'; readonly a: bigint; readonly b: bigint; readonly friends: boolean }
  | { readonly type: 'social.group-invite'; readonly inviterId: bigint; readonly inviterInbox: ActorRef<SocialEvent>; readonly targetId?: bigint; readonly targetName?: string }
  | { readonly type: 'social.group-answer'; readonly characterId: bigint; readonly partyId: bigint; readonly accept: boolean; readonly reason: number }
  /** `characterId` leaves; with `targetId` (another member) the leader kicks that member. */
  | { readonly type: 'social.group-leave'; readonly characterId: bigint; readonly targetId?: bigint }
  | { readonly type: 'social.group-leader'; readonly characterId: bigint; readonly newLeaderId: bigint }
  | { readonly type: 'social.group-chat'; readonly characterId: bigint; readonly channelId: bigint; readonly text: Buffer }
  /** The group of a player (staff command, admin console); undefined when they are in none. */
  | { readonly type: 'social.group-of'; readonly characterId?: bigint; readonly name?: string; readonly replyTo: ActorRef<GroupOfReply> }
  | DirectoryInternal;

export interface PresenceReply {
  readonly type: 'social.presences';
  readonly online: readonly PlayerPresence[];
}

export interface GroupOfReply {
  readonly type: 'social.group-of-reply';
  readonly player: PlayerPresence | undefined;
  readonly group: GroupView | undefined;
}

/** Group actor -> its directory. */
export type DirectoryInternal =
  | { readonly type: 'social.member-left'; readonly partyId: bigint; readonly characterId: bigint }
  | { readonly type: 'social.join-refused'; readonly partyId: bigint; readonly characterId: bigint }
  | { readonly type: 'social.group-ended'; readonly partyId: bigint }
  /** A watched inbox stopped (its session ended, or its process is declared down). */
  | { readonly type: 'social.inbox-gone'; readonly characterId: bigint; readonly inbox: ActorRef<SocialEvent> };

// ---- SocialDirectory -> Group ----------------------------------------------------------------------------------

export type GroupMessage =
  | { readonly type: 'group.invite'; readonly inviter: PlayerPresence; readonly target: PlayerPresence }
  | { readonly type: 'group.answer'; readonly characterId: bigint; readonly accept: boolean; readonly reason: number; readonly presence: PlayerPresence | undefined }
  | { readonly type: 'group.invite-expired'; readonly characterId: bigint; readonly epoch: number }
  | { readonly type: 'group.leave'; readonly characterId: bigint; readonly by: bigint }
  | { readonly type: 'group.leader'; readonly by: bigint; readonly newLeaderId: bigint }
  | { readonly type: 'group.offline'; readonly characterId: bigint }
  | { readonly type: 'group.online'; readonly presence: PlayerPresence }
  | { readonly type: 'group.grace-over'; readonly characterId: bigint; readonly epoch: number }
  | { readonly type: 'group.chat'; readonly characterId: bigint; readonly channelId: bigint; readonly text: Buffer }
  | { readonly type: 'group.view'; readonly player: PlayerPresence | undefined; readonly replyTo: ActorRef<GroupOfReply> };

// ---- to a player's SocialService --------------------------------------------------------------------------------

/** A whisper kind: text, a quick-chat phrase id, or quick-chat text. */
export type WhisperKind = 'text' | 'quick' | 'quick-text';

export type SocialEvent =
  | { readonly type: 'social.friend-status'; readonly friendId: bigint; readonly name: string; readonly online: boolean; readonly zone: string; readonly realm: string }
  | {
      readonly type: 'social.whisper-in'; readonly kind: WhisperKind; readonly fromId: bigint; readonly fromName: string; readonly fromInbox: ActorRef<SocialEvent>;
      readonly text: Buffer; readonly phraseId: number; readonly byName: boolean;
    }
  | { readonly type: 'social.whisper-out'; readonly kind: WhisperKind; readonly targetId: bigint; readonly targetName: string; readonly text: Buffer; readonly phraseId: number; readonly byName: boolean }
  | { readonly type: 'social.whisper-failed' }
  | { readonly type: 'social.friend-request-in'; readonly fromId: bigint; readonly fromName: string; readonly level: number; readonly school: Buffer; readonly fromInbox: ActorRef<SocialEvent> }
  | { readonly type: 'social.friend-error'; readonly entryId: bigint; readonly error: number }
  | { readonly type: 'social.friend-accepted'; readonly byId: bigint; readonly byName: string; readonly zone: string; readonly realm: string }
  | { readonly type: 'social.friend-denied'; readonly byId: bigint }
  | { readonly type: 'social.friend-dropped'; readonly byId: bigint }
  | { readonly type: 'social.chat-error'; readonly characterId: bigint; readonly error: number }
  | { readonly type: 'social.group-invited'; readonly partyId: bigint; readonly inviterId: bigint; readonly inviterName: string }
  | { readonly type: 'social.group-invite-result'; readonly targetId: bigint; readonly targetName: string; readonly errorCode: number }
  | { readonly type: 'social.group-timeout' }
  | { readonly type: 'social.group-join-failed'; readonly errorCode: number }
  /** The group as it is now; `joinedId` is set when a member just joined (the newcomer, or this player). */
  | { readonly type: 'social.group-state'; readonly group: GroupView; readonly joinedId?: bigint; readonly changedId?: bigint }
  | { readonly type: 'social.group-left'; readonly characterId: bigint; readonly size: number }
  | { readonly type: 'social.group-disbanded' }
  | { readonly type: 'social.group-chat-in'; readonly channelId: bigint; readonly fromId: bigint; readonly fromName: string; readonly text: Buffer };

/** Every message type of this file, for the cluster's registry of types that may cross processes. */
export const SOCIAL_MESSAGE_TYPES: readonly string[] = Object.freeze([
  'social.online', 'social.moved', 'social.offline', 'social.lookup', 'social.presences', 'social.route', 'social.friends-changed',
  'social.group-invite', 'social.group-answer', 'social.group-leave', 'social.group-leader', 'social.group-chat', 'social.group-of',
  'social.group-of-reply',
  'social.friend-status', 'social.whisper-in', 'social.whisper-out', 'social.whisper-failed', 'social.friend-request-in', 'social.friend-error',
  'social.friend-accepted', 'social.friend-denied', 'social.friend-dropped', 'social.chat-error', 'social.group-invited',
  'social.group-invite-result', 'social.group-timeout', 'social.group-join-failed', 'social.group-state', 'social.group-left', 'social.group-disbanded', 'social.group-chat-in',
]);
