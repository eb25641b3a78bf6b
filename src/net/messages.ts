// The messages of the networking actors. Public commands (what any actor may send to a session or
// a server) are plain data; the internal ones carry local objects (a socket) and never leave the process.
import type { Socket } from 'node:net';
import type { ActorRef, Message } from '../runtime/index.js';
import type { MessageKind, RecordDef } from '../protocol/index.js';

// ---- to a session (public) ------------------------------------------------------------------

/** Sends one DML message to the session's client. */
export interface SendToClient {
  readonly type: 'net.send';
  readonly kind: MessageKind<any>;
  readonly data: object;
}

/** Sends pre-encoded frames (e.g. one broadcast encoded once for a whole zone). */
export interface SendFrameToClient {
  readonly type: 'net.send-frame';
  readonly frame: Buffer;
}

/** Sends one frame given in pieces, written together in order (a frame assembled from views of others, without a copy). */
export interface SendFramePartsToClient {
  readonly type: 'net.send-frame-parts';
  readonly parts: readonly Buffer[];
}

/** Ends the session cleanly (services' end hooks, then the socket). */
export interface CloseSession {
  readonly type: 'net.close';
  readonly reason: string;
}

/** Delivers an internal message to the session's services that handle its type, except `except` (a service name). */
export interface TellServices {
  readonly type: 'net.tell-services';
  readonly message: Message;
  readonly except?: string;
}

export interface SessionInfo {
  readonly sid: number;
  readonly remoteAddress: string;
  readonly handshaken: boolean;
  readonly services: readonly string[];
}

export interface GetSessionInfo {
  readonly type: 'net.session-info';
  readonly replyTo: ActorRef<SessionInfo>;
}

export type SessionCommand = SendToClient | SendFrameToClient | SendFramePartsToClient | CloseSession | TellServices | GetSessionInfo;

// ---- inside a session -----------------------------------------------------------------------

/** Socket listener -> session: one decoded control frame. */
export interface ClientControl {
  readonly type: 'net.client-control';
  readonly opcode: number;
  readonly payload: Buffer;
}

/** Socket listener -> session: one decoded DML message. */
export interface ClientDml {
  readonly type: 'net.client-dml';
  readonly record: RecordDef;
  readonly data: Record<string, unknown>;
}

/** Socket listener -> session: the stream is unusable (bad start signal, oversized frame). */
export interface ClientProtocolError {
  readonly type: 'net.protocol-error';
  readonly code: string;
  readonly detail: string;
}

/** Socket listener -> session: the peer closed, or the socket failed. */
export interface SocketClosed {
  readonly type: 'net.socket-closed';
  readonly error?: string;
}

/** Socket sender -> session: the client reads too slowly; the cap was hit and the socket reset. */
export interface OutboundOverflow {
  readonly type: 'net.outbound-overflow';
  readonly heldBytes: number;
}

/** Service -> session: an ask delivered to the other services; the first answer wins. */
export interface AskServices {
  readonly type: 'net.ask-services';
  readonly message: Message;
  readonly except: string;
  readonly replyTo: ActorRef;
}

export interface AcceptTimedOut {
  readonly type: 'net.accept-timeout';
}
export interface KeepAliveTick {
  readonly type: 'net.keep-alive-tick';
}
export interface IdleCheck {
  readonly type: 'net.idle-check';
}
/** A service was stopped by a failure (fatal error, restart budget, full mailbox, constructor error). */
export interface ServiceFailed {
  readonly type: 'net.service-failed';
  readonly name: string;
  readonly error: string;
}

export type SessionMessage =
  | SessionCommand
  | ClientControl
  | ClientDml
  | ClientProtocolError
  | SocketClosed
  | OutboundOverflow
  | AskServices
  | AcceptTimedOut
  | KeepAliveTick
  | IdleCheck
  | ServiceFailed;

/** Session -> socket sender. */
export type SenderMessage =
  | { readonly type: 'net.write'; readonly frame: Buffer }
  // A session hands frames from other actors on as they came: no new message per frame.
  | SendFrameToClient
  | SendFramePartsToClient
  | { readonly type: 'net.end'; readonly graceful: boolean };

/** Socket -> socket listener: the end of the stream, turned into a message. */
export type ListenerMessage = { readonly type: 'net.closed'; readonly error?: string };

/** The reply a session gives an AskServices that no other service handles. */
export interface NoServiceHandles {
  readonly type: 'net.no-service-handles';
  readonly messageType: string;
}

// ---- to a service ---------------------------------------------------------------------------

/** Session -> service: a client message for the handler in `slot`. */
export interface ServiceClientMessage {
  readonly type: 'net.client';
  readonly slot: number;
  readonly record: RecordDef;
  readonly data: Record<string, unknown>;
}

/** Session -> service: the handshake is done. */
export interface ServiceSessionStarted {
  readonly type: 'net.session-started';
}

/** Session -> service (ask): run onSessionEnd() and answer. */
export interface ServiceEndSession {
  readonly type: 'net.end-session';
  readonly reason: string;
  readonly replyTo: ActorRef<true>;
}

export type ServiceMessage = ServiceClientMessage | ServiceSessionStarted | ServiceEndSession;

// ---- to a server ----------------------------------------------------------------------------

export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

export interface ServerInfo {
  readonly name: string;
  /** Undefined until the listener is bound. */
  readonly address: ServerAddress | undefined;
  readonly sessions: number;
  readonly sessionIdsFree: number;
}

export type ListenResult = { readonly ok: true; readonly address: ServerAddress } | { readonly ok: false; readonly error: string };

/** Public queries a server answers. */
export type ServerQuery =
  | { readonly type: 'net.server-info'; readonly replyTo: ActorRef<ServerInfo> }
  /** Answers once the listener is bound (or failed to bind). */
  | { readonly type: 'net.when-listening'; readonly replyTo: ActorRef<ListenResult> };

/** A session tells its server it ended, and why (from its postStop: its id may be reused). */
export interface SessionEnded {
  readonly type: 'net.session-ended';
  readonly sid: number;
  readonly reason: string;
}

export type ServerMessage =
  | ServerQuery
  | SessionEnded
  | { readonly type: 'net.connection'; readonly socket: Socket }
  | { readonly type: 'net.listening'; readonly address: ServerAddress }
  | { readonly type: 'net.listen-failed'; readonly error: string };
