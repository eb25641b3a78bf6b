// What every part of one game server shares: its settings and the refs of its long-lived actors.
// Built by the GameServer before its services exist; the refs are filled in its preStart, before
// any session can be created.
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

export class GameContext {
  world!: ActorRef<WorldMessage>;
  commands!: ActorRef<RunCommand>;
  server!: ActorRef<GameServerOwnMessage>;
  loginKeys!: ActorRef<LoginKeysMessage>;
  /** Where clients reach this server (MSG_SERVERTRANSFER to it, and its fallback fields); set once it listens. */
  endpoint: { readonly name: string; readonly address: string; readonly port: number } | undefined = undefined;
  /** The player's client object (a type dump and template 1 configured); undefined: the IMCH stand-in. */
  playerObjects: PlayerObjectBuilder | undefined = undefined;

  constructor(
    readonly name: string,
    readonly realm: string,
    readonly store: Store,
    readonly codec: CharacterBlobCodec,
    readonly registry: MessageRegistry,
    readonly rules: ZoneRules,
    readonly timings: GameTimings,
    readonly startZone: string,
    readonly chatMaxLength: number,
    readonly commandPrefix: string,
    readonly directory: GameServerDirectory | undefined,
    readonly maxZoneChangesPer10s: number,
  ) {}
}
