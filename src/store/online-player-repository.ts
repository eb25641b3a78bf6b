import type { Selectable } from 'kysely';
import { checkDate, checkId, checkText, fromStoredId, fromStoredIdOrNull, StoreLimits } from './limits.js';
import type { OnlinePlayersTable } from './schema.js';
import { toDate, toMs, type StoreContext } from './store-context.js';
import type { OnlinePlayer, OnlinePlayerRepository } from './types.js';

const toOnlinePlayer = (row: Selectable<OnlinePlayersTable>): OnlinePlayer => ({
  server: row.server,
  sessionId: fromStoredId(row.session_id),
  accountId: fromStoredId(row.account_id),
  characterId: fromStoredIdOrNull(row.character_id),
  since: toDate(row.since),
});

export class KyselyOnlinePlayerRepository implements OnlinePlayerRepository {
  readonly #context: StoreContext;

  constructor(context: StoreContext) {
    this.#context = context;
  }

  async put(entry: OnlinePlayer): Promise<void> {
    const values = {
      server: checkText('server', entry.server, StoreLimits.serverNameChars),
      session_id: checkId('sessionId', entry.sessionId),
      account_id: checkId('accountId', entry.accountId),
      character_id: entry.characterId === null ? null : checkId('characterId', entry.characterId),
      since: toMs(checkDate('since', entry.since)),
    };
    return this.#context.timed('onlinePlayers.put', async () => {
      await this.#context.backend.write((db) => db
        .insertInto('online_players')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['server', 'session_id']).doUpdateSet({ account_id: values.account_id, character_id: values.character_id, since: values.since }),
        )
        .execute());
    });
  }

  async remove(server: string, sessionId: bigint): Promise<boolean> {
    const session = checkId('sessionId', sessionId);
    return this.#context.timed('onlinePlayers.remove', async () => {
      const result = await this.#context.backend.write((db) => db
        .deleteFrom('online_players')
        .where('server', '=', server)
        .where('session_id', '=', session)
        .executeTakeFirst());
      return result.numDeletedRows > 0n;
    });
  }

  async findByAccount(accountId: bigint): Promise<OnlinePlayer[]> {
    accountId = checkId('accountId', accountId);
    return this.#context.timed('onlinePlayers.findByAccount', async () => {
      const rows = await this.#context.backend.db
        .selectFrom('online_players')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('since')
        .execute();
      return rows.map(toOnlinePlayer);
    });
  }

  async list(options: { server?: string } = {}): Promise<OnlinePlayer[]> {
    return this.#context.timed('onlinePlayers.list', async () => {
      let query = this.#context.backend.db.selectFrom('online_players').selectAll();
      if (options.server !== undefined) query = query.where('server', '=', options.server);
      const rows = await query.orderBy('server').orderBy('session_id').execute();
      return rows.map(toOnlinePlayer);
    });
  }

  async count(options: { server?: string } = {}): Promise<number> {
    return this.#context.timed('onlinePlayers.count', async () => {
      let query = this.#context.backend.db.selectFrom('online_players').select((eb) => eb.fn.countAll().as('n'));
      if (options.server !== undefined) query = query.where('server', '=', options.server);
      const row = await query.executeTakeFirstOrThrow();
      return Number(row.n);
    });
  }

  async clearServer(name: string): Promise<number> {
    return this.#context.timed('onlinePlayers.clearServer', async () => {
      const result = await this.#context.backend.write((db) => db.deleteFrom('online_players').where('server', '=', name).executeTakeFirst());
      return Number(result.numDeletedRows);
    });
  }
}
