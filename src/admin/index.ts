export {
  Metrics, handleMetricsRequest, mailboxFigures,
  type MailboxFigures, type MetricsOptions, type ObservableSystem, type SnapshotNode,
} from './metrics.js';
export { startMetricsServer, type MetricsServer } from './metrics-server.js';
