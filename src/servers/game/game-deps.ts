// What every part of one game server shares: its settings, its clock and the refs of its long-lived actors. The
// GameServer builds it once, frozen, in its preStart: first the settings part (GameConfig, which its children get),
// then, once it has spawned those children, the whole GameDeps its session services get. Nothing is filled later.
import type { ActorRef } from '../../runtime/index.js';
import type { MessageRegistry } from '../../protocol/index.js';
import type { CharacterBlobCodec } from '../../objectproperty/index.js';
import type { Store } from '../../store/index.js';
import type { LoginKeysMessage } from './login-keys.js';
import type { PlayerObjectBuilder } from './player-object.js';
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
  /** Wait for MSG_CLIENTZONED after LOGINCOMPLETE; past it the player is put in the world anyway. */
  readonly zonedWaitMs: number;
  /** Show objects right after LOGINCOMPLETE instead of after MSG_CLIENTZONED. */
  readonly objectsBeforeZoned: boolean;
  /** A player with no activity this long is disconnected (MSG_DISCONNECT_AFK); 0: never. */
  readonly afkTimeoutMs: number;
  /** Wait for the client's MSG_ZONETRANSFER_ACK / NACK. */
  readonly transferAckTimeoutMs: number;
  /** Wait for the client to attach again after MSG_SERVERTRANSFER (the transfer key's lifetime). */
  readonly transferReconnectTimeoutMs: number;
  /** Pause between the ACK and MSG_SERVERTRANSFER. */
  readonly serverTransferDelayMs: number;
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
  /** The player's client object (a type dump and template 1 configured); undefined: the IMCH stand-in. */
  readonly playerObjects: PlayerObjectBuilder | undefined;
  /** Where clients reach this server: its name and public address (the port is the server's, asked with game.endpoint). */
  readonly publicAddress: string;
}

/** GameConfig plus the refs of the server and its long-lived children: what the session services get. */
export interface GameDeps extends GameConfig {
  readonly server: ActorRef<GameServerOwnMessage>;
  readonly world: ActorRef<WorldMessage>;
  readonly commands: ActorRef<RunCommand>;
  readonly loginKeys: ActorRef<LoginKeysMessage>;
}
