// Messages between the login server's actors and its session services. They stay inside the login
// process (they carry session refs, which are plain refs, but no one outside needs them).
import type { ActorRef } from '../../runtime/index.js';
import type { SessionCommand } from '../../net/index.js';
import type { PoolMessage } from './pool-messages.js';

// ---- OnlinePlayers ------------------------------------------------------------------------------

export type ClaimReply =
  | { readonly type: 'online.claimed'; readonly displaced: number }
  | { readonly type: 'online.claim-refused'; readonly reason: string };

/** A session authenticated an account: apply the duplicate-login policy and remember the session. */
export interface ClaimAccount {
  readonly type: 'online.claim';
  readonly accountId: bigint;
  readonly sid: number;
  readonly session: ActorRef<SessionCommand>;
  readonly replyTo: ActorRef<ClaimReply>;
}

/** The session was admitted: record it in the store's OnlinePlayers. */
export interface RecordAdmitted {
  readonly type: 'online.admitted';
  readonly accountId: bigint;
  readonly sid: number;
}

/** The session ended: forget it and remove its OnlinePlayers entry. */
export interface ReleaseSession {
  readonly type: 'online.release';
  readonly sid: number;
}

/** Whether the account is online anywhere (store) — for the refuse-new policy. */
export interface IsOnline {
  readonly type: 'online.is-online';
  readonly accountId: bigint;
  readonly replyTo: ActorRef<boolean>;
}

export type OnlinePlayersMessage = ClaimAccount | RecordAdmitted | ReleaseSession | IsOnline | { readonly type: 'online.flush' };

// ---- AdmissionQueue -----------------------------------------------------------------------------

export type EnterReply =
  | { readonly type: 'admission.admitted' }
  | { readonly type: 'admission.queued'; readonly position: number }
  | { readonly type: 'admission.refused'; readonly reason: string };

export interface EnterRealm {
  readonly type: 'admission.enter';
  readonly accountId: bigint;
  readonly sid: number;
  readonly session: ActorRef<SessionCommand>;
  readonly replyTo: ActorRef<EnterReply>;
}

export interface LeaveRealm {
  readonly type: 'admission.leave';
  readonly sid: number;
}

export interface AdmissionStatus {
  readonly admitted: number;
  readonly queued: number;
  /** Players on other servers of the realm at the last recount. */
  readonly elsewhere: number;
  readonly capacity: number;
}

export interface GetAdmissionStatus {
  readonly type: 'admission.status';
  readonly replyTo: ActorRef<AdmissionStatus>;
}

export type AdmissionMessage =
  | EnterRealm
  | LeaveRealm
  | GetAdmissionStatus
  | { readonly type: 'admission.recount' }
  | { readonly type: 'admission.recounted'; readonly elsewhere: number | undefined };

// ---- LoginThrottle ------------------------------------------------------------------------------

export interface ThrottleVerdict {
  /** Above 0: locked out for this long; the attempt is refused without checking anything. */
  readonly lockedForMs: number;
  /** Delay before answering this attempt (recent failures). */
  readonly delayMs: number;
}

export interface CheckThrottle {
  readonly type: 'throttle.check';
  /** Lower-cased username, or "#<UserID>" for MSG_USER_VALIDATE. */
  readonly account: string;
  readonly address: string;
  readonly replyTo: ActorRef<ThrottleVerdict>;
}

export interface ReportAttempt {
  readonly type: 'throttle.report';
  readonly account: string;
  readonly address: string;
  readonly success: boolean;
}

export type ThrottleMessage = CheckThrottle | ReportAttempt | { readonly type: 'throttle.sweep' };

// ---- between the services of one login session --------------------------------------------------

/** Authenticated (AUTHEN_V3 or VALIDATE succeeded); admission is under way. */
export interface SessionAuthenticated {
  readonly type: 'login.authenticated';
  readonly accountId: bigint;
}

/** Waiting in the admission queue. */
export interface SessionQueued {
  readonly type: 'login.queued';
  readonly position: number;
}

/** Admitted: the character services may serve this account. */
export interface SessionAdmitted {
  readonly type: 'login.admitted';
  readonly accountId: bigint;
}

export type SessionStateMessage = SessionAuthenticated | SessionQueued | SessionAdmitted;

// ---- to the login server itself ----------------------------------------------------------------

/** The refs of the login server's children that its starter hands on (the pool to the game servers). */
export interface LoginServerRefs {
  readonly pool: ActorRef<PoolMessage>;
  readonly admission: ActorRef<AdmissionMessage>;
}

/** Asks the server for its children's refs (answered once it has spawned them, which is before it listens). */
export interface GetLoginServerRefs {
  readonly type: 'login.refs';
  readonly replyTo: ActorRef<LoginServerRefs>;
}

/** Ends one of this server's sessions (the admin console's kick); answers whether the session was open. */
export interface CloseLoginSession {
  readonly type: 'login.close-session';
  readonly sid: number;
  readonly reason: string;
  readonly replyTo: ActorRef<boolean>;
}

export type LoginServerOwnMessage = GetLoginServerRefs | CloseLoginSession;
