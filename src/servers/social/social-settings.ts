// The social layer's limits and timings (docs/social.md). The values the spec leaves unverified
// (timeouts, error codes) are settings here, not constants.
import { SocialConfigError } from './errors.js';

export interface SocialSettings {
  /** Members of a group at most (the leader included). */
  readonly maxGroupSize: number;
  /** Time an invited player has to answer. */
  readonly inviteTimeoutMs: number;
  /** Time a group member whose connection dropped stays a member, waiting for them to come back. */
  readonly memberGraceMs: number;
  readonly maxFriends: number;
  /** Sent in MSG_REQUESTMAXFRIENDS's MaximumSubscriberFriends; the store limit is maxFriends. */
  readonly maxSubscriberFriends: number;
  readonly maxIgnores: number;
  /** How long an unanswered friend request stays pending. */
  readonly friendRequestExpiryMs: number;
  /** Whether the whisperer gets a copy of their own whisper (MSG_DIRECTEDCHAT back to them). */
  readonly whisperEcho: boolean;
  /** Relay the "Chat" MSG_COREEMOTE the client sends with every typed line (default: drop it). */
  readonly relayChatEmote: boolean;
  /** Friend requests, invites and whispers one player may send per 10 s; more are refused. */
  readonly maxSocialActionsPer10s: number;
}

export const DEFAULT_SOCIAL_SETTINGS: SocialSettings = Object.freeze({
  maxGroupSize: 4,
  inviteTimeoutMs: 30_000,
  memberGraceMs: 30_000,
  maxFriends: 100,
  maxSubscriberFriends: 100,
  maxIgnores: 100,
  friendRequestExpiryMs: 7 * 86_400_000,
  whisperEcho: true,
  relayChatEmote: false,
  maxSocialActionsPer10s: 20,
});

const POSITIVE = ['maxGroupSize', 'inviteTimeoutMs', 'maxFriends', 'maxSubscriberFriends', 'maxIgnores', 'friendRequestExpiryMs', 'maxSocialActionsPer10s'] as const;

export function resolveSocialSettings(partial: Partial<SocialSettings> = {}): SocialSettings {
  const settings = { ...DEFAULT_SOCIAL_SETTINGS, ...partial };
  for (const key of POSITIVE) {
    const value = settings[key];
    if (!Number.isSafeInteger(value) || value <= 0) throw new SocialConfigError(`social setting ${key} must be a whole number above 0, got ${value}`);
  }
  if (settings.maxGroupSize < 2) throw new SocialConfigError(`social setting maxGroupSize must be at least 2, got ${settings.maxGroupSize}`);
  if (!Number.isFinite(settings.memberGraceMs) || settings.memberGraceMs < 0) throw new SocialConfigError(`social setting memberGraceMs must be >= 0, got ${settings.memberGraceMs}`);
  return Object.freeze(settings);
}

/**
 * Error codes sent in MSG_PARTYREQUESTRESPONSE / MSG_PARTYJOINFAILED. The client's values are unverified
 * (docs/social.md): ours are distinct and non-zero, 0 is success.
 */
export const PartyError = {
  None: 0,
  Offline: 1,
  InAnotherGroup: 2,
  GroupFull: 3,
  Ignored: 4,
  NotLeader: 5,
  Declined: 6,
  Self: 7,
  AlreadyInvited: 8,
  TooFast: 9,
} as const;
export type PartyError = (typeof PartyError)[keyof typeof PartyError];

/** Error codes of MSG_BUDDYREQUESTERROR (unverified, docs/social.md). */
export const FriendError = {
  Unknown: 1,
  Offline: 2,
  AlreadyFriends: 3,
  Ignored: 4,
  ListFull: 5,
  TheirListFull: 6,
  Self: 7,
  Internal: 8,
  TooFast: 9,
} as const;
export type FriendError = (typeof FriendError)[keyof typeof FriendError];

/** Error codes of MSG_CHATERROR (unverified, docs/social.md). */
export const ChatError = {
  Unknown: 1,
  Ignored: 2,
  ListFull: 3,
  Self: 4,
  Internal: 5,
} as const;
