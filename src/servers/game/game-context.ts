// What every part of one game server shares: its settings and the refs of its long-lived actors.
// Built by the GameServer before its services exist; the refs are filled in its preStart, before
// any session can be created.
import type { ActorRef } from '../../runtime/index.js';
import type { MessageRegistry } from '../../protocol/index.js';
import type { CharacterBlobCodec } from '../../objectproperty/index.js';
import type { Store } from '../../store/index.js';
import type { LoginKeysMessage } from './login-keys.js';
import type { SocialLink } from './social/social-port.js';
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
  /** Chat lines one player may send per 10 s on each channel. */
  readonly chatRatePer10s: number;
}

export class GameContext {
  world!: ActorRef<WorldMessage>;
  commands!: ActorRef<RunCommand>;
  server!: ActorRef<GameServerOwnMessage>;
  loginKeys!: ActorRef<LoginKeysMessage>;
  /** The social layer (docs/social.md); undefined: friends, whispers and groups are off on this server. */
  social: SocialLink | undefined = undefined;

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
