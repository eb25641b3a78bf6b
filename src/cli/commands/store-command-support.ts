// Shared by the account and character commands: exit codes (1 for a user error such as an
// unknown account, 2 for bad usage), output through commander's configured writers (so tests
// capture it), store opening, and a password prompt without echo.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { StoreError, type Store } from '../../store/index.js';

export const ExitCode = { UserError: 1, Usage: 2 } as const;

const usageCodes = new Set([
  'commander.missingArgument', 'commander.optionMissingArgument', 'commander.missingMandatoryOptionValue',
  'commander.unknownOption', 'commander.unknownCommand', 'commander.excessArguments', 'commander.invalidArgument',
  'commander.conflictingOption', 'imlight.usage',
]);

/**
 * Makes commander's own parse errors exit with 2 instead of 1, keeping the root program's exit
 * behaviour: if it set exitOverride (as tests and the CLI's main do), the remapped error goes
 * to that callback; otherwise the process exits with the remapped code.
 */
export function remapUsageExit(command: Command): void {
  // commander copies the parent's exit callback into each new subcommand and has no getter for it.
  const inherited = (command as unknown as { _exitCallback: ((error: CommanderError) => void) | null })._exitCallback;
  command.exitOverride((error) => {
    const mapped = usageCodes.has(error.code) && error.exitCode !== 0 ? new CommanderError(ExitCode.Usage, error.code, error.message) : error;
    if (inherited) inherited(mapped);
    process.exit(mapped.exitCode);
  });
}

export function print(command: Command, text: string): void {
  command.configureOutput().writeOut?.(`${text}\n`);
}

export function userError(command: Command, message: string, code = 'imlight.user-error'): never {
  command.error(`error: ${message}`, { exitCode: ExitCode.UserError, code });
}

export function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: ExitCode.Usage, code: 'imlight.usage' });
}

/** Opens the store, runs `fn`, closes; store errors a user can fix become exit code 1. */
export async function withStore<T>(command: Command, open: () => Promise<Store>, fn: (store: Store) => Promise<T>): Promise<T> {
  let store: Store;
  try {
    store = await open();
  } catch (error) {
    // An unreachable database or a wrong secret is the operator's to fix: say what, not a stack.
    if (error instanceof StoreError) {
      const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
      userError(command, `${error.message}${cause}`, error.code);
    }
    throw error;
  }
  try {
    return await fn(store);
  } catch (error) {
    if (error instanceof StoreError && error.code !== 'ERR_STORE_MIGRATION') userError(command, error.message, error.code);
    throw error;
  } finally {
    await store.close();
  }
}

const durationUnits: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "--expires": an ISO date/time or a duration from now such as 90m, 12h, 7d, 2w. */
export function parseExpiry(value: string, now = new Date()): Date {
  const duration = /^(\d{1,6})([smhdw])$/.exec(value);
  if (duration) return new Date(now.getTime() + Number(duration[1]) * durationUnits[duration[2]!]!);
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new InvalidArgumentError('expected an ISO date (2026-12-31 or 2026-12-31T12:00:00Z) or a duration (90m, 12h, 7d, 2w)');
}

export function parseGid(value: string): bigint {
  if (!/^(\d{1,20}|0x[0-9a-fA-F]{1,16})$/.test(value)) throw new InvalidArgumentError('expected a 64-bit id (decimal or 0x hex)');
  const id = BigInt(value);
  if (id >= 2n ** 64n) throw new InvalidArgumentError('expected a 64-bit id (decimal or 0x hex)');
  return id;
}

/** The first line of `input` (a pipe or a file), without its line ending; at most 1 KiB is read. */
export async function readPasswordLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 1024) break;
  }
  return text.split(/\r?\n/, 1)[0]!.slice(0, 1024);
}

/** Reads a line from the terminal without echoing it. */
export function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else value += ch;
      }
    };
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.on('data', onData);
    stdin.resume();
  });
}

export const minimumPasswordLength = 8;

/** The --password value, or a no-echo prompt (twice) on a terminal; refuses weak passwords. */
export async function resolvePassword(command: Command, given: string | undefined, fromStdin = false): Promise<string> {
  let password = given;
  if (fromStdin) {
    if (given !== undefined) usageError(command, 'give --password or --password-stdin, not both');
    password = await readPasswordLine(process.stdin);
  } else if (password === undefined) {
    if (!process.stdin.isTTY) usageError(command, '--password is required (or run in a terminal to be prompted)');
    try {
      password = await promptHidden('Password: ');
      if ((await promptHidden('Repeat password: ')) !== password) userError(command, 'the passwords do not match', 'imlight.password-mismatch');
    } catch (error) {
      if (error instanceof CommanderError) throw error;
      userError(command, 'password entry cancelled', 'imlight.cancelled');
    }
  }
  if (password.length === 0) userError(command, 'the password is empty', 'imlight.weak-password');
  if (Array.from(password).length < minimumPasswordLength) {
    userError(command, `the password is too short (at least ${minimumPasswordLength} characters)`, 'imlight.weak-password');
  }
  return password;
}
