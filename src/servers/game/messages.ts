// The game server's internal messages: between its session services, the world, the zones and the
// server actor. All plain data (refs and Buffers), so any of them may later cross processes.
import type { ActorRef } from '../../runtime/index.js';
import type { SessionCommand } from '../../net/index.js';
import type { AccessLevel } from '../../store/index.js';
import type { WirePosition } from './location.js';

// ---- zones ------------------------------------------------------------------------------------

/** Who enters a zone. */
export interface ZoneEntrant {
  readonly accountId: bigint;
  readonly characterId: bigint;
  readonly name: string;
  readonly creationData: Buffer;
  readonly session: ActorRef<SessionCommand>;
  readonly position: WirePosition;
}

export type EnterResult =
  | { readonly ok: true; readonly zone: ActorRef<ZoneMessage>; readonly path: string; readonly zoneId: bigint; readonly mobileId: number; readonly instance: string | undefined }
  | { readonly ok: false; readonly code: string; readonly detail: string };

export interface LeaveResult {
  readonly found: boolean;
  readonly position: WirePosition;
}

export type ZoneMessage =
  /** Admits a player once the zone is loaded; `preamble` frames go to the player first (LOGINCOMPLETE, ZONETRANSFER). */
  | { readonly type: 'zone.enter'; readonly entrant: ZoneEntrant; readonly preamble: readonly Buffer[]; readonly replyTo: ActorRef<EnterResult> }
  | { readonly type: 'zone.leave'; readonly characterId: bigint; readonly replyTo: ActorRef<LeaveResult> }
  | { readonly type: 'zone.move'; readonly mobileId: number; readonly characterId: bigint; readonly x: number; readonly y: number; readonly z: number; readonly direction: number }
  | { readonly type: 'zone.chat'; readonly characterId: bigint; readonly message: Buffer; readonly filter: number }
  /** Relays a frame a player caused (an emote, a jump, quick chat) to the zone, minus those who ignore them. */
  | { readonly type: 'zone.relay'; readonly characterId: bigint; readonly frame: Buffer; readonly includeSender: boolean }
  /** The players a zone member ignores (sent on entering a zone and when the list changes). */
  | { readonly type: 'zone.ignores'; readonly characterId: bigint; readonly ignored: readonly bigint[] }
  | { readonly type: 'zone.position'; readonly characterId: bigint; readonly replyTo: ActorRef<LeaveResult> }
  | { readonly type: 'zone.info'; readonly replyTo: ActorRef<ZoneInfo> }
  | { readonly type: 'zone.tick' }
  /** The session of a player in the zone ended without leaving (it ended mid-attach, or failed). */
  | { readonly type: 'zone.session-gone'; readonly characterId: bigint; readonly session: string }
  | { readonly type: 'zone.loaded'; readonly objects: number }
  | { readonly type: 'zone.load-failed'; readonly detail: string };

export interface ZoneInfo {
  readonly path: string;
  readonly instance: string | undefined;
  readonly state: 'loading' | 'ready' | 'failed';
  readonly players: readonly { readonly characterId: bigint; readonly name: string; readonly mobileId: number }[];
}

/** Zone -> its parent (world or instance). */
export type ZoneParentMessage =
  | { readonly type: 'zone.population'; readonly path: string; readonly players: number }
  | { readonly type: 'zone.failed'; readonly path: string; readonly generation: number };

// ---- world ------------------------------------------------------------------------------------

export interface EnterRequest {
  readonly type: 'world.enter';
  readonly path: string;
  /** The character whose private instance a private path means. */
  readonly owner: bigint;
  readonly entrant: ZoneEntrant;
  readonly preamble: readonly Buffer[];
  readonly replyTo: ActorRef<EnterResult>;
}

export interface ZonePopulation {
  readonly path: string;
  readonly players: number;
}

export interface WorldInfo {
  /** Public zone paths, and the players in each (same order). */
  readonly zones: readonly string[];
  readonly zonePlayers: readonly number[];
  readonly instances: readonly { readonly key: string; readonly zones: readonly string[]; readonly zonePlayers: readonly number[] }[];
}

export type WorldMessage =
  | EnterRequest
  | ZoneParentMessage
  | { readonly type: 'world.info'; readonly replyTo: ActorRef<WorldInfo> }
  | { readonly type: 'world.instance-idle'; readonly key: string; readonly generation: number; readonly entersSeen: number };

export type InstanceMessage =
  | EnterRequest
  | ZoneParentMessage
  | { readonly type: 'instance.grace-over' }
  | { readonly type: 'instance.zones'; readonly replyTo: ActorRef<readonly ZonePopulation[]> };

// ---- the players of a server ------------------------------------------------------------------

