// The internal protocol between the login server's GameServerPool and the game servers
// (docs/game-server.md, "Registration"). Every message but the spawn command is plain, serializable data: in a
// cluster these cross NATS, so a game server may be a local actor or a proxy that stands for another process.
import type { ActorRef, Props } from '../../runtime/index.js';

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

// ---- the starter of a game server -> the pool of its process --------------------------------------

export type SpawnReply =
  | { readonly type: 'pool.spawned'; readonly name: string; readonly ref: ActorRef<GameServerCommand> }
  | { readonly type: 'pool.spawn-failed'; readonly name: string; readonly error: string };

/**
 * Creates a game server (or the stand-in of a remote one) in this process as a child of the pool. The props are
 * local objects, never sent across processes; the child registers itself with its parent, the pool, like any
 * game server.
 */
export interface SpawnLocalGameServer {
  readonly type: 'pool.spawn-local';
  /** Also the child's actor name (`game-<name>`). */
  readonly name: string;
  readonly props: Props<never>;
  readonly replyTo?: ActorRef<SpawnReply>;
}

/**
 * The pool as the game servers of one process see it: the login server's GameServerPool (role `all`), or on a
 * game-role node of a cluster the PoolLink that stands for it. The composition root hands it to the game part.
 */
export type LocalPoolMessage = PoolCommand | SpawnLocalGameServer;

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
