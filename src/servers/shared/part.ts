// The one shape of a server part (login, game, patch): what the composition root (src/cli/start.ts) hands a part
// when it starts it, and what the part hands back. Each server folder exports one part of this shape; src/cli only
// composes them and passes refs between them (docs/architecture.md, "Start order").
import type { ImlightConfig, Role } from '../../config/index.js';
import type { NetMetrics } from '../../net/index.js';
import type { CharacterBlobCodec } from '../../objectproperty/index.js';
import type { ActorRef, ActorSystem, Logger } from '../../runtime/index.js';
import type { Store } from '../../store/index.js';
import type { LocalPoolMessage } from './pool-protocol.js';

/** Child loggers per component: `logs.component('login')`. */
export interface ComponentLogs {
  component(name: string, bindings?: Record<string, unknown>): Logger;
}

/**
 * Told the outcome of each authentication and validation. `reason` is a word from a fixed set
 * (`authen-AuthenFailed`, `validate-MachineBanned`, ...), never client input, so it can label a metric.
 */
export interface LoginOutcomes {
  succeeded(): void;
  failed(reason: string): void;
}

/** What every part gets at start. */
export interface PartContext {
  readonly role: Role;
  readonly config: ImlightConfig;
  readonly system: ActorSystem;
  /** Undefined for a role without a database (patch). */
  readonly store: Store | undefined;
  readonly logs: ComponentLogs;
  /** The character blob codec: ObjectProperty with `objectProperty.typeDump`, else the IMCH stand-in. */
  readonly characterCodec: CharacterBlobCodec;
  /** A server's networking counters, mirrored into the process's metrics under its name. */
  readonly netMetrics: (server: string) => NetMetrics;
  /** Wall clock, Unix ms (stored times, mutes). The actors' timers run on the actor system's scheduler. */
  readonly clock: () => number;
  /** Where the login server reports each login's outcome (the process's metrics). */
  readonly logins: LoginOutcomes;
  /**
   * The pool the game servers of this process register with: the one a part started before returned (the login
   * part's GameServerPool), or on a game-role node of a cluster the link that stands for the login server's pool;
   * undefined when there is neither (game servers then run standalone).
   */
  readonly pool: ActorRef<LocalPoolMessage> | undefined;
}

/** A game server as the admin console lists it (the shape of src/admin's GameServerView). */
export interface PartGameServerView {
  readonly name: string;
  readonly address?: string;
  readonly players: number;
  readonly capacity: number;
  readonly status: 'open' | 'draining' | 'stopping' | 'unreachable';
}

/** A zone or instance as the admin console lists it (the shape of src/admin's ZoneView). */
export interface PartZoneView {
  readonly server: string;
  readonly zone: string;
  readonly kind: 'zone' | 'instance';
  readonly owner?: string;
  readonly players: number;
}

/**
 * What a part shows and does in the admin console: the shape of src/admin's AdminProviders, restated because the
 * servers do not import the admin console. Every member is optional.
 */
export interface PartAdmin {
  gameServers?(): Promise<readonly PartGameServerView[]>;
  zones?(): Promise<readonly PartZoneView[]>;
  playerDetails?(): Promise<readonly { readonly accountId: bigint; readonly zone?: string; readonly mutedUntil?: number }[]>;
  kick?(accountId: bigint, by: string, reason: string): Promise<boolean>;
  mute?(accountId: bigint, minutes: number, by: string): Promise<boolean>;
  drain?(server: string, by: string): Promise<boolean>;
}

/** What a started part hands back. */
export interface RunningPart {
  /** Stops what the part started; the composition root calls it in reverse order of start. */
  stop(): Promise<void> | void;
  readonly admin?: PartAdmin;
  /** The login part: its GameServerPool, handed to the parts after it and to the cluster wiring. */
  readonly pool?: ActorRef<LocalPoolMessage>;
}

/** A part of the process: started after the store and the actor system, stopped before them. */
export interface Part {
  readonly name: string;
  /** Which roles run it. */
  readonly roles: readonly Role[];
  start(context: PartContext): Promise<RunningPart>;
}
