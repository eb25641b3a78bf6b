// Public entry point of the networking layer: servers, sessions, message services, the client library.
export { KiServer, kiServerProps, startServer, type ServerConfig } from './ki-server.js';
export { Session, SessionEndReason, type SessionInit } from './session.js';
export { MessageService, ServiceTable, service, type ServiceContext, type ServiceEnv, type ServiceFactory, type ServiceSpec } from './message-service.js';
export { DEFAULT_SESSION_OPTIONS, resolveSessionOptions, type SessionOptions } from './session-options.js';
export { DEFAULT_SESSION_ID_RANGE, SessionIds, type SessionIdRange } from './session-ids.js';
export { NetCounters, type NetCountersSnapshot, type NetMetrics } from './net-metrics.js';
export { KiClient, type ClientCloseInfo, type ClientStats, type KiClientOptions } from './ki-client.js';
export { SocketWriter, type SocketWriterOptions } from './socket-writer.js';
export type {
  CloseSession,
  GetSessionInfo,
  ListenResult,
  NoServiceHandles,
  SendFrameToClient,
  SendFramePartsToClient,
  SendToClient,
  ServerAddress,
  ServerInfo,
  ServerMessage,
  ServerQuery,
  ServiceMessage,
  SessionCommand,
  SessionEnded,
  SessionInfo,
  TellServices,
} from './messages.js';
export * from './errors.js';
