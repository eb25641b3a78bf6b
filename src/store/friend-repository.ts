// Friends and friend requests (docs/social.md). A friendship is two rows, one per side, written
// and removed together in one transaction; each side keeps its own best-friend symbol.
import type { Kysely } from 'kysely';
import { InvalidValueError, ListFullError, UnknownCharacterError } from './errors.js';
import { checkDate, checkId, fromStoredId } from './limits.js';
import type { Database } from './schema.js';
import { PreparedQuery, slot } from './prepared-query.js';
import { toDate, toMs, type StoreContext } from './store-context.js';
import type { Friend, FriendRepository, FriendRequest } from './social-types.js';

/** Two distinct, checked character ids. */
export function checkPair(aField: string, a: bigint, bField: string, b: bigint): [bigint, bigint] {
  const first = checkId(aField, a);
  const second = checkId(bField, b);
  if (first === second) throw new InvalidValueError(bField, 'a character cannot name itself');
  return [first, second];
}

export function checkMax(max: number): number {
  if (!Number.isSafeInteger(max) || max < 0) throw new InvalidValueError('max', 'not a non-negative integer');
  return max;
}

/**
 * Inside a write transaction: locks the rows of both live characters (in id order, so two transactions never wait
 * on each other crosswise) and fails when one does not exist. SQLite's write transaction already excludes writers.
 */
export async function lockCharacters(context: StoreContext, trx: Kysely<Database>, ids: readonly bigint[]): Promise<void> {
  let query = trx.selectFrom('characters').select('id').where('id', 'in', [...ids]).where('deleted_at', 'is', null).orderBy('id');
  if (context.backend.kind === 'postgres') query = query.forUpdate();
  const rows = await query.execute();
  const found = new Set(rows.map((r) => r.id));
  for (const id of ids) if (!found.has(id)) throw new UnknownCharacterError(fromStoredId(id));
}

async function countOf(trx: Kysely<Database>, ownerId: bigint): Promise<number> {
  const { n } = await trx.selectFrom('friends').select((eb) => eb.fn.countAll().as('n')).where('owner_id', '=', ownerId).executeTakeFirstOrThrow();
  return Number(n);
}

