// The session limits every server takes from the `session.*` configuration, mapped once so the login, game and
// patch servers cannot drift apart (a limit set for one and forgotten for another is a hole a client can use).
import type { ImlightConfig } from '../../config/index.js';
import type { SessionOptions } from '../../net/index.js';

export function sessionOptionsFrom(session: ImlightConfig['session']): Partial<SessionOptions> {
  return {
    acceptTimeoutMs: session.acceptTimeout,
    keepAliveIntervalMs: session.keepAliveInterval,
    idleTimeoutMs: session.idleTimeout,
    maxFrameBytes: session.maxFrameBytes,
    outboundCapBytes: session.maxOutboundBytes,
    maxConnectionsPerAddress: session.maxConnectionsPerAddress,
  };
}
