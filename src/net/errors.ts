// Every failure the networking layer reports. Each class carries a stable `code` (never reused);
// docs/net.md lists them.

export abstract class NetError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

// ---- client library -------------------------------------------------------------------------

/** The TCP connection or the SessionOffer did not arrive in time. */
export class ClientConnectError extends NetError {
  readonly code = 'ERR_CLIENT_CONNECT';
}

/** `next()` waited past its timeout. */
export class ClientTimeoutError extends NetError {
  readonly code = 'ERR_CLIENT_TIMEOUT';
  constructor(readonly waitedFor: string, readonly timeoutMs: number) {
    super(`no ${waitedFor} within ${timeoutMs} ms`);
  }
}

/** The connection closed while something was waiting on it, or a send was tried after close. */
export class ClientClosedError extends NetError {
  readonly code = 'ERR_CLIENT_CLOSED';
  constructor(readonly waitedFor: string, readonly reason: string, options?: { cause?: unknown }) {
    super(`connection closed (${reason}) while waiting for ${waitedFor}`, options);
  }
}

// ---- message services -----------------------------------------------------------------------

/**
 * Thrown by a service handler when the session cannot go on (corrupt state, a broken invariant):
 * the session ends at once instead of restarting the service.
 */
export class FatalServiceError extends NetError {
  readonly code: string = 'ERR_SERVICE_FATAL';
}

/** A service declared two handlers for one message kind or type. */
export class DuplicateHandlerError extends NetError {
  readonly code = 'ERR_SERVICE_DUPLICATE_HANDLER';
  constructor(readonly service: string, readonly kind: string) {
    super(`service ${service} declares two handlers for ${kind}`);
  }
}

/** Instances of one service class declared different handlers (they must be declared unconditionally). */
export class HandlerShapeError extends NetError {
  readonly code = 'ERR_SERVICE_HANDLER_SHAPE';
  constructor(readonly service: string, detail: string) {
    super(`service ${service}: ${detail}; declare every handler unconditionally in the constructor`);
  }
}

/** `askService()` got no answer from any other service of the session in time. */
export class ServiceAskTimeoutError extends NetError {
  readonly code = 'ERR_SERVICE_ASK_TIMEOUT';
  constructor(readonly messageType: string, readonly session: string, readonly timeoutMs: number, options?: { cause?: unknown }) {
    super(`no service of ${session} answered '${messageType}' within ${timeoutMs} ms`, options);
  }
}

/** `askServer()` got no answer from the server actor in time. */
export class ServerAskTimeoutError extends NetError {
  readonly code = 'ERR_SERVER_ASK_TIMEOUT';
  constructor(readonly messageType: string, readonly server: string, readonly timeoutMs: number, options?: { cause?: unknown }) {
    super(`server ${server} did not answer '${messageType}' within ${timeoutMs} ms`, options);
  }
}

// ---- server ---------------------------------------------------------------------------------

/** The TCP listener could not bind its host/port. */
export class ListenError extends NetError {
  readonly code = 'ERR_LISTEN';
  constructor(readonly server: string, readonly detail: string, options?: { cause?: unknown }) {
    super(`server ${server} cannot listen: ${detail}`, options);
  }
}

/** A configuration value is out of range (checked once, when a server or session is created). */
export class NetConfigError extends NetError {
  readonly code = 'ERR_NET_CONFIG';
}

/** `askService()` named a message type that no other service of the session handles. */
export class NoServiceHandlerError extends NetError {
  readonly code = 'ERR_SERVICE_NO_HANDLER';
  constructor(readonly messageType: string, readonly session: string) {
    super(`no other service of ${session} handles '${messageType}'`);
  }
}
