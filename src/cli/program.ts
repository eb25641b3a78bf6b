// The `imlight` command tree. Every command gets --help; exit codes are in exit-codes.ts.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerAccountCommands } from './commands/account.js';
import { registerBotsCommand } from './commands/bots.js';
import { registerCharacterCommands } from './commands/character.js';
import { registerTypesCodegenCommand } from './commands/codegen-types.js';
import { registerCodegenCommand } from './commands/codegen.js';
import { registerConfigCommands } from './commands/config.js';
import { registerOpCommands } from './commands/op.js';
import { registerPatchCommands } from './commands/patch.js';
import { makeRoleCommand, registerStartCommand } from './commands/serve.js';
import { registerWadCommands, type ObjectToolsIo } from './commands/wad.js';
import { addConfigFlags, loadConfigForCommand } from './config-options.js';
import type { CliContext } from './io.js';
import { openConfiguredStore } from './open-store.js';
import { registerBackupCommands } from './commands/backup.js';
import { NoDatabaseError } from './errors.js';
import { existsSync } from 'node:fs';

const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const EXIT_CODES_HELP = `
Exit codes:
  0    success (also after SIGTERM and a graceful shutdown)
  1    failure: invalid configuration, refused operation, shutdown past its time limit
  2    usage error: unknown command or option, missing or invalid argument
  130  interrupted by SIGINT (Ctrl-C), after a graceful shutdown

Configuration: defaults < file < IMLIGHT_* environment variables < flags.
See docs/configuration.md, or run "imlight config print".`;

export function buildProgram(context: CliContext): Command {
  const program = new Command('imlight')
    .description('Imlight: login, game and patch servers for KiNP clients')
    .version(packageVersion, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .configureOutput({ writeOut: (text) => context.io.out(text), writeErr: (text) => context.io.err(text) })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .addHelpText('after', EXIT_CODES_HELP);
  addConfigFlags(program);

  registerStartCommand(program, context);
  makeRoleCommand(program.command('login').description('run the login server alone (a cluster role)'), 'login', context);
  makeRoleCommand(program.command('game').description('run the game servers alone (a cluster role)'), 'game', context);

  // The command groups written in other files report through this context, so main() sees their exit codes.
  const io: ObjectToolsIo = {
    out: (line) => context.io.out(line),
    err: (line) => context.io.err(line),
    isTTY: process.stderr.isTTY === true,
    setExitCode: (code) => context.setExitCode(code),
  };
  // Global flags (--config, --set, ...) are parsed into the root command by the time an action runs.
  const openStoreFromConfig = () => openConfiguredStore(loadConfigForCommand(program).config);
  // Commands that only read must not leave an empty database behind in a folder that had none.
  const openExistingStore = async () => {
    const { config } = loadConfigForCommand(program);
    if (config.database.url === undefined && !existsSync(config.database.sqliteFile)) throw new NoDatabaseError(config.database.sqliteFile);
    return openConfiguredStore(config);
  };

  registerPatchCommands(program, io);
  const patch = program.commands.find((c) => c.name() === 'patch')!;
  patch.description('run the patch server alone (a cluster role); or build and verify patch file lists');
  makeRoleCommand(patch, 'patch', context);

  registerConfigCommands(program, context);
  registerAccountCommands(program, openStoreFromConfig, openExistingStore);
  registerCharacterCommands(program, openExistingStore);
  registerBackupCommands(program, () => loadConfigForCommand(program).config);
  registerTypesCodegenCommand(registerCodegenCommand(program, context), io);
  registerWadCommands(program, io);
  registerOpCommands(program, io);
  registerBotsCommand(program);
  return program;
}
