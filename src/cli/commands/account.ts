// `imlight account ...`: operator tooling for accounts and bans on the configured store.
import { Command, Option } from 'commander';
import { accessLevels, type AccessLevel, type Ban, type BanTarget, type Store } from '../../store/index.js';
import {
  parseExpiry, parseGid, print, remapUsageExit, resolvePassword, usageError, userError, withStore,
} from './store-command-support.js';

async function accountNamed(command: Command, store: Store, name: string) {
  const account = await store.accounts.findByUsername(name);
  if (account === undefined) userError(command, `unknown account ${JSON.stringify(name)}`, 'ERR_UNKNOWN_ACCOUNT');
  return account;
}

interface TargetOptions {
  machine?: bigint;
  address?: string;
}

/** Exactly one of NAME, --machine, --address. */
async function banTarget(command: Command, store: Store, name: string | undefined, options: TargetOptions): Promise<BanTarget> {
  const given = [name, options.machine, options.address].filter((x) => x !== undefined).length;
  if (given !== 1) usageError(command, 'give exactly one of an account NAME, --machine ID or --address IP');
  if (name !== undefined) return { accountId: (await accountNamed(command, store, name)).id };
  if (options.machine !== undefined) return { machineId: options.machine };
  return { address: options.address! };
}

function describeBan(ban: Ban, names: Map<bigint, string>): string {
  const target = ban.accountId !== null ? `account ${names.get(ban.accountId) ?? ban.accountId}`
    : ban.machineId !== null ? `machine ${ban.machineId}` : `address ${ban.address}`;
  const until = ban.expiresAt === null ? 'permanent' : `until ${ban.expiresAt.toISOString()}`;
  return `${target}: ${JSON.stringify(ban.reason)} (${until})`;
}

export function registerAccountCommands(program: Command, openStoreFromConfig: () => Promise<Store>, openExistingStore = openStoreFromConfig): Command {
  const account = program.command('account').description('manage player accounts and bans');
  remapUsageExit(account);
  const sub = (name: string) => {
    const command = account.command(name);
    remapUsageExit(command);
    return command;
  };

  sub('create')
    .description('create an account')
    .argument('<name>', 'username (unique, case-insensitive)')
    .option('--password <password>', 'password (prompted without echo on a terminal when omitted)')
    .option('--password-stdin', 'read the password from standard input (first line), e.g. from a secrets file')
    .addOption(new Option('--access-level <level>', 'access level').choices(accessLevels).default('player'))
    .action(async function (this: Command, name: string, options: { password?: string; passwordStdin?: boolean; accessLevel: AccessLevel }) {
      const password = await resolvePassword(this, options.password, options.passwordStdin);
      await withStore(this, openStoreFromConfig, async (store) => {
        const created = await store.accounts.create({ username: name, password, accessLevel: options.accessLevel });
        print(this, `created account ${created.username} (id ${created.id}, ${created.accessLevel})`);
      });
    });

  sub('passwd')
    .description("change an account's password")
    .argument('<name>', 'username')
    .option('--password <password>', 'new password (prompted without echo on a terminal when omitted)')
    .option('--password-stdin', 'read the new password from standard input (first line)')
    .action(async function (this: Command, name: string, options: { password?: string; passwordStdin?: boolean }) {
      const password = await resolvePassword(this, options.password, options.passwordStdin);
      await withStore(this, openStoreFromConfig, async (store) => {
        const found = await accountNamed(this, store, name);
        await store.accounts.setPassword(found.id, password);
        print(this, `password changed for ${found.username}`);
      });
    });

  for (const [verb, locked] of [['lock', true], ['unlock', false]] as const) {
    sub(verb)
      .description(locked ? 'refuse logins to an account' : 'allow logins to a locked account again')
      .argument('<name>', 'username')
      .action(async function (this: Command, name: string) {
        await withStore(this, openStoreFromConfig, async (store) => {
          const found = await accountNamed(this, store, name);
          await store.accounts.setLocked(found.id, locked);
          print(this, `${found.username} ${locked ? 'locked' : 'unlocked'}`);
        });
      });
  }

  sub('ban')
    .description('ban an account, a machine id or an address')
    .argument('[name]', 'username to ban')
    .option('--machine <id>', 'ban a machine id instead', parseGid)
    .option('--address <ip>', 'ban an address instead')
    .requiredOption('--reason <reason>', 'reason, shown to operators')
    .option('--expires <when>', 'ISO date or duration from now (90m, 12h, 7d, 2w); permanent when omitted', (v: string) => parseExpiry(v))
    .action(async function (this: Command, name: string | undefined, options: TargetOptions & { reason: string; expires?: Date }) {
      await withStore(this, openStoreFromConfig, async (store) => {
        const target = await banTarget(this, store, name, options);
        const ban = await store.bans.create({ ...target, reason: options.reason, expiresAt: options.expires ?? null });
        print(this, `banned ${describeBan(ban, new Map(name === undefined ? [] : [[ban.accountId!, name]]))}`);
      });
    });

  sub('unban')
    .description('lift the active bans of an account, a machine id or an address')
    .argument('[name]', 'username')
    .option('--machine <id>', 'a machine id instead', parseGid)
    .option('--address <ip>', 'an address instead')
    .action(async function (this: Command, name: string | undefined, options: TargetOptions) {
      await withStore(this, openStoreFromConfig, async (store) => {
        const target = await banTarget(this, store, name, options);
        const lifted = await store.bans.lift(target, new Date());
        if (lifted === 0) userError(this, 'no active ban matches', 'imlight.no-active-ban');
        print(this, `lifted ${lifted} ban${lifted === 1 ? '' : 's'}`);
      });
    });

  sub('list')
    .description('list accounts and active bans')
    .option('--json', 'one JSON object per line')
    .action(async function (this: Command, options: { json?: boolean }) {
      await withStore(this, openExistingStore, async (store) => {
        const accounts = await store.accounts.list({ limit: 100_000 });
        const bans = await store.bans.list({ activeAt: new Date() });
        const banned = new Set(bans.map((b) => b.accountId).filter((id) => id !== null));
        for (const a of accounts) {
          const flags = [a.locked ? 'locked' : '', banned.has(a.id) ? 'banned' : ''].filter(Boolean);
          if (options.json) {
            print(this, JSON.stringify({
              id: a.id.toString(), username: a.username, accessLevel: a.accessLevel, locked: a.locked, banned: banned.has(a.id),
              createdAt: a.createdAt.toISOString(), lastLoginAt: a.lastLoginAt?.toISOString() ?? null,
            }));
          } else {
            print(this, `${a.id}\t${a.username}\t${a.accessLevel}${flags.length ? `\t${flags.join(',')}` : ''}`);
          }
        }
        if (!options.json) {
          const names = new Map(accounts.map((a) => [a.id, a.username]));
          for (const ban of bans) print(this, `ban ${ban.id}: ${describeBan(ban, names)}`);
        }
      });
    });

  return account;
}
