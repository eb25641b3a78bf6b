// Entry point of `imlight` (bin/imlight.js, `npm start`). main() returns the exit code instead of exiting, so
// tests can run commands in-process.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CommanderError } from 'commander';
import { ConfigError, ConfigFileError, formatIssue } from '../config/index.js';
import { UsageError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { processIo, type CliIo } from './io.js';
import { buildProgram } from './program.js';

export async function main(argv: readonly string[] = process.argv, io: CliIo = processIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = buildProgram({ io, setExitCode: (code) => { exitCode = code; } });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    return exitCodeOf(error, io);
  }
  // Commands written against process.exitCode (e.g. patch verify) report through it.
  if (exitCode === ExitCode.ok && typeof process.exitCode === 'number' && process.exitCode !== 0) return process.exitCode;
  return exitCode;
}

function exitCodeOf(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has printed its message already. Its own parse errors are usage errors; `command.error()` from a
    // command (code 'commander.error' or the command's own code) keeps the exit code it chose.
    if (error.exitCode === 0) return ExitCode.ok;
    if (error.code === 'commander.error' || !error.code.startsWith('commander.')) return error.exitCode;
    return ExitCode.usage;
  }
  if (error instanceof UsageError) {
    io.err(`error: ${error.message}`);
    return ExitCode.usage;
  }
  if (error instanceof ConfigError) {
    io.err(`invalid configuration (${error.issues.length} ${error.issues.length === 1 ? 'error' : 'errors'}):`);
    for (const issue of error.issues) io.err(`  ${formatIssue(issue)}`);
    return ExitCode.failure;
  }
  if (error instanceof ConfigFileError) {
    io.err(`error: ${error.message}`);
    return ExitCode.failure;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`error: ${message}`);
  if (process.env.IMLIGHT_DEBUG === '1' && error instanceof Error && error.stack !== undefined) io.err(error.stack);
  return ExitCode.failure;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await main();
