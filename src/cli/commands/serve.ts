// `imlight` (default), `imlight start [--role]`, and the role shortcuts `imlight login|game|patch`: load the
// configuration, start, and run until SIGINT or SIGTERM, then shut down gracefully within shutdown.timeout.
import { InvalidArgumentError, type Command } from 'commander';
import { ROLES, type ConfigOverride, type Role } from '../../config/index.js';
import { loadConfigForCommand } from '../config-options.js';
import { UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { CliContext } from '../io.js';
import type { ImlightHandle } from '../start.js';

function parseRole(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return value as Role;
}

function parsePort(value: string): string {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('must be an integer 0..65535');
  return value;
}

/** Adds `start` (the default command) to the program. */
export function registerStartCommand(program: Command, context: CliContext): void {
  program.command('start', { isDefault: true })
    .description('start the servers: all of them in one process (default), or one role')
    .option('-r, --role <role>', `which servers to run: ${ROLES.join(', ')}`, parseRole, 'all' as Role)
    // As the default command, `start` receives any unknown command name; it is refused here by name.
    .allowExcessArguments(true)
    .action(async (options: { role: Role }, command: Command) => {
      if (command.args.length > 0) throw new UsageError(`unknown command "${command.args[0]}" (see imlight --help)`);
      context.setExitCode(await serve(command, options.role, [], context));
    });
}

/** Makes `command` (e.g. `login`, or the `patch` group) start its role when called without a subcommand. */
export function makeRoleCommand(command: Command, role: Exclude<Role, 'all'>, context: CliContext): Command {
  return command
    .option('-p, --port <port>', `${role}.port for this run`, parsePort)
    .action(async (options: { port?: string }, self: Command) => {
      const extra: ConfigOverride[] = options.port === undefined ? [] : [{ path: `${role}.port`, value: options.port, flag: '--port' }];
      context.setExitCode(await serve(self, role, extra, context));
    });
}

async function serve(command: Command, role: Role, extra: readonly ConfigOverride[], _context: CliContext): Promise<number> {
  const loaded = loadConfigForCommand(command, extra);
  // Loaded on demand: the runtime, the store drivers and the servers stay out of `--help` and `config check`.
  const { DEFAULT_PARTS, startImlight } = await import('../start.js');
  return runUntilSignal(() => startImlight(loaded.config, { role, parts: DEFAULT_PARTS, configFile: loaded.file, warnings: loaded.warnings }));
}

/**
 * Starts, then waits for SIGINT (exit 130) or SIGTERM (exit 0) and stops gracefully; a second signal exits at once.
 * The handlers are installed before the start, so a signal during the start stops the process once it is up. A
 * fatal error anywhere stops the process with exit 1; a failed start rejects.
 */
export async function runUntilSignal(start: () => Promise<ImlightHandle>): Promise<number> {
  let handle: ImlightHandle | undefined;
  let pending: { code: number; reason: string; error?: unknown } | undefined;
  let settle: (code: number) => void = () => {};
  const result = new Promise<number>((resolve) => { settle = resolve; });

  const begin = (request: { code: number; reason: string; error?: unknown }): void => {
    if (pending !== undefined) {
      // Already stopping: the operator insists (second Ctrl-C).
      handle?.logger.warn({ signal: request.reason }, 'second signal: exiting without waiting for shutdown');
      process.exit(request.code);
    }
    pending = request;
    if (handle !== undefined) stopWith(handle, request);
  };
  const stopWith = (running: ImlightHandle, request: { code: number; reason: string; error?: unknown }): void => {
    if (request.error !== undefined) running.logger.fatal({ err: request.error }, 'fatal error: stopping');
    running.stop(request.reason).then(() => settle(request.code), () => settle(ExitCode.failure));
  };
  const onSigint = (): void => begin({ code: ExitCode.interrupted, reason: 'SIGINT' });
  const onSigterm = (): void => begin({ code: ExitCode.ok, reason: 'SIGTERM' });
  const onFatal = (error: unknown): void => begin({ code: ExitCode.failure, reason: 'fatal error', error });
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  try {
    handle = await start();
    void handle.stopped.then(() => { if (pending === undefined) settle(ExitCode.ok); });
    if (pending !== undefined) stopWith(handle, pending);
    return await result;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    process.off('uncaughtException', onFatal);
    process.off('unhandledRejection', onFatal);
  }
}
