// Public entry of the login server: import from here only.
export { startLoginServer, loginServerProps, LoginServer, type LoginServerHandle, type LoginServerOptions, type LocalGameServer } from './login-server.js';
export {
  DEFAULT_LOGIN_SETTINGS, DuplicateLoginPolicy, SelectionPolicy, resolveLoginSettings,
  type LoginSettings, type LoginSettingsInput, type PoolSettings, type ThrottleSettings,
} from './login-settings.js';
export { AdmitStatus, AuthenError, CharacterError, SelectError, ValidateError } from './login-codes.js';
export type {
  DrainServer, ForwardLoginKey, GameServerView, KickOnServer, ListServers, PoolMessage, SelectGameServer, SelectReply,
  SpawnLocalGameServer, SpawnReply,
} from './pool-messages.js';
export type { AdmissionMessage, AdmissionStatus } from './login-messages.js';
export { GameServerPool, type GameServerPoolInit } from './game-server-pool.js';
export { Throttle, type ThrottleCheck } from './throttle.js';
export { createLoginKey } from './game-transition-service.js';
export { parseRec1, hostOf } from './authenticator-service.js';
export { authenticate, validate, rec1For, type AuthenticateOptions, type AuthenticateResult } from './login-client.js';
export * from './errors.js';
export type { LoginObserver } from './login-deps.js';
export { ClusterDirectory, clusterDirectoryProps, type ClusterDirectoryInit, type ClusterDirectoryMessage, type HostPool } from './cluster-directory.js';
export { GameServerProxy, gameServerProxyProps } from './game-server-proxy.js';
export { createLoginPart, loginPart } from './login-part.js';
export type { LoginServerOwnMessage, LoginServerRefs } from './login-messages.js';
