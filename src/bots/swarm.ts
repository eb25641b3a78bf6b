// A swarm of bots against one Imlight network: N bots started at a given rate, each repeating its
// journey (logging back in each time) until it has done its journeys or the duration is over.
// Progress snapshots come out periodically; the result is a report of completed journeys, errors
// by kind and latency percentiles per step.
import { sleep } from './sleep.js';
import type { MessageRegistry } from '../protocol/index.js';
import { Bot, DEFAULT_MIX, DEFAULT_ZONES, type ActionMix, type StepSink } from './bot.js';
import { BotConfigError, BotStepError } from './errors.js';
import { LatencyRecorder, type StepSummary } from './latency-recorder.js';
import type { BotAccount } from './login-steps.js';

export interface SwarmOptions {
  readonly login: { readonly host: string; readonly port: number };
  /** One account per bot; at least `count`. */
  readonly accounts: readonly BotAccount[];
  readonly count: number;
  /** Journeys per bot when no duration is given. Default 1. */
  readonly journeys?: number;
  /** Run until this much time has passed (bots finish their current journey). Overrides `journeys`. */
  readonly durationMs?: number;
  /** Bots started per second. Default 50. */
  readonly spawnPerSec?: number;
  readonly mix?: ActionMix;
  /** In-zone actions per journey. Default 20. */
  readonly actions?: number;
  /** In-zone actions per second per bot. Default 4. */
  readonly actionsPerSec?: number;
  readonly stepTimeoutMs?: number;
  readonly zones?: readonly string[];
  readonly gameHost?: string;
  readonly registry?: MessageRegistry;
  /** Pause before a bot retries after a failed journey. Default 1,000 ms. */
  readonly retryDelayMs?: number;
  /** Prefix of created character names. Default "Bot". */
  readonly characterPrefix?: string;
  readonly progressIntervalMs?: number;
  readonly onProgress?: (progress: SwarmProgress) => void;
  readonly signal?: AbortSignal;
}

export interface SwarmProgress {
  readonly elapsedMs: number;
  readonly started: number;
  /** Bots inside a journey right now. */
  readonly active: number;
  readonly journeysCompleted: number;
  readonly journeysFailed: number;
  readonly actions: number;
  readonly errors: number;
}

export interface SwarmReport {
  readonly target: string;
  readonly bots: number;
  readonly durationMs: number;
  readonly journeysCompleted: number;
  readonly journeysFailed: number;
  readonly journeysPerSec: number;
  readonly actions: Readonly<Record<keyof ActionMix, number>>;
  /** Failures counted by `<step> <kind>`, e.g. "login.authenticate ERR_CLIENT_TIMEOUT". */
  readonly errors: Readonly<Record<string, number>>;
  readonly steps: Readonly<Record<string, StepSummary>>;
}

class SwarmSink implements StepSink {
  readonly latency = new LatencyRecorder();
  readonly errors = new Map<string, number>();
  readonly actions = { move: 0, chat: 0, zone: 0 };
  errorCount = 0;

  stepDone(step: string, ms: number): void {
    this.latency.record(step, ms);
  }

  stepFailed(step: string, kind: string): void {
    this.latency.recordError(step);
    this.countError(`${step} ${kind}`);
  }

  action(kind: keyof ActionMix): void {
    this.actions[kind]++;
  }

  countError(key: string): void {
    this.errorCount++;
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
  }
}

export function validateSwarmOptions(options: SwarmOptions): void {
  const positiveInt = (name: string, value: number | undefined): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new BotConfigError(`${name} must be a positive integer, got ${value}`);
  };
  positiveInt('count', options.count);
  positiveInt('journeys', options.journeys);
  const positive = (name: string, value: number | undefined): void => {
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) throw new BotConfigError(`${name} must be a number above 0, got ${value}`);
  };
  positive('durationMs', options.durationMs);
  positive('spawnPerSec', options.spawnPerSec);
  positive('actionsPerSec', options.actionsPerSec);
  positive('stepTimeoutMs', options.stepTimeoutMs);
  if (options.actions !== undefined && (!Number.isInteger(options.actions) || options.actions < 0)) throw new BotConfigError(`actions must be an integer >= 0, got ${options.actions}`);
  if (options.accounts.length < options.count) throw new BotConfigError(`${options.count} bots need ${options.count} accounts, ${options.accounts.length} given`);
  const mix = options.mix ?? DEFAULT_MIX;
  if ([mix.move, mix.chat, mix.zone].some((w) => !Number.isFinite(w) || w < 0) || mix.move + mix.chat + mix.zone <= 0) {
    throw new BotConfigError('the mix needs non-negative weights with a positive sum');
  }
}

