// Every failure the game server reports. Each class carries a stable `code` (never reused);
// docs/game-server.md lists them.

export abstract class GameServerError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The pool refused the registration (duplicate name or port, pool full, invalid info): the server cannot start. */
export class RegistrationRefusedError extends GameServerError {
  readonly code = 'ERR_GAME_REGISTER_REFUSED';
  constructor(readonly server: string, readonly reason: string, readonly detail: string) {
    super(`game server ${server}: the login server's pool refused the registration (${reason}): ${detail}`);
  }
}

/** The server did not get registered in time (the pool never answered). */
export class RegistrationTimeoutError extends GameServerError {
  readonly code = 'ERR_GAME_REGISTER_TIMEOUT';
  constructor(readonly server: string, readonly waitedMs: number) {
    super(`game server ${server}: not registered with the login server's pool after ${waitedMs} ms`);
  }
}

/** A zone path a client or a command gave is not a valid path. */
export class ZonePathError extends GameServerError {
  readonly code = 'ERR_GAME_ZONE_PATH';
}

/** A zone's data could not be loaded (unknown zone, unreadable data). */
export class ZoneLoadError extends GameServerError {
  readonly code = 'ERR_GAME_ZONE_LOAD';
  constructor(readonly zone: string, message: string, options?: { cause?: unknown }) {
    super(`zone ${zone}: ${message}`, options);
  }
}

/** A game server setting is out of range (checked once, when the server is created). */
export class GameConfigError extends GameServerError {
  readonly code = 'ERR_GAME_CONFIG';
}

/** Stable error numbers sent to clients in MSG_ATTACHFAILED.Error and MSG_SERVER_ERROR.Error. */
export const GameErrorCode = {
  /** The login key is unknown, expired, used, for another server, or for another account/character. */
  BadLoginKey: 1,
  /** The character does not exist or is not the account's. */
  UnknownCharacter: 2,
  /** The server is full. */
  ServerFull: 3,
  /** The zone could not be loaded or entered. */
  ZoneUnavailable: 4,
  /** The server is shutting down. */
  ShuttingDown: 5,
  /** An internal failure (store unreachable, timeout). */
  Internal: 6,
} as const;
export type GameErrorCode = (typeof GameErrorCode)[keyof typeof GameErrorCode];
