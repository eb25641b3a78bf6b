// Reading V8 CPU profiles (node:inspector Profiler.stop, or --cpu-prof files): self time per
// function, and self time summed into named stages by rules on each sample's stack, for the
// benchmarks that report where a server's CPU goes.
//
//   npx tsx bench/kit/cpu-profile.ts FILE.cpuprofile [top]   (the heaviest functions of a profile)
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';

export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }; readonly children?: readonly number[] }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface Frame {
  readonly functionName: string;
  /** The URL without the repository's path: src/..., node_modules/..., node:... */
  readonly file: string;
}

/** A stage of a breakdown: the first rule whose test matches a frame of the stack (innermost first) takes the sample. */
export interface StageRule {
  readonly stage: string;
  readonly test: (frame: Frame) => boolean;
}

interface Indexed {
  readonly frame: Frame;
  readonly parent: number | undefined;
}

function shortFile(url: string): string {
  const at = url.search(/\/(src|bench|test|node_modules)\//);
  return at >= 0 ? url.slice(at + 1) : url;
}

function index(profile: CpuProfile): Map<number, Indexed> {
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const byId = new Map<number, Indexed>();
  for (const node of profile.nodes) {
    byId.set(node.id, { frame: { functionName: node.callFrame.functionName || '(anonymous)', file: shortFile(node.callFrame.url) }, parent: parents.get(node.id) });
  }
  return byId;
}

/** Microseconds of samples per leaf function (self time), heaviest first. */
export function selfTimes(profile: CpuProfile): { readonly name: string; readonly us: number }[] {
  const byId = index(profile);
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const { frame } = byId.get(id)!;
    const name = `${frame.functionName} ${frame.file}`;
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return [...totals].map(([name, us]) => ({ name, us })).sort((a, b) => b.us - a.us);
}

/**
 * Microseconds per stage. Idle and garbage-collector samples are stages of their own ('idle',
 * 'gc'); a sample no rule takes counts as 'other'.
 */
export function stageTimes(profile: CpuProfile, rules: readonly StageRule[]): Map<string, number> {
  const byId = index(profile);
  const stageOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = stageOf.get(id);
    if (known !== undefined) return known;
    const leaf = byId.get(id)!.frame.functionName;
    let stage = leaf === '(idle)' ? 'idle' : leaf === '(garbage collector)' ? 'gc' : leaf === '(program)' ? 'program' : undefined;
    for (let at: number | undefined = id; stage === undefined && at !== undefined; at = byId.get(at)!.parent) {
      const frame = byId.get(at)!.frame;
      stage = rules.find((rule) => rule.test(frame))?.stage;
    }
    stage ??= 'other';
    stageOf.set(id, stage);
    return stage;
  };
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const stage = classify(id);
    totals.set(stage, (totals.get(stage) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return totals;
}

/** Profiles this process from start() to stop() (node:inspector): only the window that is measured. */
export class WindowProfiler {
  readonly #session = new Session();

  async start(samplingIntervalUs = 200): Promise<void> {
    this.#session.connect();
    await this.#session.post('Profiler.enable');
    await this.#session.post('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
    await this.#session.post('Profiler.start');
  }

  async stop(): Promise<CpuProfile> {
    const { profile } = await this.#session.post('Profiler.stop');
    await this.#session.post('Profiler.disable');
    this.#session.disconnect();
    return profile as unknown as CpuProfile;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CpuProfile;
  const top = Number(process.argv[3] ?? 40);
  const all = selfTimes(profile);
  const total = all.reduce((sum, f) => sum + f.us, 0);
  for (const { name, us } of all.slice(0, top)) console.log(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
}