export async function runSwarm(options: SwarmOptions): Promise<SwarmReport> {
  validateSwarmOptions(options);
  const sink = new SwarmSink();
  const started = performance.now();
  const deadline = options.durationMs === undefined ? undefined : started + options.durationMs;
  const journeys = options.journeys ?? 1;
  const spawnGapMs = 1000 / (options.spawnPerSec ?? 50);
  const actionIntervalMs = 1000 / (options.actionsPerSec ?? 4);
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const signal = options.signal;
  let startedBots = 0;
  let active = 0;
  let completed = 0;
  let failed = 0;

  const progress = (): SwarmProgress => ({
    elapsedMs: Math.round(performance.now() - started),
    started: startedBots,
    active,
    journeysCompleted: completed,
    journeysFailed: failed,
    actions: sink.actions.move + sink.actions.chat + sink.actions.zone,
    errors: sink.errorCount,
  });
  const ticker = options.onProgress === undefined ? undefined : setInterval(() => options.onProgress!(progress()), options.progressIntervalMs ?? 1000);

  const keepGoing = (bot: Bot, attempts: number): boolean => {
    if (signal?.aborted === true) return false;
    if (deadline !== undefined) return performance.now() < deadline;
    return bot.journeys < journeys && attempts < journeys * 3;
  };

  const runBot = async (index: number): Promise<void> => {
    const bot = new Bot({
      login: options.login,
      account: options.accounts[index]!,
      machineId: 0x1000_0000n + BigInt(index),
      characterName: `${options.characterPrefix ?? 'Bot'}${index}`,
      actions: options.actions ?? 20,
      actionIntervalMs,
      sink,
      ...(options.registry === undefined ? {} : { registry: options.registry }),
      ...(options.stepTimeoutMs === undefined ? {} : { stepTimeoutMs: options.stepTimeoutMs }),
      ...(options.mix === undefined ? {} : { mix: options.mix }),
      ...(options.zones === undefined ? { zones: DEFAULT_ZONES } : { zones: options.zones }),
      ...(options.gameHost === undefined ? {} : { gameHost: options.gameHost }),
      ...(signal === undefined ? {} : { signal }),
    });
    let attempts = 0;
    while (keepGoing(bot, attempts)) {
      attempts++;
      active++;
      try {
        await bot.runJourney();
        completed++;
      } catch (error) {
        failed++;
        if (!(error instanceof BotStepError)) sink.countError(`journey ${(error as Error).name}`);
        // A bot that failed does not know the zone it left in any more.
        bot.lastZone = undefined;
        active--;
        await sleep(retryDelayMs, signal);
        continue;
      }
      active--;
    }
  };

  const running: Promise<void>[] = [];
  try {
    for (let i = 0; i < options.count; i++) {
      if (signal?.aborted === true || (deadline !== undefined && performance.now() >= deadline)) break;
      startedBots++;
      running.push(runBot(i));
      if (i + 1 < options.count) await sleep(spawnGapMs, signal);
    }
    await Promise.all(running);
  } finally {
    if (ticker !== undefined) clearInterval(ticker);
  }
  const durationMs = performance.now() - started;
  options.onProgress?.(progress());
  return {
    target: `${options.login.host}:${options.login.port}`,
    bots: startedBots,
    durationMs: Math.round(durationMs),
    journeysCompleted: completed,
    journeysFailed: failed,
    journeysPerSec: durationMs > 0 ? Math.round((completed / (durationMs / 1000)) * 100) / 100 : 0,
    actions: { ...sink.actions },
    errors: Object.fromEntries([...sink.errors].sort((a, b) => b[1] - a[1])),
    steps: sink.latency.summary(),
  };
}

