// The command-line side of the configuration: the global flags every command accepts, turned into overrides
// for loadConfig (flags win over the environment, which wins over the file).
import { InvalidArgumentError, type Command } from 'commander';
import { configLeaf, loadConfig, LOG_LEVELS, type ConfigOverride, type LoadedConfig } from '../config/index.js';

export interface ConfigFlags {
  readonly config?: string;
  readonly dataDir?: string;
  readonly databaseUrl?: string;
  readonly natsUrl?: string;
  readonly logLevel?: string;
  readonly set?: readonly SetFlag[];
}

export interface SetFlag {
  readonly path: string;
  readonly value: string;
}

function collectSet(text: string, previous: readonly SetFlag[] = []): SetFlag[] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value (e.g. login.port=12001), got "${text}"`);
  const path = text.slice(0, eq).trim();
  if (configLeaf(path) === undefined) throw new InvalidArgumentError(`unknown configuration key "${path}" (see imlight config print)`);
  return [...previous, { path, value: text.slice(eq + 1) }];
}

/** Adds the configuration flags to the root command; subcommands see them through optsWithGlobals(). */
export function addConfigFlags(program: Command): Command {
  return program
    .option('-c, --config <file>', 'configuration file (.toml or .json; default ./imlight.config.toml or .json if present, or $IMLIGHT_CONFIG)')
    .option('--data-dir <dir>', 'data folder (dataDir)')
    .option('--database-url <url>', 'PostgreSQL URL (database.url); unset: SQLite in the data folder')
    .option('--nats-url <url>', 'NATS URL for a cluster (cluster.natsUrl)')
    .option('--log-level <level>', `log level (log.level): ${LOG_LEVELS.join(', ')}`)
    .option('--set <key=value>', 'set any configuration key, e.g. --set login.port=12001 (repeatable)', collectSet);
}

export function configOverrides(flags: ConfigFlags, extra: readonly ConfigOverride[] = []): ConfigOverride[] {
  const out: ConfigOverride[] = [];
  // --set first: a dedicated flag names the operator's intent more precisely and wins.
  for (const entry of flags.set ?? []) out.push({ path: entry.path, value: entry.value, flag: `--set ${entry.path}` });
  if (flags.dataDir !== undefined) out.push({ path: 'dataDir', value: flags.dataDir, flag: '--data-dir' });
  if (flags.databaseUrl !== undefined) out.push({ path: 'database.url', value: flags.databaseUrl, flag: '--database-url' });
  if (flags.natsUrl !== undefined) out.push({ path: 'cluster.natsUrl', value: flags.natsUrl, flag: '--nats-url' });
  if (flags.logLevel !== undefined) out.push({ path: 'log.level', value: flags.logLevel, flag: '--log-level' });
  out.push(...extra);
  return out;
}

/** Loads the configuration for a command from its flags (and the global ones). */
export function loadConfigForCommand(command: Command, extra: readonly ConfigOverride[] = []): LoadedConfig {
  const flags = command.optsWithGlobals<ConfigFlags>();
  return loadConfig({
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    overrides: configOverrides(flags, extra),
  });
}
