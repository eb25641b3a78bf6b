// The GameServerPool's own messages (the login side). The messages a game server sends and
// receives are in ../shared/pool-protocol.ts; these are for the login server's services, the
// composition root and the admin view.
import type { ActorRef } from '../../runtime/index.js';
import type { GameServerHealth, GameServerStatus, GrantLoginKey, PoolCommand, SpawnLocalGameServer } from '../shared/pool-protocol.js';

export type { SpawnLocalGameServer, SpawnReply } from '../shared/pool-protocol.js';

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
