// Store errors: one class per failure, each with a stable `code` (never reused) and the
// underlying `cause` when a driver error triggered it. Callers branch on `code`.

export const StoreErrorCode = {
  AccountExists: 'ERR_ACCOUNT_EXISTS',
  UnknownAccount: 'ERR_UNKNOWN_ACCOUNT',
  UnknownCharacter: 'ERR_UNKNOWN_CHARACTER',
  CharacterLimit: 'ERR_CHARACTER_LIMIT',
  NameTaken: 'ERR_NAME_TAKEN',
  ValueTooLong: 'ERR_VALUE_TOO_LONG',
  InvalidValue: 'ERR_INVALID_VALUE',
  StaleState: 'ERR_STALE_STATE',
  KeyExists: 'ERR_KEY_EXISTS',
  SecretRequired: 'ERR_STORE_SECRET_REQUIRED',
  BadSecret: 'ERR_STORE_BAD_SECRET',
  Config: 'ERR_STORE_CONFIG',
  Migration: 'ERR_STORE_MIGRATION',
  Sync: 'ERR_STORE_SYNC',
  ListFull: 'ERR_LIST_FULL',
} as const;
export type StoreErrorCode = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export class AccountExistsError extends StoreError {
  constructor(readonly username: string, options?: { cause?: unknown }) {
    super(StoreErrorCode.AccountExists, `an account named ${JSON.stringify(username)} already exists`, options);
  }
}

export class UnknownAccountError extends StoreError {
  constructor(readonly account: bigint | string) {
    super(StoreErrorCode.UnknownAccount, `unknown account ${typeof account === 'string' ? JSON.stringify(account) : account}`);
  }
}

export class UnknownCharacterError extends StoreError {
  constructor(readonly characterId: bigint) {
    super(StoreErrorCode.UnknownCharacter, `unknown character ${characterId}`);
  }
}

export class CharacterLimitError extends StoreError {
  constructor(readonly accountId: bigint, readonly limit: number) {
    super(StoreErrorCode.CharacterLimit, `account ${accountId} already has ${limit} characters (the limit)`);
  }
}

export class NameTakenError extends StoreError {
  constructor(readonly characterName: string, options?: { cause?: unknown }) {
    super(StoreErrorCode.NameTaken, `the character name ${JSON.stringify(characterName)} is taken`, options);
  }
}

export class ValueTooLongError extends StoreError {
  constructor(readonly field: string, readonly max: number, readonly actual: number) {
    super(StoreErrorCode.ValueTooLong, `${field} is too long: ${actual} > ${max}`);
  }
}

export class InvalidValueError extends StoreError {
  constructor(readonly field: string, reason: string) {
    super(StoreErrorCode.InvalidValue, `${field} is invalid: ${reason}`);
  }
}

export class StaleStateError extends StoreError {
  constructor(readonly characterId: bigint, readonly expectedVersion: number, readonly actualVersion: number) {
    super(StoreErrorCode.StaleState,
      `character ${characterId} state is at version ${actualVersion}, the save expected ${expectedVersion}`);
  }
}

export class KeyExistsError extends StoreError {
  constructor(options?: { cause?: unknown }) {
    super(StoreErrorCode.KeyExists, 'that login key already exists', options);
  }
}

export class SecretRequiredError extends StoreError {
  constructor() {
    super(StoreErrorCode.SecretRequired, 'stored credentials are encrypted and no store secret is configured');
  }
}

export class BadSecretError extends StoreError {
  constructor(options?: { cause?: unknown }) {
    super(StoreErrorCode.BadSecret, 'the configured store secret does not decrypt the stored credentials', options);
  }
}

export class StoreConfigError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(StoreErrorCode.Config, message, options);
  }
}

export class MigrationError extends StoreError {
  constructor(readonly migration: string | undefined, options?: { cause?: unknown }) {
    super(StoreErrorCode.Migration, `store migration ${migration ?? '(setup)'} failed`, options);
  }
}

/** The write was committed, but flushing it to stable storage failed: it may not survive a power cut. */
export class SyncError extends StoreError {
  constructor(options?: { cause?: unknown }) {
    super(StoreErrorCode.Sync, 'the write was committed but could not be flushed to disk', options);
  }
}

/** A friend or ignore list already holds its configured maximum. */
export class ListFullError extends StoreError {
  constructor(readonly list: 'friends' | 'ignores', readonly characterId: bigint, readonly max: number) {
    super(StoreErrorCode.ListFull, `the ${list} list of character ${characterId} is full (${max})`);
  }
}
