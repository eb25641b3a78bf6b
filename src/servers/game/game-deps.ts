// What every part of one game server shares: its settings, its clock and the refs of its long-lived actors. The
// GameServer builds it once, frozen, in its preStart: first the settings part (GameConfig, which its children get),
// then, once it has spawned those children, the whole GameDeps its session services get. Nothing is filled later.
import type { ActorRef } from '../../runtime/index.js';
import type { MessageRegistry } from '../../protocol/index.js';
import type { CharacterBlobCodec } from '../../objectproperty/index.js';
import type { Store } from '../../store/index.js';
import type { LoginKeysMessage } from './login-keys.js';
import type { GameServerOwnMessage, RunCommand, WorldMessage } from './messages.js';
import type { ZoneRules } from './zone-path.js';

/** Finds another game server by name (for MSG_SERVERTRANSFER). */
export interface GameServerDirectory {
  resolve(name: string): Promise<{ readonly name: string; readonly address: string; readonly port: number } | undefined>;
}

export interface GameTimings {
  readonly attachTimeoutMs: number;
  readonly moveTickMs: number;
  readonly saveIntervalMs: number;
  readonly instanceGraceMs: number;
  readonly registerRetryMs: number;
  readonly loginKeyExpiryMs: number;
  readonly zoneLoadTimeoutMs: number;
  /** Time a service gets to answer an ask of another actor (world, server, store-bound steps). */
  readonly askTimeoutMs: number;
}

/** The settings of one game server, and its clock: what its children need before the server's refs exist. */
export interface GameConfig {
  readonly name: string;
  readonly realm: string;
  readonly store: Store;
  readonly codec: CharacterBlobCodec;
  readonly registry: MessageRegistry;
  readonly rules: ZoneRules;
  readonly timings: GameTimings;
  readonly startZone: string;
  readonly chatMaxLength: number;
  readonly commandPrefix: string;
  readonly directory: GameServerDirectory | undefined;
  readonly maxZoneChangesPer10s: number;
  /** Wall clock, Unix ms: stored times (login keys, online since), mutes, the server time sent on attach. */
  readonly clock: () => number;
}

/** GameConfig plus the refs of the server and its long-lived children: what the session services get. */
export interface GameDeps extends GameConfig {
  readonly server: ActorRef<GameServerOwnMessage>;
  readonly world: ActorRef<WorldMessage>;
  readonly commands: ActorRef<RunCommand>;
  readonly loginKeys: ActorRef<LoginKeysMessage>;
}
