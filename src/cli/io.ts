// Where commands write and how they report their exit code; tests pass their own.
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

export interface CliContext {
  readonly io: CliIo;
  /** The process exit code once the command returns (the highest-priority call wins: the last one). */
  setExitCode(code: number): void;
}
