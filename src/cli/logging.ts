// The process logger: pino, JSON lines by default, pretty on a terminal. Every child logger carries its context as
// bindings (component, actor path, session id), so a session's lines can be found with one filter; levels can be
// set per component and per actor subtree through `log.levels`.
import { Writable } from 'node:stream';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { ImlightConfig, LogLevel } from '../config/index.js';
import { LogRateLimiter, type RateLimitOptions } from './log-rate-limit.js';

/** The binding keys Imlight puts on log lines. */
export const LogBinding = {
  component: 'component',
  actor: 'actor',
  session: 'session',
} as const;

export type ImlightLogger = PinoLogger;

export interface CreateLoggerOptions {
  /** Write here instead of standard output or `log.file` (tests). */
  readonly stream?: DestinationStream | Writable;
  /** Overrides the terminal check for `log.format = "auto"`. */
  readonly isTTY?: boolean;
  /** Rate limit of repeated warnings (tests pass a clock). */
  readonly rateLimit?: RateLimitOptions;
}

const WARN_LEVEL = 40;

export interface LogRoot {
  readonly logger: ImlightLogger;
  /** A child logger for one component (`net`, `store`, `login`, ...) at its configured level. */
  component(name: string, bindings?: Record<string, unknown>): ImlightLogger;
  /** Writes out anything buffered; call before exiting. */
  flush(): void;
  /** "pretty" or "json": what was chosen for `log.format = "auto"`. */
  readonly format: 'pretty' | 'json';
  /** True when the lines go to a terminal (pretty): the start then logs a short summary, not the configuration. */
  readonly terminal: boolean;
}

/**
 * Picks the level for a child from its bindings: an exact `component` entry of `log.levels`, or the longest entry
 * starting with "/" that prefixes the actor path's local part (`/user/login` matches `imlight://sys/user/login/pool`).
 */
export function levelFor(levels: Readonly<Record<string, LogLevel>>, bindings: Readonly<Record<string, unknown>>): LogLevel | undefined {
  let best: LogLevel | undefined;
  let bestLength = -1;
  const actor = bindings[LogBinding.actor] ?? bindings.path;
  if (typeof actor === 'string') {
    const local = actorLocalPath(actor);
    for (const [key, level] of Object.entries(levels)) {
      if (key.startsWith('/') && (local === key || local.startsWith(key.endsWith('/') ? key : `${key}/`)) && key.length > bestLength) {
        best = level;
        bestLength = key.length;
      }
    }
  }
  if (best !== undefined) return best;
  const component = bindings[LogBinding.component];
  return typeof component === 'string' ? levels[component] : undefined;
}

function actorLocalPath(path: string): string {
  const scheme = path.indexOf('://');
  if (scheme < 0) return path;
  const slash = path.indexOf('/', scheme + 3);
  return slash < 0 ? '/' : path.slice(slash);
}

export async function createLogger(log: ImlightConfig['log'], options: CreateLoggerOptions = {}): Promise<LogRoot> {
  const levels = log.levels;
  const minimum = lowestLevel([log.level, ...Object.values(levels)]);
  let destination: DestinationStream;
  let flush: () => void = () => {};
  let format: 'pretty' | 'json' = 'json';

  if (options.stream !== undefined) {
    destination = options.stream as DestinationStream;
  } else if (log.file !== undefined) {
    // Synchronous like standard output: the file is open before the first line, and nothing is lost at exit.
    const file = pino.destination({ dest: log.file, mkdir: true, sync: true });
    destination = file;
    flush = () => file.flushSync();
  } else {
    const tty = options.isTTY ?? process.stdout.isTTY === true;
    const pretty = log.format === 'pretty' || (log.format === 'auto' && tty) ? await loadPretty() : undefined;
    if (pretty !== undefined) {
      destination = pretty;
      format = 'pretty';
    } else {
      // Synchronous writes: a line logged just before a crash or exit is never lost.
      destination = pino.destination({ dest: 1, sync: true });
    }
  }

  // Set once the logger exists: the limiter reports through it.
  let report: (message: string, suppressed: number, windowMs: number) => void = () => {};
  const limiter = new LogRateLimiter((message, suppressed, windowMs) => report(message, suppressed, windowMs), options.rateLimit);
  const logger: ImlightLogger = pino({
    level: minimum,
    // pino's own field names (numeric level, epoch-millisecond time) match the runtime's default JSON logger,
    // so the same tools read both.
    base: { pid: process.pid },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    hooks: {
      // Warnings only: errors are rare and each one matters; infos are not repeated per client.
      logMethod(args, method, level) {
        if (level === WARN_LEVEL) {
          const message = typeof args[0] === 'string' ? args[0] : args[1];
          if (typeof message === 'string' && !limiter.allow(message)) return;
        }
        method.apply(this, args);
      },
    },
    onChild: (child) => {
      const level = levelFor(levels, child.bindings());
      if (level !== undefined) child.level = level;
    },
  }, destination);
  // The root carries the minimum of all levels so that children can be more verbose; lines of the root itself
  // (and of children without their own level) still follow `log.level`.
  const root = logger.child({}, { level: log.level });
  report = (message, suppressed, windowMs) => root.warn({ repeated: message, suppressed, windowMs }, 'repeated warning suppressed');
  const flushTimer = setInterval(() => limiter.flush(), options.rateLimit?.windowMs ?? 60_000);
  flushTimer.unref();

  return {
    logger: root,
    component: (name, bindings = {}) => root.child({ [LogBinding.component]: name, ...bindings }),
    flush: () => {
      limiter.flush(true);
      logger.flush();
      flush();
    },
    format,
    terminal: format === 'pretty',
  };
}

const LEVEL_ORDER: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function lowestLevel(levels: readonly LogLevel[]): LogLevel {
  return levels.reduce((low, level) => (LEVEL_ORDER.indexOf(level) < LEVEL_ORDER.indexOf(low) ? level : low), 'silent');
}

async function loadPretty(): Promise<DestinationStream | undefined> {
  try {
    // A development dependency: production installs fall back to JSON.
    const module = (await import('pino-pretty')) as unknown as { default: (options: object) => DestinationStream };
    return module.default({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  } catch {
    return undefined;
  }
}
