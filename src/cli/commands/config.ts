// `imlight config print` and `imlight config check`.
import type { Command } from 'commander';
import {
  ConfigError, ConfigFileError, configRows, formatConfigTable, formatIssue, formatKeyList, formatKeyReferenceMarkdown, maskedConfig,
} from '../../config/index.js';
import { loadConfigForCommand } from '../config-options.js';
import { ExitCode } from '../exit-codes.js';
import type { CliContext } from '../io.js';

export function registerConfigCommands(program: Command, context: CliContext): void {
  const config = program.command('config').description('show and check the effective configuration');

  config.command('print')
    .description('print the effective configuration (secrets masked) with the source of each value')
    .option('--json', 'print JSON: { config, sources, file, warnings }')
    .action((options: { json?: boolean }, command: Command) => {
      const loaded = loadOrReport(command, context);
      if (loaded === undefined) return;
      if (options.json === true) {
        const sources = Object.fromEntries(configRows(loaded).map((r) => [r.path, r.source]));
        context.io.out(JSON.stringify({ config: maskedConfig(loaded.config), sources, file: loaded.file ?? null, warnings: loaded.warnings }, null, 2));
      } else {
        context.io.out(`# configuration file: ${loaded.file ?? '(none)'}`);
        for (const warning of loaded.warnings) context.io.out(`# warning: ${warning}`);
        context.io.out(formatConfigTable(loaded));
      }
    });

  config.command('keys')
    .description('list every configuration key with its default, environment variable and meaning')
    .option('--markdown', 'print the reference tables of docs/configuration.md')
    .action((options: { markdown?: boolean }) => {
      context.io.out(options.markdown === true ? formatKeyReferenceMarkdown() : formatKeyList());
    });

  config.command('check')
    .description('validate the configuration: exit 0 when valid, 1 with the errors when not')
    .action((_options: unknown, command: Command) => {
      const loaded = loadOrReport(command, context);
      if (loaded === undefined) return;
      for (const warning of loaded.warnings) context.io.err(`warning: ${warning}`);
      context.io.out(`configuration is valid (file: ${loaded.file ?? 'none, defaults and environment'})`);
    });
}

function loadOrReport(command: Command, context: CliContext): ReturnType<typeof loadConfigForCommand> | undefined {
  try {
    return loadConfigForCommand(command);
  } catch (error) {
    if (error instanceof ConfigError) {
      context.io.err(`invalid configuration (${error.issues.length} ${error.issues.length === 1 ? 'error' : 'errors'}):`);
      for (const issue of error.issues) context.io.err(`  ${formatIssue(issue)}`);
      context.setExitCode(ExitCode.failure);
      return undefined;
    }
    if (error instanceof ConfigFileError) {
      context.io.err(error.message);
      context.setExitCode(ExitCode.failure);
      return undefined;
    }
    throw error;
  }
}
