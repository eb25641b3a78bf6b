// Errors of the admin console. Each carries a stable `code`; API errors also carry the HTTP status they answer with.

export class AdminError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The admin listener could not bind its address. */
export class AdminListenError extends AdminError {
  constructor(address: string, options?: { cause?: unknown }) {
    const why = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super('ERR_ADMIN_LISTEN', `the admin console could not listen on ${address}${why}`, options);
  }
}

/** A refused API request; `status` is the HTTP status of the answer, the message is safe to show the caller. */
export class AdminApiError extends AdminError {
  readonly status: number;
  constructor(status: number, code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = status;
  }
}

export class UnauthorizedError extends AdminApiError {
  constructor(message = 'a bearer token, an administrator account or a console session is required') {
    super(401, 'ERR_ADMIN_UNAUTHORIZED', message);
  }
}

/** A state-changing request from another origin (a page elsewhere trying to act with the console's cookie). */
export class CrossOriginError extends AdminApiError {
  constructor() {
    super(403, 'ERR_ADMIN_CROSS_ORIGIN', 'cross-origin requests are refused');
  }
}

export class MethodNotAllowedError extends AdminApiError {
  constructor(allowed: string) {
    super(405, 'ERR_ADMIN_METHOD', `use ${allowed}`);
  }
}

export class BodyTooLargeError extends AdminApiError {
  constructor(limit: number) {
    super(413, 'ERR_ADMIN_BODY_TOO_LARGE', `request bodies are limited to ${limit} bytes`);
  }
}

export class UnsupportedContentTypeError extends AdminApiError {
  constructor() {
    super(415, 'ERR_ADMIN_CONTENT_TYPE', 'send the body as application/json');
  }
}

/** Too many live pages are open at once. */
export class BusyError extends AdminApiError {
  constructor(message: string) {
    super(503, 'ERR_ADMIN_BUSY', message);
  }
}

export class TooManyAttemptsError extends AdminApiError {
  /** Seconds until the next attempt may run (the Retry-After header). */
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds = 1) {
    super(429, 'ERR_ADMIN_TOO_MANY_ATTEMPTS', `too many failed sign-ins from this address or for this account; try again in ${retryAfterSeconds} s`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A request whose Host header names neither the console's address nor a configured name (DNS rebinding). */
export class MisdirectedHostError extends AdminApiError {
  constructor() {
    super(421, 'ERR_ADMIN_HOST', 'this console does not answer to that Host name');
  }
}

export class BadRequestError extends AdminApiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(400, 'ERR_ADMIN_BAD_REQUEST', message, options);
  }
}

export class NotFoundError extends AdminApiError {
  constructor(message = 'not found') {
    super(404, 'ERR_ADMIN_NOT_FOUND', message);
  }
}

/** An action this process cannot perform (no provider for it: e.g. mute before a game server is wired). */
export class NotAvailableError extends AdminApiError {
  constructor(what: string) {
    super(501, 'ERR_ADMIN_NOT_AVAILABLE', `${what} is not available in this process`);
  }
}

/** The code of a 500 answer: the error itself is only in the server log. */
export const INTERNAL_ERROR_CODE = 'ERR_ADMIN_INTERNAL';
