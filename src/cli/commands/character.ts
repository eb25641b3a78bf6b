// `imlight character list ACCOUNT` and `imlight character delete ACCOUNT CHARACTER` on the configured store.
import type { Command } from 'commander';
import type { Store } from '../../store/index.js';
import { print, remapUsageExit, userError, withStore } from './store-command-support.js';

export function registerCharacterCommands(program: Command, openStoreFromConfig: () => Promise<Store>): Command {
  const character = program.command('character').description("inspect players' characters");
  remapUsageExit(character);
  const list = character.command('list');
  remapUsageExit(list);
  list
    .description("list an account's characters")
    .argument('<account>', 'username')
    .option('--json', 'one JSON object per line')
    .action(async function (this: Command, name: string, options: { json?: boolean }) {
      await withStore(this, openStoreFromConfig, async (store) => {
        const account = await store.accounts.findByUsername(name);
        if (account === undefined) userError(this, `unknown account ${JSON.stringify(name)}`, 'ERR_UNKNOWN_ACCOUNT');
        const characters = await store.characters.listByAccount(account.id);
        for (const c of characters) {
          const where = c.location === null ? '' : ` @ ${c.location.x},${c.location.y},${c.location.z},${c.location.yaw}`;
          if (options.json) {
            print(this, JSON.stringify({
              id: c.id.toString(), name: c.name, zoneName: c.zoneName, zoneId: c.zoneId?.toString() ?? null, location: c.location,
              stateVersion: c.stateVersion, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
            }));
          } else {
            print(this, `${c.id}\t${c.name}\t${c.zoneName ?? '(start zone)'}${where}\tv${c.stateVersion}\tupdated ${c.updatedAt.toISOString()}`);
          }
        }
        if (!options.json && characters.length === 0) print(this, `${account.username} has no characters`);
      });
    });
  const remove = character.command('delete');
  remapUsageExit(remove);
  remove
    .description("delete a character (the player can no longer select it; its name becomes free)")
    .argument('<account>', 'username of its account')
    .argument('<character>', 'character name or id')
    .action(async function (this: Command, name: string, which: string) {
      await withStore(this, openStoreFromConfig, async (store) => {
        const account = await store.accounts.findByUsername(name);
        if (account === undefined) userError(this, `unknown account ${JSON.stringify(name)}`, 'ERR_UNKNOWN_ACCOUNT');
        const found = (await store.characters.listByAccount(account.id)).find((c) => c.name.toLowerCase() === which.toLowerCase() || String(c.id) === which);
        if (found === undefined) userError(this, `${account.username} has no character ${JSON.stringify(which)}`, 'ERR_UNKNOWN_CHARACTER');
        if (!(await store.characters.delete(found.id, { accountId: account.id }))) userError(this, `${found.name} could not be deleted`, 'ERR_UNKNOWN_CHARACTER');
        print(this, `deleted character ${found.name} (id ${found.id}) of ${account.username}`);
      });
    });
  return character;
}
