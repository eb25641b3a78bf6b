import type { Selectable } from 'kysely';
import { checkDate, checkId, checkText, fromStoredId, fromStoredIdOrNull, StoreLimits } from './limits.js';
import type { OnlinePlayersTable } from './schema.js';
import { PreparedQuery, slot } from './prepared-query.js';
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
  // Every login records, looks up and removes an entry: built once (prepared-query.ts).
  // Put's slots: 0 server, 1 session id, 2 account, 3 character, 4 since.
  readonly #put = new PreparedQuery((db) =>
    db
      .insertInto('online_players')
      .values({ server: slot<string>(0), session_id: slot<bigint>(1), account_id: slot<bigint>(2), character_id: slot<bigint | null>(3), since: slot<bigint>(4) })
      .onConflict((oc) =>
        oc.columns(['server', 'session_id']).doUpdateSet({ account_id: slot<bigint>(2), character_id: slot<bigint | null>(3), since: slot<bigint>(4) }),
      ));
  readonly #remove = new PreparedQuery((db) => db.deleteFrom('online_players').where('server', '=', slot<string>(0)).where('session_id', '=', slot<bigint>(1)));
  readonly #byAccount = new PreparedQuery((db) => db.selectFrom('online_players').selectAll().where('account_id', '=', slot<bigint>(0)).orderBy('since'));

  constructor(context: StoreContext) {
    this.#context = context;
  }

  async put(entry: OnlinePlayer): Promise<void> {
    const values = [
      checkText('server', entry.server, StoreLimits.serverNameChars),
      checkId('sessionId', entry.sessionId),
      checkId('accountId', entry.accountId),
      entry.characterId === null ? null : checkId('characterId', entry.characterId),
      toMs(checkDate('since', entry.since)),
    ];
    return this.#context.timed('onlinePlayers.put', async () => {
      await this.#context.backend.write((db) => this.#put.execute(db, values));
    });
  }

  async remove(server: string, sessionId: bigint): Promise<boolean> {
    const session = checkId('sessionId', sessionId);
    return this.#context.timed('onlinePlayers.remove', async () => {
      const result = await this.#context.backend.write((db) => this.#remove.execute(db, [server, session]));
      return (result.numAffectedRows ?? 0n) > 0n;
    });
  }

  async findByAccount(accountId: bigint): Promise<OnlinePlayer[]> {
    accountId = checkId('accountId', accountId);
    return this.#context.timed('onlinePlayers.findByAccount', async () => {
      const rows = await this.#byAccount.all(this.#context.backend.db, [accountId]);
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
