// Process exit codes of `imlight`, documented in docs/configuration.md.
export const ExitCode = {
  ok: 0,
  /** A failure, an invalid configuration, or a refused operation (unknown account, existing name, ...). */
  failure: 1,
  /** The command line itself is wrong: unknown command or option, missing or invalid argument. */
  usage: 2,
  /** Stopped by SIGINT (Ctrl-C), after a graceful shutdown; 128 + signal number 2, as shells report it. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
