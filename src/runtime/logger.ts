// A pino-compatible subset, so the CLI can inject pino while the runtime stays free of dependencies.
export interface Logger {
  trace(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  fatal(obj: object | string, msg?: string): void;
  child(bindings: object): Logger;
}

export const LogLevel = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;
export type LogLevelName = keyof typeof LogLevel;

export interface JsonLoggerOptions {
  readonly level?: LogLevelName;
  readonly write?: (line: string) => void;
  readonly bindings?: object;
}

// One JSON object per line with pino's field names (level number, time, msg), so the same tools read both.
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const threshold = LogLevel[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  return new JsonLogger(threshold, write, options.bindings ?? {});
}

class JsonLogger implements Logger {
  readonly #threshold: number;
  readonly #write: (line: string) => void;
  readonly #bindings: object;

  constructor(threshold: number, write: (line: string) => void, bindings: object) {
    this.#threshold = threshold;
    this.#write = write;
    this.#bindings = bindings;
  }

  trace(obj: object | string, msg?: string): void { this.#log(LogLevel.trace, obj, msg); }
  debug(obj: object | string, msg?: string): void { this.#log(LogLevel.debug, obj, msg); }
  info(obj: object | string, msg?: string): void { this.#log(LogLevel.info, obj, msg); }
  warn(obj: object | string, msg?: string): void { this.#log(LogLevel.warn, obj, msg); }
  error(obj: object | string, msg?: string): void { this.#log(LogLevel.error, obj, msg); }
  fatal(obj: object | string, msg?: string): void { this.#log(LogLevel.fatal, obj, msg); }

  child(bindings: object): Logger {
    return new JsonLogger(this.#threshold, this.#write, { ...this.#bindings, ...bindings });
  }

  #log(level: number, obj: object | string, msg: string | undefined): void {
    if (level < this.#threshold) return;
    const fields = typeof obj === 'string' ? { msg: obj } : obj instanceof Error ? { err: obj, msg } : { ...obj, msg };
    this.#write(JSON.stringify({ level, time: Date.now(), ...this.#bindings, ...fields }, replacer));
  }
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { type: value.name, message: value.message, code, stack: value.stack, cause: value.cause };
  }
  return value;
}

export const silentLogger: Logger = createJsonLogger({ level: 'silent', write: () => {} });
