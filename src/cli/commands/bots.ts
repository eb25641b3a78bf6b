// `imlight bots`: a swarm of client bots playing against any Imlight network over the wire (login,
// characters, game server, moves, chat, zone changes, logout and back in), with a live progress
// line and a final report. Accounts come from a file, or are created in the configured store:
// the login protocol has no account creation, so the command writes them where the login server
// reads them (the same SQLite file or PostgreSQL database).
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import {
  BotError, botUsernames, formatProgress, formatReport, parseMix, parseTarget, readAccountsFile, runSwarm,
  type ActionMix, type BotAccount, type SwarmOptions, type SwarmProgress,
} from '../../bots/index.js';
import { parseDuration } from '../../config/index.js';
import { loadConfigForCommand } from '../config-options.js';
import { openConfiguredStore } from '../open-store.js';
import { remapUsageExit, usageError, userError } from './store-command-support.js';

interface BotsFlags {
  login: { host: string; port: number };
  count: number;
  accounts?: string;
  createAccounts?: boolean;
  password?: string;
  prefix: string;
  mix?: ActionMix;
  rate: number;
  spawnRate: number;
  actions: number;
  journeys: number;
  duration?: number;
  timeout: number;
  zones?: string[];
  gameHost?: string;
  json?: string;
  progress: number;
}

const wrap = <T>(parse: (value: string) => T) => (value: string): T => {
  try {
    return parse(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a positive integer');
  return Number(value);
}

function nonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be an integer >= 0');
  return Number(value);
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above 0');
  return n;
}

function duration(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('must be a duration such as 30s, 5m or 1500ms');
  return ms;
}

/** Creates the missing accounts `<prefix>0001..` with the password; existing ones are used as they are. */
async function ensureAccounts(command: Command, prefix: string, count: number, password: string): Promise<{ accounts: BotAccount[]; created: number }> {
  const store = await openConfiguredStore(loadConfigForCommand(command).config);
  let created = 0;
  try {
    const accounts: BotAccount[] = [];
    for (const username of botUsernames(prefix, count)) {
      if ((await store.accounts.findByUsername(username)) === undefined) {
        await store.accounts.create({ username, password });
        created++;
      }
      accounts.push({ username, password });
    }
    return { accounts, created };
  } finally {
    await store.close();
  }
}

export function registerBotsCommand(program: Command): Command {
  const command = program.command('bots')
    .description('run a swarm of client bots against an Imlight network and report latencies and errors')
    .requiredOption('--login <host:port>', 'the login server to play against', wrap(parseTarget))
    .option('-n, --count <n>', 'bots (one account each)', positiveInt, 10)
    .option('--accounts <file>', 'accounts to use, one "username:password" per line')
    .option('--create-accounts', 'create the missing accounts <prefix>0001.. in the configured store (same database as the login server)')
    .option('--password <pw>', 'password of the created accounts (with --create-accounts)')
    .option('--prefix <text>', 'username prefix of created accounts', 'bot')
    .option('--mix <weights>', 'in-zone action weights, e.g. move=80,chat=15,zone=5', wrap(parseMix))
    .option('--rate <n>', 'in-zone actions per second per bot', positiveNumber, 4)
    .option('--spawn-rate <n>', 'bots started per second', positiveNumber, 50)
    .option('--actions <n>', 'in-zone actions per journey', nonNegativeInt, 20)
    .option('--journeys <n>', 'journeys per bot (each one logs in again); ignored with --duration', positiveInt, 1)
    .option('--duration <time>', 'keep the bots playing this long (e.g. 60s, 10m)', duration)
    .option('--timeout <time>', 'limit of each request/reply step', duration, 10_000)
    .option('--zones <list>', 'comma-separated zone paths for zone changes', (value: string) => value.split(',').map((z) => z.trim()).filter((z) => z !== ''))
    .option('--game-host <host>', 'connect to game servers here instead of the address the login server names')
    .option('--json <file>', 'also write the report as JSON to this file')
    .option('--progress <time>', 'interval of the progress line', duration, 1000)
    .addHelpText('after', `
Accounts: --accounts FILE, or --create-accounts --password PW (writes to the store of --config/--set,
which must be the login server's database). Existing accounts are reused with the given password.

Example:
  imlight bots --login 127.0.0.1:12000 --count 200 --create-accounts --password secret \\
      --mix move=70,chat=20,zone=10 --rate 5 --duration 2m --json bots.json`);
  remapUsageExit(command);

  command.action(async function (this: Command, flags: BotsFlags) {
    const writeOut = (text: string): void => this.configureOutput().writeOut?.(`${text}\n`);
    const writeErr = (text: string): void => this.configureOutput().writeErr?.(`${text}\n`);
    if ((flags.accounts === undefined) === (flags.createAccounts !== true)) usageError(this, 'give either --accounts FILE or --create-accounts --password PW');
    if (flags.createAccounts === true && (flags.password === undefined || flags.password === '')) usageError(this, '--create-accounts needs --password');

    let accounts: BotAccount[];
    try {
      if (flags.accounts !== undefined) {
        accounts = readAccountsFile(flags.accounts);
        if (accounts.length < flags.count) userError(this, `${flags.count} bots need ${flags.count} accounts, ${flags.accounts} has ${accounts.length}`, 'ERR_BOT_ACCOUNTS');
      } else {
        const ensured = await ensureAccounts(this, flags.prefix, flags.count, flags.password!);
        accounts = ensured.accounts;
        writeErr(`accounts: ${ensured.created} created, ${flags.count - ensured.created} already there`);
      }
    } catch (error) {
      if (error instanceof BotError || (error as { code?: string }).code?.startsWith('ERR_STORE') === true) userError(this, (error as Error).message, (error as { code: string }).code);
      throw error;
    }

    const tty = process.stderr.isTTY === true;
    const onProgress = (p: SwarmProgress): void => {
      if (tty) process.stderr.write(`\r\x1b[2K${formatProgress(p)}`);
      else writeErr(formatProgress(p));
    };
    const abort = new AbortController();
    const onSignal = (): void => {
      if (abort.signal.aborted) process.exit(130);
      writeErr('\nstopping: the bots end their journeys (Ctrl-C again to quit at once)');
      abort.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const options: SwarmOptions = {
      login: flags.login,
      accounts: accounts.slice(0, flags.count),
      count: flags.count,
      journeys: flags.journeys,
      ...(flags.duration === undefined ? {} : { durationMs: flags.duration }),
      spawnPerSec: flags.spawnRate,
      ...(flags.mix === undefined ? {} : { mix: flags.mix }),
      actions: flags.actions,
      actionsPerSec: flags.rate,
      stepTimeoutMs: flags.timeout,
      ...(flags.zones === undefined ? {} : { zones: flags.zones }),
      ...(flags.gameHost === undefined ? {} : { gameHost: flags.gameHost }),
      characterPrefix: `${flags.prefix}c`,
      progressIntervalMs: flags.progress,
      onProgress,
      signal: abort.signal,
    };
    let report;
    try {
      report = await runSwarm(options);
    } catch (error) {
      if (error instanceof BotError) userError(this, error.message, error.code);
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (tty) process.stderr.write('\n');
    }
    writeOut(formatReport(report));
    if (flags.json !== undefined) writeFileSync(flags.json, `${JSON.stringify(report, null, 2)}\n`);
    // Any failed journey makes the run a failure for scripts (the report says which steps).
    if (report.journeysFailed > 0 || report.journeysCompleted === 0) {
      userError(this, `${report.journeysFailed} journeys failed, ${report.journeysCompleted} completed`, 'ERR_BOT_JOURNEYS');
    }
  });
  return command;
}
