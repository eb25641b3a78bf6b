// Per-session settings, with the defaults of flows.md section 1 and wire-protocol.md section 2.
import { NetConfigError } from './errors.js';

export interface SessionOptions {
  /** Time for the client's SessionAccept after our SessionOffer. */
  readonly acceptTimeoutMs: number;
  /** Period of the server's own KeepAlive; 0 sends none. */
  readonly keepAliveIntervalMs: number;
  /** A session that receives nothing for this long is closed; 0 disables. */
  readonly idleTimeoutMs: number;
  /** Time each service's onSessionEnd() gets to save its state. */
  readonly endHookTimeoutMs: number;
  /** Bytes held for one slow reader (our queue plus the socket's buffer) before it is dropped. */
  readonly outboundCapBytes: number;
  /** A write queue this large is flushed at once rather than at the end of the microtask. */
  readonly flushBytes: number;
  /** Largest frame body accepted from the client. */
  readonly maxFrameBytes: number;
  /** Service restarts allowed within the window; one more ends the session. */
  readonly maxServiceRestarts: number;
  readonly restartWindowMs: number;
  /** After FIN, how long the peer gets to close before the socket is reset. */
  readonly lingerMs: number;
  /**
   * Messages waiting in a session's mailbox past which it fails and is stopped: a client that
   * floods faster than the server can route must not grow memory without bound.
   */
  readonly maxPendingMessages: number;
  /**
   * Open sessions one remote address may hold on this server; a connection past it is refused at
   * accept. 0 (the default) sets no cap; the configuration's `session.maxConnectionsPerAddress` sets one.
   */
  readonly maxConnectionsPerAddress: number;
  /** Wall clock in Unix milliseconds, for the SessionOffer's secs/millis. */
  readonly clock: () => number;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = Object.freeze({
  acceptTimeoutMs: 15_000,
  keepAliveIntervalMs: 60_000,
  idleTimeoutMs: 120_000,
  endHookTimeoutMs: 5_000,
  outboundCapBytes: 1 << 20,
  flushBytes: 64 << 10,
  maxFrameBytes: 65_536,
  maxServiceRestarts: 3,
  restartWindowMs: 30_000,
  lingerMs: 1_000,
  maxPendingMessages: 10_000,
  maxConnectionsPerAddress: 0,
  clock: Date.now,
});

/** Fills in defaults and checks every number once, when the server is created. */
export function resolveSessionOptions(partial: Partial<SessionOptions> = {}): SessionOptions {
  const options = { ...DEFAULT_SESSION_OPTIONS, ...partial };
  const positive = ['acceptTimeoutMs', 'endHookTimeoutMs', 'outboundCapBytes', 'flushBytes', 'maxFrameBytes', 'restartWindowMs', 'lingerMs', 'maxPendingMessages'] as const;
  const nonNegative = ['keepAliveIntervalMs', 'idleTimeoutMs', 'maxServiceRestarts'] as const;
  for (const key of positive) {
    const value = options[key];
    if (!Number.isFinite(value) || value <= 0) throw new NetConfigError(`session option ${key} must be a number above 0, got ${value}`);
  }
  for (const key of nonNegative) {
    const value = options[key];
    if (!Number.isFinite(value) || value < 0) throw new NetConfigError(`session option ${key} must be a number >= 0, got ${value}`);
  }
  if (!Number.isSafeInteger(options.maxConnectionsPerAddress) || options.maxConnectionsPerAddress < 0) {
    throw new NetConfigError(`session option maxConnectionsPerAddress must be an integer >= 0, got ${options.maxConnectionsPerAddress}`);
  }
  return Object.freeze(options);
}
