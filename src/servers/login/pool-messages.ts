// The GameServerPool's own messages (the login side). The messages a game server sends and
// receives are in ../shared/pool-protocol.ts; these are for the login server's services, the
// composition root and the admin view.
import type { ActorRef, Props } from '../../runtime/index.js';
import type { GameServerCommand, GameServerHealth, GameServerStatus, GrantLoginKey, PoolCommand } from '../shared/pool-protocol.js';

/** One registered game server, as the admin view and the tests see it. */
export interface GameServerView {
  readonly name: string;
  readonly realm: string;
  readonly address: string;
  readonly port: number;
  readonly capacity: number;
  /** From the last health reply. */
  readonly players: number;
  /** Players sent there since the last health reply. */
  readonly reserved: number;
  readonly status: GameServerStatus;
  /** Health queries missed in a row. */
  readonly missed: number;
  /** True when the server is a child of the pool (same process). */
  readonly local: boolean;
  readonly path: string;
}

export type SelectReply =
  | { readonly type: 'pool.selected'; readonly name: string; readonly address: string; readonly port: number }
  | { readonly type: 'pool.no-server'; readonly reason: string };

export type SpawnReply =
  | { readonly type: 'pool.spawned'; readonly name: string; readonly ref: ActorRef<GameServerCommand> }
  | { readonly type: 'pool.spawn-failed'; readonly name: string; readonly error: string };

/** Picks a game server for a player (and reserves a place on it until the next health reply). */
export interface SelectGameServer {
  readonly type: 'pool.select';
  /** MSG_SELECTCHARACTER.ServerName: honoured when it names an eligible server. */
  readonly preferred?: string;
  readonly replyTo: ActorRef<SelectReply>;
}

/** Hands a one-time login key (already stored) to the game server it was made for. */
export interface ForwardLoginKey {
  readonly type: 'pool.forward-login-key';
  readonly server: string;
  readonly grant: GrantLoginKey;
}

/** Disconnects an account on one game server (duplicate login). */
export interface KickOnServer {
  readonly type: 'pool.kick-on-server';
  readonly server: string;
  readonly accountId: bigint;
  readonly reason: string;
}

/** Admin: stop sending players to a server and tell it to drain. */
export interface DrainServer {
  readonly type: 'pool.drain-server';
  readonly name: string;
  readonly replyTo: ActorRef<{ readonly type: 'pool.drained'; readonly found: boolean }>;
}

export interface ListServers {
  readonly type: 'pool.list';
  readonly replyTo: ActorRef<readonly GameServerView[]>;
}

/**
 * Composition root: creates a game server in this process as a child of the pool. The props are
 * local objects (never sent across processes); the child registers itself with its parent, the
 * pool, like any game server.
 */
export interface SpawnLocalGameServer {
  readonly type: 'pool.spawn-local';
  /** Also the child's actor name (`game-<name>`). */
  readonly name: string;
  readonly props: Props<any>;
  readonly replyTo?: ActorRef<SpawnReply>;
}

/** Internal: the periodic health round. */
export interface HealthTick {
  readonly type: 'pool.health-tick';
}

/** Internal: the outcome of one health query. */
export interface HealthResult {
  readonly type: 'pool.health-result';
  readonly name: string;
  readonly incarnation: number;
  readonly health: GameServerHealth | undefined;
  readonly error: string | undefined;
}

/** Internal: a watched game server's actor ended (its process died, or it stopped). */
export interface ServerTerminated {
  readonly type: 'pool.server-terminated';
  readonly name: string;
  readonly incarnation: number;
}

export type PoolMessage =
  | PoolCommand
  | SelectGameServer
  | ForwardLoginKey
  | KickOnServer
  | DrainServer
  | ListServers
  | SpawnLocalGameServer
  | HealthTick
  | HealthResult
  | ServerTerminated;
