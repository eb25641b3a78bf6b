export {
  Metrics, handleMetricsRequest, mailboxFigures, LOGIN_STEPS, DEFAULT_PROTOCOLS, type LoginStep,
  type MailboxFigures, type MetricsOptions, type ObservableSystem, type SnapshotNode,
} from './metrics.js';
export { startMetricsServer, type MetricsServer } from './metrics-server.js';
export { startAdminServer, type AdminServer, type AdminServerOptions } from './admin-server.js';
export { mergeProviders } from './merge-providers.js';
export {
  GameServerHealthState,
  type AdminProviders, type AdminSources, type AdminSystem, type GameServerView, type PlayerDetail, type TreeSnapshotNode, type ZoneView,
} from './admin-sources.js';
export { AdminAction, type ActionRecord, type ActionResult } from './admin-actions.js';
export type { ConsoleState, PlayerView, Section } from './console-state.js';
export type { TreeNodeView, TreeView } from './tree-sampler.js';
export type { DeadLetterRecord, FailureRecord } from './event-recorder.js';
export * from './errors.js';
