// Errors of the login server. Each class carries a stable `code` (never reused); docs/login-server.md lists them.

export abstract class LoginServerError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A login setting is out of range (checked once, when the server is created). */
export class LoginConfigError extends LoginServerError {
  readonly code = 'ERR_LOGIN_CONFIG';
}

/** Rec1 of MSG_USER_AUTHEN_V3 does not decrypt to "<sid> <username> <CK1>". */
export class Rec1FormatError extends LoginServerError {
  readonly code = 'ERR_LOGIN_REC1';
}

/** The login server started without its children (it failed in its preStart). */
export class LoginStartError extends LoginServerError {
  readonly code = 'ERR_LOGIN_START';
}
