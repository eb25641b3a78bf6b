// Errors of the bot swarm. Each class carries a stable `code` (never reused); docs/bots.md lists them.
// A failed journey step is always a BotStepError whose `kind` names the failure for the report.

export abstract class BotError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A swarm option is out of range, or a --mix / --accounts value does not parse. */
export class BotConfigError extends BotError {
  readonly code = 'ERR_BOT_CONFIG';
}

/** An accounts file cannot be read or has a malformed line. */
export class AccountsFileError extends BotError {
  readonly code = 'ERR_BOT_ACCOUNTS';
}

/**
 * One step of a journey failed. `kind` is what the report counts: the server's refusal
 * ("authen-rejected:0x3b689180") or the client library's error code ("ERR_CLIENT_TIMEOUT").
 */
export class BotStepError extends BotError {
  readonly code = 'ERR_BOT_STEP';
  readonly step: string;
  readonly kind: string;
  constructor(step: string, kind: string, message: string, options?: { cause?: unknown }) {
    super(`${step}: ${message}`, options);
    this.step = step;
    this.kind = kind;
  }
}

/** A character blob from the server is not the documented stand-in ("IMCH" version 1). */
export class CharacterBlobFormatError extends BotError {
  readonly code = 'ERR_BOT_CHARACTER_BLOB';
}
