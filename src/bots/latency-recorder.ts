// Latency samples per journey step, kept as a bounded reservoir so a long run has a fixed memory
// cost; percentiles are read from a sorted copy when a report is made.

export interface StepSummary {
  readonly count: number;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

const DEFAULT_RESERVOIR = 50_000;

class StepSamples {
  readonly samples: number[] = [];
  seen = 0;
  errors = 0;
  sum = 0;
  max = 0;
}

export class LatencyRecorder {
  readonly #steps = new Map<string, StepSamples>();
  readonly #capacity: number;
  // A fixed-seed generator: the reservoir must not make two runs of the same data differ.
  #seed = 0x2545f491;

  constructor(capacity = DEFAULT_RESERVOIR) {
    this.#capacity = capacity;
  }

  record(step: string, ms: number): void {
    const entry = this.#entry(step);
    entry.seen++;
    entry.sum += ms;
    if (ms > entry.max) entry.max = ms;
    if (entry.samples.length < this.#capacity) {
      entry.samples.push(ms);
      return;
    }
    const slot = this.#random() % entry.seen;
    if (slot < this.#capacity) entry.samples[slot] = ms;
  }

  recordError(step: string): void {
    this.#entry(step).errors++;
  }

  /** Steps in the order they were first seen. */
  summary(): Record<string, StepSummary> {
    const out: Record<string, StepSummary> = {};
    for (const [step, entry] of this.#steps) {
      const sorted = Float64Array.from(entry.samples).sort();
      out[step] = {
        count: entry.seen,
        errors: entry.errors,
        p50Ms: percentile(sorted, 0.5),
        p90Ms: percentile(sorted, 0.9),
        p99Ms: percentile(sorted, 0.99),
        maxMs: round(entry.max),
        meanMs: entry.seen === 0 ? 0 : round(entry.sum / entry.seen),
      };
    }
    return out;
  }

  #entry(step: string): StepSamples {
    let entry = this.#steps.get(step);
    if (entry === undefined) {
      entry = new StepSamples();
      this.#steps.set(step, entry);
    }
    return entry;
  }

  #random(): number {
    // xorshift32
    let x = this.#seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#seed = x >>> 0;
    return this.#seed;
  }
}

/** Nearest-rank percentile of an ascending array; 0 when empty. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return round(sorted[rank]!);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