export interface OnlineEntry {
  readonly sid: number;
  readonly accountId: bigint;
  readonly characterId: bigint;
  readonly name: string;
  readonly accessLevel: AccessLevel;
  readonly session: ActorRef<SessionCommand>;
}

export type RegisterPlayerReply =
  | { readonly ok: true; readonly mutedUntil: number }
  | { readonly ok: false; readonly code: number; readonly detail: string };

export interface PlayerSummary {
  readonly name: string;
  readonly characterId: bigint;
  readonly accountId: bigint;
  readonly zone: string;
  /** Unix ms until which the account is muted (0: not muted). */
  readonly mutedUntil: number;
}

/** Commands for the server actor (from its services and its CommandDispatcher). */
export type GameServerOwnMessage =
  | { readonly type: 'game.register-player'; readonly entry: OnlineEntry; readonly replyTo: ActorRef<RegisterPlayerReply> }
  | { readonly type: 'game.player-zone'; readonly sid: number; readonly zone: string }
  | { readonly type: 'game.list-players'; readonly replyTo: ActorRef<readonly PlayerSummary[]> }
  | { readonly type: 'game.find-player'; readonly name: string; readonly replyTo: ActorRef<OnlineEntry | undefined> }
  /** `until`: Unix ms, or MUTED_FOREVER; 0 lifts the mute. Answers whether the account is online here. */
  | { readonly type: 'game.set-muted'; readonly accountId: bigint; readonly until: number; readonly replyTo?: ActorRef<boolean> }
  | { readonly type: 'game.broadcast'; readonly frame: Buffer }
  | { readonly type: 'game.shutdown'; readonly replyTo: ActorRef<ShutdownReport> }
  | { readonly type: 'game.shutdown-timeout' }
  | { readonly type: 'game.when-registered'; readonly replyTo: ActorRef<RegistrationResult> }
  | { readonly type: 'game.listening'; readonly ok: boolean; readonly port: number; readonly error: string }
  | { readonly type: 'game.register-attempt' }
  | { readonly type: 'game.register-reply'; readonly reply: { readonly type: string; readonly reason?: string; readonly detail?: string } | undefined; readonly error: string | undefined }
  | { readonly type: 'game.older-ended'; readonly sid: number };

export type RegistrationResult =
  | { readonly ok: true; readonly name: string; readonly port: number }
  | { readonly ok: false; readonly code: string; readonly reason: string; readonly detail: string };

export interface ShutdownReport {
  readonly players: number;
  readonly saved: number;
  readonly timedOut: boolean;
}

// ---- between the services of one session ------------------------------------------------------

/** Attach -> the other services: the player is in the game. */
export interface PlayerReady {
  readonly type: 'game.player-ready';
  readonly accountId: bigint;
  readonly characterId: bigint;
  readonly name: string;
  readonly accessLevel: AccessLevel;
  readonly creationData: Buffer;
  readonly stateVersion: number;
  /** Unix ms until which the account is muted (0: not muted). */
  readonly mutedUntil: number;
  readonly zone: Extract<EnterResult, { ok: true }>;
}

/** Zone service -> the other services: the player now is in another zone (ZoneCounter moved on). */
export interface ZoneChanged {
  readonly type: 'game.zone-changed';
  readonly zone: ActorRef<ZoneMessage>;
  readonly path: string;
  readonly mobileId: number;
  readonly zoneCounter: number;
}

/** Server -> the session's services: a moderator (un)muted this account. */
export interface MuteChanged {
  readonly type: 'game.mute-changed';
  readonly mutedUntil: number;
}

/** A mute without an end (the .mute command); lifted by .unmute or a restart of the server. */
export const MUTED_FOREVER = Number.MAX_SAFE_INTEGER;

/** Commands -> the session's zone service: move to a zone (a server decision, no request). */
export interface Teleport {
  readonly type: 'game.teleport';
  readonly path: string;
  readonly replyTo?: ActorRef<TeleportResult>;
}

export type TeleportResult =
  | { readonly ok: true; readonly zone: string }
  /** zoneUnavailable: the zone itself refused (its data failed to load, the world is full). */
  | { readonly ok: false; readonly detail: string; readonly zoneUnavailable?: boolean };

/** Commands -> the session's zone service: reconnect to another game server. */
export interface ServerTransfer {
  readonly type: 'game.server-transfer';
  readonly target: { readonly name: string; readonly address: string; readonly port: number };
  readonly replyTo?: ActorRef<TeleportResult>;
}

/** Chat service -> CommandDispatcher. */
export interface RunCommand {
  readonly type: 'commands.run';
  readonly text: string;
  readonly issuer: { readonly accountId: bigint; readonly characterId: bigint; readonly name: string; readonly accessLevel: AccessLevel; readonly session: ActorRef<SessionCommand> };
}
