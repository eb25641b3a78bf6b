// The social settings from the process configuration (`social.*`, docs/configuration.md).
import { resolveSocialSettings, type SocialSettings } from './social-settings.js';

export interface SocialConfig {
  readonly maxGroupSize: number;
  readonly inviteTimeout: number;
  readonly memberGrace: number;
  readonly maxFriends: number;
  readonly maxIgnores: number;
  readonly friendRequestExpiry: number;
  readonly whisperEcho: boolean;
  readonly relayChatEmote: boolean;
}

export function socialSettingsFrom(config: SocialConfig): SocialSettings {
  return resolveSocialSettings({
    maxGroupSize: config.maxGroupSize,
    inviteTimeoutMs: config.inviteTimeout,
    memberGraceMs: config.memberGrace,
    maxFriends: config.maxFriends,
    maxSubscriberFriends: config.maxFriends,
    maxIgnores: config.maxIgnores,
    friendRequestExpiryMs: config.friendRequestExpiry,
    whisperEcho: config.whisperEcho,
    relayChatEmote: config.relayChatEmote,
  });
}
