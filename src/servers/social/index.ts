// Public entry of the social layer: import from here only.
export { socialDirectoryProps, SocialDirectory, type SocialDirectoryInit } from './social-directory.js';
export { groupProps, Group, type GroupInit } from './group.js';
export { PresenceIndex, nameKeyOf } from './presence.js';
export * from './social-messages.js';
export * from './social-settings.js';
export * from './errors.js';
export { socialRelayProps, SocialRelay, type SocialRelayInit, type SocialRelayMessage } from './social-relay.js';
export { checkSocialMessage } from './social-wire-check.js';
export { socialSettingsFrom, type SocialConfig } from './social-config.js';