export class KyselyFriendRepository implements FriendRepository {
  readonly #context: StoreContext;
  // Every login reads the list: built once (prepared-query.ts).
  readonly #list = new PreparedQuery((db) =>
    db
      .selectFrom('friends')
      .innerJoin('characters', 'characters.id', 'friends.friend_id')
      .select(['friends.owner_id', 'friends.friend_id', 'friends.symbol', 'friends.added_at', 'characters.name'])
      .where('friends.owner_id', '=', slot<bigint>(0))
      .where('characters.deleted_at', 'is', null)
      .orderBy('friends.added_at')
      .orderBy('friends.friend_id'));
  readonly #pair = new PreparedQuery((db) =>
    db.selectFrom('friends').select('owner_id').where('owner_id', '=', slot<bigint>(0)).where('friend_id', '=', slot<bigint>(1)));

  constructor(context: StoreContext) {
    this.#context = context;
  }

  async list(ownerId: bigint): Promise<Friend[]> {
    const owner = checkId('ownerId', ownerId);
    return this.#context.timed('friends.list', async () => {
      const rows = await this.#list.all(this.#context.backend.db, [owner]);
      return rows.map((row) => ({
        ownerId: fromStoredId(row.owner_id),
        friendId: fromStoredId(row.friend_id),
        name: row.name,
        symbol: Number(row.symbol),
        addedAt: toDate(row.added_at),
      }));
    });
  }

  async count(ownerId: bigint): Promise<number> {
    const owner = checkId('ownerId', ownerId);
    return this.#context.timed('friends.count', () => countOf(this.#context.backend.db, owner));
  }

  async areFriends(a: bigint, b: bigint): Promise<boolean> {
    const pair = [checkId('a', a), checkId('b', b)];
    return this.#context.timed('friends.areFriends', async () => (await this.#pair.first(this.#context.backend.db, pair)) !== undefined);
  }

  async addRequest(requesterId: bigint, targetId: bigint, options: { now: Date; expiresAt: Date }): Promise<void> {
    const [requester, target] = checkPair('requesterId', requesterId, 'targetId', targetId);
    const now = toMs(checkDate('now', options.now));
    const expires = toMs(checkDate('expiresAt', options.expiresAt));
    const context = this.#context;
    return context.timed('friends.addRequest', () =>
      context.backend.writeTransaction(async (trx) => {
        await lockCharacters(context, trx, [requester, target]);
        await trx
          .insertInto('friend_requests')
          .values({ requester_id: requester, target_id: target, created_at: now, expires_at: expires })
          .onConflict((oc) => oc.columns(['requester_id', 'target_id']).doUpdateSet({ created_at: now, expires_at: expires }))
          .execute();
      }),
    );
  }

  async findRequest(requesterId: bigint, targetId: bigint, now: Date): Promise<FriendRequest | undefined> {
    const requester = checkId('requesterId', requesterId);
    const target = checkId('targetId', targetId);
    const at = toMs(checkDate('now', now));
    return this.#context.timed('friends.findRequest', async () => {
      const row = await this.#context.backend.db
        .selectFrom('friend_requests')
        .selectAll()
        .where('requester_id', '=', requester)
        .where('target_id', '=', target)
        .where('expires_at', '>', at)
        .executeTakeFirst();
      return row === undefined
        ? undefined
        : { requesterId: fromStoredId(row.requester_id), targetId: fromStoredId(row.target_id), createdAt: toDate(row.created_at), expiresAt: toDate(row.expires_at) };
    });
  }

  async dropRequest(requesterId: bigint, targetId: bigint): Promise<boolean> {
    const requester = checkId('requesterId', requesterId);
    const target = checkId('targetId', targetId);
    return this.#context.timed('friends.dropRequest', async () => {
      const result = await this.#context.backend.write((db) =>
        db.deleteFrom('friend_requests').where('requester_id', '=', requester).where('target_id', '=', target).executeTakeFirst());
      return result.numDeletedRows > 0n;
    });
  }

  async acceptRequest(requesterId: bigint, targetId: bigint, options: { now: Date; max: number }): Promise<boolean> {
    const [requester, target] = checkPair('requesterId', requesterId, 'targetId', targetId);
    const now = toMs(checkDate('now', options.now));
    const max = checkMax(options.max);
    const context = this.#context;
    return context.timed('friends.acceptRequest', () =>
      context.backend.writeTransaction(async (trx) => {
        await lockCharacters(context, trx, [requester, target]);
        const taken = await trx
          .deleteFrom('friend_requests')
          .where('requester_id', '=', requester)
          .where('target_id', '=', target)
          .where('expires_at', '>', now)
          .executeTakeFirst();
        if (taken.numDeletedRows === 0n) return false;
        // The other direction's request, if both asked, is answered too.
        await trx.deleteFrom('friend_requests').where('requester_id', '=', target).where('target_id', '=', requester).execute();
        if ((await this.#pair.first(trx, [requester, target])) !== undefined) return true;
        for (const owner of [requester, target]) {
          if ((await countOf(trx, owner)) >= max) throw new ListFullError('friends', fromStoredId(owner), max);
        }
        await trx
          .insertInto('friends')
          .values([
            { owner_id: requester, friend_id: target, symbol: 0, added_at: now },
            { owner_id: target, friend_id: requester, symbol: 0, added_at: now },
          ])
          .execute();
        return true;
      }),
    );
  }

  async unfriend(a: bigint, b: bigint): Promise<boolean> {
    const [first, second] = checkPair('a', a, 'b', b);
    return this.#context.timed('friends.unfriend', async () => {
      const result = await this.#context.backend.write((db) =>
        db
          .deleteFrom('friends')
          .where((eb) => eb.or([
            eb.and([eb('owner_id', '=', first), eb('friend_id', '=', second)]),
            eb.and([eb('owner_id', '=', second), eb('friend_id', '=', first)]),
          ]))
          .executeTakeFirst());
      return result.numDeletedRows > 0n;
    });
  }

  async setSymbol(ownerId: bigint, friendId: bigint, symbol: number): Promise<boolean> {
    const [owner, friend] = checkPair('ownerId', ownerId, 'friendId', friendId);
    if (!Number.isInteger(symbol) || symbol < 0 || symbol > 255) throw new InvalidValueError('symbol', 'not a byte');
    return this.#context.timed('friends.setSymbol', async () => {
      const result = await this.#context.backend.write((db) =>
        db.updateTable('friends').set({ symbol }).where('owner_id', '=', owner).where('friend_id', '=', friend).executeTakeFirst());
      return result.numUpdatedRows > 0n;
    });
  }

  async purgeExpiredRequests(now: Date): Promise<number> {
    const at = toMs(checkDate('now', now));
    return this.#context.timed('friends.purgeExpiredRequests', async () => {
      const result = await this.#context.backend.write((db) => db.deleteFrom('friend_requests').where('expires_at', '<=', at).executeTakeFirst());
      return Number(result.numDeletedRows);
    });
  }
}
