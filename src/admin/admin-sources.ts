// What the admin console reads and acts through. The composition root (src/cli/start.ts) fills it: the actor system
// and the store are always there; the servers add their views and actions as they are wired in. Everything the
// servers provide is optional: the console shows "not available" for a missing view and refuses a missing action
// with 501, so it runs in any process layout and with any subset of servers.
import type { EventKind, EventMap } from '../runtime/index.js';
import type { Store } from '../store/index.js';

/** One node of `system.snapshot()` (the runtime's `ActorSnapshot` fits). */
export interface TreeSnapshotNode {
  readonly path: string;
  readonly kind: string;
  readonly mailboxSize: number;
  readonly processed: number;
  readonly children: readonly TreeSnapshotNode[];
}

/** The part of an `ActorSystem` the console reads. */
export interface AdminSystem {
  readonly name: string;
  snapshot(): TreeSnapshotNode;
  readonly eventStream: {
    subscribe<K extends EventKind>(kind: K, fn: (event: EventMap[K]) => void): () => void;
  };
}

export const GameServerHealthState = {
  Open: 'open',
  Draining: 'draining',
  Stopping: 'stopping',
  /** The server did not answer its last health queries. */
  Unreachable: 'unreachable',
} as const;
export type GameServerHealthState = (typeof GameServerHealthState)[keyof typeof GameServerHealthState];

export interface GameServerView {
  readonly name: string;
  /** Where clients connect, e.g. "127.0.0.1:12333"; undefined when unknown. */
  readonly address?: string;
  readonly players: number;
  readonly capacity: number;
  readonly status: GameServerHealthState;
  /** Unix milliseconds of the last health answer, when the pool tracks it. */
  readonly lastHealthAt?: number;
  /** Free-form process or node name in a cluster. */
  readonly node?: string;
}

export interface ZoneView {
  readonly server: string;
  /** The zone path, e.g. "WizardCity/WC_Hub". */
  readonly zone: string;
  /** "zone" for a public zone; "instance" for a private one, with its owner. */
  readonly kind: 'zone' | 'instance';
  readonly owner?: string;
  readonly players: number;
}

/** Extra facts a server knows about an online player, merged into the store's online-player entries. */
export interface PlayerDetail {
  readonly accountId: bigint;
  readonly zone?: string;
  /** Unix milliseconds until which the player is muted. */
  readonly mutedUntil?: number;
}

/**
 * The servers' side of the console. Each member is optional; `by` is who asked (for the servers' own logs), the
 * console logs and records every action itself.
 */
export interface AdminProviders {
  gameServers?(): Promise<readonly GameServerView[]>;
  zones?(): Promise<readonly ZoneView[]>;
  playerDetails?(): Promise<readonly PlayerDetail[]>;
  /** Disconnects the account's session(s); false when it was not online. */
  kick?(accountId: bigint, by: string, reason: string): Promise<boolean>;
  /** Mutes the account's chat for `minutes`; false when it was not online. */
  mute?(accountId: bigint, minutes: number, by: string): Promise<boolean>;
  /** Stops a game server from taking new players; false when no server has that name. */
  drain?(server: string, by: string): Promise<boolean>;
}

export interface AdminSources extends AdminProviders {
  readonly system: AdminSystem;
  /** Undefined in a process without a database (patch role): players, bans and account sign-in are then unavailable. */
  readonly store?: Store;
}
