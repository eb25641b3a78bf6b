// Connection limits of an HTTP listener (the patch server's files, the admin console): a total cap,
// a cap per remote address, and request headers that must arrive within a limit. Node checks that
// limit only every `connectionsCheckingInterval` (30 s by default), so a slow client could hold a
// connection three times longer than allowed; it is checked every half second here. Node also never
// applies it to a connection that sends nothing at all: the guard closes a connection whose first
// request has not arrived within the limit itself.
import type { IncomingMessage, Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';

export interface HttpGuardOptions {
  /** Open connections at most; Node closes the ones past it at once. */
  readonly maxConnections: number;
  /** Open connections from one remote address at most; past it a new one is closed at once. */
  readonly maxConnectionsPerAddress: number;
  /** Time a client has to send a request's headers, from the connection or the previous request. */
  readonly headersTimeoutMs: number;
  /** Called when a connection is refused for its address (rate-limit the logging yourself). */
  readonly onRefused?: (address: string, open: number) => void;
}

/** How often Node looks for expired header and request timeouts. */
export const HTTP_TIMEOUT_CHECK_MS = 500;

/** Options for `http.createServer`: the timeout check every half second. */
export function guardedServerOptions(): ServerOptions {
  return { connectionsCheckingInterval: HTTP_TIMEOUT_CHECK_MS };
}

export interface HttpGuard {
  /** Open connections of this address. */
  connectionsOf(address: string): number;
  readonly refused: number;
}

/** Applies the limits to a server made with `guardedServerOptions()`. */
export function guardHttpServer(server: Server, options: HttpGuardOptions): HttpGuard {
  server.maxConnections = options.maxConnections;
  server.headersTimeout = options.headersTimeoutMs;
  // Node requires requestTimeout >= headersTimeout when both are set.
  if (server.requestTimeout !== 0 && server.requestTimeout < options.headersTimeoutMs) server.requestTimeout = options.headersTimeoutMs;
  const perAddress = new Map<string, number>();
  const started = new WeakSet<Socket>();
  let refused = 0;
  server.on('request', (request: IncomingMessage) => started.add(request.socket));
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const open = perAddress.get(address) ?? 0;
    if (open >= options.maxConnectionsPerAddress) {
      refused++;
      socket.destroy();
      options.onRefused?.(address, open);
      return;
    }
    perAddress.set(address, open + 1);
    const firstRequest = setTimeout(() => {
      if (!started.has(socket)) socket.destroy();
    }, options.headersTimeoutMs);
    firstRequest.unref();
    socket.once('close', () => {
      clearTimeout(firstRequest);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  });
  return {
    connectionsOf: (address) => perAddress.get(address) ?? 0,
    get refused() {
      return refused;
    },
  };
}
