// Ignore lists (docs/social.md): per owner, the ignored character's id and its name when added.
import { ListFullError } from './errors.js';
import { checkDate, checkId, checkName, fromStoredId, StoreLimits } from './limits.js';
import { checkMax, checkPair, lockCharacters } from './friend-repository.js';
import { PreparedQuery, slot } from './prepared-query.js';
import { toDate, toMs, type StoreContext } from './store-context.js';
import type { IgnoreEntry, IgnoreRepository } from './social-types.js';

export class KyselyIgnoreRepository implements IgnoreRepository {
  readonly #context: StoreContext;
  // Checked on every whisper, request and invite that is not answered from a cache: built once.
  readonly #pair = new PreparedQuery((db) =>
    db.selectFrom('ignores').select('owner_id').where('owner_id', '=', slot<bigint>(0)).where('ignored_id', '=', slot<bigint>(1)));

  constructor(context: StoreContext) {
    this.#context = context;
  }

  async list(ownerId: bigint): Promise<IgnoreEntry[]> {
    const owner = checkId('ownerId', ownerId);
    return this.#context.timed('ignores.list', async () => {
      const rows = await this.#context.backend.db.selectFrom('ignores').selectAll().where('owner_id', '=', owner).orderBy('added_at').orderBy('ignored_id').execute();
      return rows.map((row) => ({ ownerId: fromStoredId(row.owner_id), ignoredId: fromStoredId(row.ignored_id), name: row.ignored_name, addedAt: toDate(row.added_at) }));
    });
  }

  async add(ownerId: bigint, ignoredId: bigint, name: string, options: { now: Date; max: number }): Promise<void> {
    const [owner, ignored] = checkPair('ownerId', ownerId, 'ignoredId', ignoredId);
    const checkedName = checkName('name', name, StoreLimits.characterNameChars);
    const now = toMs(checkDate('now', options.now));
    const max = checkMax(options.max);
    const context = this.#context;
    return context.timed('ignores.add', () =>
      context.backend.writeTransaction(async (trx) => {
        await lockCharacters(context, trx, [owner, ignored]);
        if ((await this.#pair.first(trx, [owner, ignored])) !== undefined) return;
        const { n } = await trx.selectFrom('ignores').select((eb) => eb.fn.countAll().as('n')).where('owner_id', '=', owner).executeTakeFirstOrThrow();
        if (Number(n) >= max) throw new ListFullError('ignores', fromStoredId(owner), max);
        await trx.insertInto('ignores').values({ owner_id: owner, ignored_id: ignored, ignored_name: checkedName, added_at: now }).execute();
      }),
    );
  }

  async remove(ownerId: bigint, ignoredId: bigint): Promise<boolean> {
    const owner = checkId('ownerId', ownerId);
    const ignored = checkId('ignoredId', ignoredId);
    return this.#context.timed('ignores.remove', async () => {
      const result = await this.#context.backend.write((db) => db.deleteFrom('ignores').where('owner_id', '=', owner).where('ignored_id', '=', ignored).executeTakeFirst());
      return result.numDeletedRows > 0n;
    });
  }

  async ignores(ownerId: bigint, otherId: bigint): Promise<boolean> {
    const pair = [checkId('ownerId', ownerId), checkId('otherId', otherId)];
    return this.#context.timed('ignores.ignores', async () => (await this.#pair.first(this.#context.backend.db, pair)) !== undefined);
  }
}
