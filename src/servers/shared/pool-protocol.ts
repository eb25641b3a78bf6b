// The internal protocol between the login server's GameServerPool and the game servers
// (flows.md section 4). Every message is plain, serializable data: in a cluster these cross
// NATS, so a game server may be a local actor or a proxy that stands for another process.
import type { ActorRef } from '../../runtime/index.js';

/** What a game server announces when it registers. */
export interface GameServerInfo {
  readonly name: string;
  readonly realm: string;
  /** The address clients connect to (MSG_CHARACTERSELECTED.IP). */
  readonly address: string;
  readonly port: number;
  readonly capacity: number;
}

export const GameServerStatus = {
  /** Accepting players. */
  Open: 'open',
  /** Serving its players, taking no new ones. */
  Draining: 'draining',
  /** Shutting down. */
  Stopping: 'stopping',
} as const;
export type GameServerStatus = (typeof GameServerStatus)[keyof typeof GameServerStatus];

export interface GameServerHealth {
  readonly name: string;
  readonly players: number;
  readonly capacity: number;
  readonly status: GameServerStatus;
}

export const RegisterRefusal = {
  DuplicateName: 'duplicate-name',
  DuplicatePort: 'duplicate-port',
  PoolFull: 'pool-full',
  Invalid: 'invalid',
} as const;
export type RegisterRefusal = (typeof RegisterRefusal)[keyof typeof RegisterRefusal];

export type RegisterReply =
  | { readonly type: 'pool.registered'; readonly name: string }
  | { readonly type: 'pool.register-refused'; readonly reason: RegisterRefusal; readonly detail: string };

// ---- game server -> pool ----------------------------------------------------------------------

/** A game server asks to join the pool; retried by the game server until accepted or refused. */
export interface RegisterGameServer {
  readonly type: 'pool.register';
  readonly info: GameServerInfo;
  readonly server: ActorRef<GameServerCommand>;
  readonly replyTo: ActorRef<RegisterReply>;
}

/** A game server leaves the pool (graceful shutdown). */
export interface UnregisterGameServer {
  readonly type: 'pool.unregister';
  readonly name: string;
}

export type PoolCommand = RegisterGameServer | UnregisterGameServer;

// ---- pool -> game server ----------------------------------------------------------------------

/** Periodic health query; a server that misses several replies in a row is removed. */
export interface QueryHealth {
  readonly type: 'pool.health';
  readonly replyTo: ActorRef<GameServerHealth>;
}

/**
 * A one-time login key the login server created for this game server (it is also in the store,
 * which is the authority: the game server consumes it there atomically on MSG_ATTACH).
 */
export interface GrantLoginKey {
  readonly type: 'pool.grant-login-key';
  readonly key: string;
  readonly accountId: bigint;
  readonly characterId: bigint;
  /** Unix milliseconds. */
  readonly expiresAt: number;
}

/** Stop taking new players (the pool also stops selecting the server). */
export interface DrainGameServer {
  readonly type: 'pool.drain';
}

/** Disconnect an account's session on this server (duplicate login elsewhere, admin kick). */
export interface KickPlayer {
  readonly type: 'pool.kick';
  readonly accountId: bigint;
  readonly reason: string;
  readonly replyTo?: ActorRef<{ readonly type: 'pool.kicked'; readonly found: boolean }>;
}

export type GameServerCommand = QueryHealth | GrantLoginKey | DrainGameServer | KickPlayer;
