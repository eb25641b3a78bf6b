// The last hour of a few figures, sampled by the server itself (no Prometheus needed) for the console's charts:
// players online, logins per minute, login p99 (authenticate), event-loop lag p99 and messages per second.
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { Metrics } from './metrics.js';
import { RingBuffer } from './ring-buffer.js';

export interface HistorySample {
  /** Unix ms. */
  readonly at: number;
  readonly playersOnline: number;
  readonly loginsPerMinute: number;
  /** Seconds; null when no login happened in the interval. */
  readonly loginP99: number | null;
  readonly eventLoopLagP99: number;
  readonly messagesPerSecond: number;
}

type Json = MetricObjectWithValues<MetricValue<string>>[];

function sum(metrics: Json, name: string, filter: (labels: Record<string, unknown>) => boolean = () => true): number {
  const metric = metrics.find((m) => m.name === name);
  return metric === undefined ? 0 : metric.values.filter((v) => filter(v.labels)).reduce((total, v) => total + v.value, 0);
}

/** Cumulative bucket counts of one histogram series, by upper bound. */
function buckets(metrics: Json, name: string, filter: (labels: Record<string, unknown>) => boolean): Map<number, number> {
  const out = new Map<number, number>();
  const metric = metrics.find((m) => m.name === name);
  for (const v of metric?.values ?? []) {
    const le = (v.labels as Record<string, unknown>).le;
    if ((v as { metricName?: string }).metricName !== `${name}_bucket` || le === undefined || !filter(v.labels)) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    out.set(bound, (out.get(bound) ?? 0) + v.value);
  }
  return out;
}

/** The 0.99 quantile of the observations between two cumulative bucket snapshots (the bucket's upper bound). */
export function p99Between(before: Map<number, number>, after: Map<number, number>): number | null {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Number.POSITIVE_INFINITY) ?? 0) - (before.get(Number.POSITIVE_INFINITY) ?? 0);
  if (total <= 0) return null;
  const rank = total * 0.99;
  let last = 0;
  for (const bound of bounds) {
    const count = (after.get(bound) ?? 0) - (before.get(bound) ?? 0);
    if (count >= rank) return Number.isFinite(bound) ? bound : last;
    if (Number.isFinite(bound)) last = bound;
  }
  return last;
}

interface Totals {
  readonly at: number;
  readonly logins: number;
  readonly messages: number;
  readonly loginBuckets: Map<number, number>;
}

export class MetricsHistory {
  readonly #metrics: Metrics;
  readonly #samples: RingBuffer<HistorySample>;
  readonly #now: () => number;
  #previous: Totals | undefined;
  #timer: NodeJS.Timeout | undefined;

  /** `intervalMs` 10 s and `capacity` 360 keep one hour. */
  constructor(metrics: Metrics, options: { intervalMs?: number; capacity?: number; now?: () => number } = {}) {
    this.#metrics = metrics;
    this.#samples = new RingBuffer(options.capacity ?? 360);
    this.#now = options.now ?? Date.now;
    const intervalMs = options.intervalMs ?? 10_000;
    if (intervalMs > 0) {
      this.#timer = setInterval(() => { void this.sample().catch(() => {}); }, intervalMs);
      this.#timer.unref();
    }
  }

  /** Takes one sample now (the timer calls it; tests call it directly). */
  async sample(): Promise<HistorySample | undefined> {
    const metrics = await this.#metrics.collectJson();
    const at = this.#now();
    const totals: Totals = {
      at,
      logins: sum(metrics, 'imlight_logins_succeeded_total'),
      messages: sum(metrics, 'imlight_messages_in_total') + sum(metrics, 'imlight_messages_out_total'),
      loginBuckets: buckets(metrics, 'imlight_login_step_seconds', (l) => l.step === 'authenticate'),
    };
    const previous = this.#previous;
    this.#previous = totals;
    if (previous === undefined || at <= previous.at) return undefined;
    const seconds = (at - previous.at) / 1000;
    const sample: HistorySample = {
      at,
      playersOnline: sum(metrics, 'imlight_online_players'),
      loginsPerMinute: ((totals.logins - previous.logins) / seconds) * 60,
      loginP99: p99Between(previous.loginBuckets, totals.loginBuckets),
      eventLoopLagP99: sum(metrics, 'nodejs_eventloop_lag_p99_seconds'),
      messagesPerSecond: (totals.messages - previous.messages) / seconds,
    };
    this.#samples.push(sample);
    return sample;
  }

  /** Oldest first. */
  samples(): HistorySample[] {
    return this.#samples.newestFirst().reverse();
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
