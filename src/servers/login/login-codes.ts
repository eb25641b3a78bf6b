// Error codes the login server puts on the wire. The authentication and validation codes are the
// game's own (flows.md section 2); the character and select codes are Imlight's, since the client
// only tells zero (success) from non-zero.

/** MSG_USER_AUTHEN_RSP.Error (the game's values, hex in flows.md). */
export const AuthenError = {
  Ok: 0,
  AccountBanned: 0x0538fbc0,
  MachineBanned: 0x44fb7bf8,
  AuthenFailed: 0x3b689180,
  /** Also used for a server-side failure (store unreachable): the client may retry. */
  Timeout: 0x512c42ff,
} as const;
export type AuthenError = (typeof AuthenError)[keyof typeof AuthenError];

/** MSG_USER_VALIDATE_RSP.Error (the game's values, decimal in flows.md). */
export const ValidateError = {
  Ok: 0,
  AccountBanned: 87_620_544,
  MachineBanned: 1_157_331_960,
  ValidateFailed: 246_825_817,
  Timeout: 1_361_855_231,
} as const;
export type ValidateError = (typeof ValidateError)[keyof typeof ValidateError];

/** MSG_CHARACTERLIST.Error, MSG_CREATECHARACTERRESPONSE.ErrorCode, MSG_DELETECHARACTERRESPONSE.ErrorCode. */
export const CharacterError = {
  Ok: 0,
  /** The session has not been admitted (not authenticated, or still queued). */
  NotAdmitted: 1,
  /** The CreationInfo blob does not decode. */
  Malformed: 2,
  LimitReached: 3,
  NameTaken: 4,
  /** Empty, too long, control characters, leading or trailing white space. */
  InvalidName: 5,
  /** No live character with that id belongs to this account. */
  NotFound: 6,
  ServerError: 7,
} as const;
export type CharacterError = (typeof CharacterError)[keyof typeof CharacterError];

/** MSG_CHARACTERSELECTED.Error. */
export const SelectError = {
  Ok: 0,
  NotAdmitted: 1,
  NotFound: 6,
  ServerError: 7,
  /** No game server is registered, open and below its capacity. */
  NoServer: 8,
  /** A selection is already in progress on this session. */
  Busy: 9,
} as const;
export type SelectError = (typeof SelectError)[keyof typeof SelectError];

/** MSG_USER_ADMIT_IND.Status. */
export const AdmitStatus = { Queued: 0, Admitted: 1 } as const;
