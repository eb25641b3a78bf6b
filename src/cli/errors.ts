// Errors of the command line and the start composition.

export class ShutdownTimeoutError extends Error {
  readonly code = 'ERR_SHUTDOWN_TIMEOUT';
  readonly timeoutMs: number;

  constructor(timeoutMs: number, options?: { cause?: unknown }) {
    super(`graceful shutdown did not finish within ${timeoutMs} ms`, options);
    this.name = 'ShutdownTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

export class StartError extends Error {
  readonly code = 'ERR_START';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartError';
  }
}

/** A mistake in how a command was called (exit code 2), found after commander's own parsing. */
export class UsageError extends Error {
  readonly code = 'ERR_USAGE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** A command that only reads found no database: it says so rather than creating an empty one (exit code 1). */
export class NoDatabaseError extends Error {
  readonly code = 'ERR_NO_DATABASE';

  constructor(file: string) {
    super(`no database at ${file} (nothing was created): run the command in the server's folder, or give --data-dir or --database-url`);
    this.name = 'NoDatabaseError';
  }
}
