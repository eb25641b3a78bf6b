// Public entry of the game server: import from here only.
export { GameServer, gameServerProps, type GameServerMessage, type GameServerOptions } from './game-server.js';
export { awaitGameServer, startGameServer, type GameServerHandle } from './game-server-handle.js';
export { GameRoster } from './game-roster.js';
export { DEFAULT_GAME_SETTINGS, resolveGameSettings, type GameSettings } from './game-settings.js';
export type { GameConfig, GameDeps, GameServerDirectory, GameTimings } from './game-deps.js';
export { FolderZoneSource, emptyZoneSource, type ZoneData, type ZoneDataSource } from './zone-loader.js';
export { checkZonePath, parseZonePath, zoneIdOf, ZoneRules, MAX_ZONE_PATH_LENGTH } from './zone-path.js';
export { formatLocation, parseLocation, toWire, toWorld, START_POSITION, type WirePosition } from './location.js';
export { OBJECT_BLOB_PREFIXES, objectBlobData, playerBlob, unwrapRawBlob, wrapRawBlob, type ObjectBlobPrefix } from './player-blob.js';
export { OWNER_PROPERTY_MASK, PLAYER_TEMPLATE_ID, PUBLIC_PROPERTY_MASK, PlayerObjectBuilder, UNSENT_BEHAVIORS, clientClassOf, type PlayerObjectState } from './player-object.js';
export { playerObjectsFrom, templateFromRootWad } from './player-object-source.js';
export { splitArguments } from './command-dispatcher.js';
export type { EnterResult, PlayerSummary, RegistrationResult, ShutdownReport, WorldInfo, ZoneInfo } from './messages.js';
export * from './errors.js';
export { gamePart, startGamePart, type GamePartContext, type RunningGamePart } from './game-part.js';
export { PoolLink, POOL_LINK_NAME, poolLinkProps, type PoolLinkInit, type PoolLinkMessage } from './pool-link.js';
