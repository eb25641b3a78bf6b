// Mirrors one server's networking counters (src/net's NetMetrics) into the process's Prometheus metrics, so
// sessions and messages are labelled by server and protocol without src/net knowing any metrics library.
import { LOGIN_STEPS, type LoginStep, type Metrics } from '../admin/index.js';
import type { NetMetrics } from '../net/index.js';

/** Session-end reasons (src/net's SessionEndReason) that are not a cut: the client left, or the server stopped. */
const ORDINARY_ENDS: ReadonlySet<string> = new Set(['client-closed', 'closed', 'stopped']);

const LOGIN_STEP_NAMES: ReadonlySet<string> = new Set(LOGIN_STEPS);

export function netMetricsBridge(metrics: Metrics, server: string): NetMetrics {
  metrics.declareServer(server);
  return {
    connectionAccepted: () => {},
    connectionRefused: (reason) => metrics.sessionDropped(server, `refused-${reason}`),
    sessionOpened: () => metrics.sessionOpened(server),
    sessionClosed: (reason) => {
      metrics.sessionClosed(server);
      if (!ORDINARY_ENDS.has(reason)) metrics.sessionDropped(server, reason);
    },
    messageIn: (protocol) => metrics.messageIn(protocol),
    messageOut: (protocol) => metrics.messageOut(protocol),
    bytesIn: () => {},
    bytesOut: () => {},
    // Both end the session, which sessionClosed counts once under its reason.
    protocolError: () => {},
    droppedForBackpressure: () => {},
    serviceRestarted: () => {},
    messageHandled: (service, seconds) => metrics.messageHandled(service, seconds),
    stepTimed: (step, seconds) => {
      if (step === 'attach') metrics.attached(seconds);
      else if (step === 'zone_tick') metrics.zoneTicked(seconds);
      else if (LOGIN_STEP_NAMES.has(step)) metrics.loginStep(step as LoginStep, seconds);
    },
  };
}

