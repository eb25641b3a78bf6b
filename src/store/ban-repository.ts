import type { Selectable } from 'kysely';
import { InvalidValueError, UnknownAccountError } from './errors.js';
import { checkDate, checkId, checkText, fromStoredId, fromStoredIdOrNull, StoreLimits } from './limits.js';
import type { BansTable } from './schema.js';
import { PreparedQuery, slot } from './prepared-query.js';
import { toDate, toDateOrNull, toMs, type StoreContext } from './store-context.js';
import type { Ban, BanRepository, BanTarget } from './types.js';

function toBan(row: Selectable<BansTable>): Ban {
  return {
    id: fromStoredId(row.id),
    accountId: fromStoredIdOrNull(row.account_id),
    machineId: fromStoredIdOrNull(row.machine_id),
    address: row.address,
    reason: row.reason,
    createdAt: toDate(row.created_at),
    expiresAt: toDateOrNull(row.expires_at),
    liftedAt: toDateOrNull(row.lifted_at),
  };
}

function checkTarget(target: BanTarget, exactlyOne: boolean): BanTarget {
  const given = [target.accountId, target.machineId, target.address].filter((x) => x !== undefined).length;
  if (exactlyOne ? given !== 1 : given === 0) {
    throw new InvalidValueError('ban target', exactlyOne ? 'give exactly one of accountId, machineId, address' : 'give at least one target');
  }
  return {
    ...(target.accountId === undefined ? {} : { accountId: checkId('accountId', target.accountId) }),
    ...(target.machineId === undefined ? {} : { machineId: checkId('machineId', target.machineId) }),
    ...(target.address === undefined ? {} : { address: checkText('address', target.address, StoreLimits.addressChars) }),
  };
}

/** Which targets a look-up names: bit 0 account, 1 machine, 2 address. */
type TargetShape = number;

export class KyselyBanRepository implements BanRepository {
  readonly #context: StoreContext;
  /** One prepared look-up per target shape (a login always uses the same one or two). */
  readonly #activeFor = new Map<TargetShape, PreparedQuery<Selectable<BansTable>>>();

  constructor(context: StoreContext) {
    this.#context = context;
  }

  async create(ban: BanTarget & { reason: string; expiresAt?: Date | null; now?: Date }): Promise<Ban> {
    const target = checkTarget(ban, true);
    const reason = checkText('reason', ban.reason, StoreLimits.banReasonChars);
    const now = checkDate('now', ban.now ?? new Date());
    const expiresAt = ban.expiresAt == null ? null : checkDate('expiresAt', ban.expiresAt);
    return this.#context.timed('bans.create', async () => {
      const { backend } = this.#context;
      return backend.writeTransaction(async (trx) => {
        if (target.accountId !== undefined && !(await backend.lockAccount(trx, target.accountId))) {
          throw new UnknownAccountError(ban.accountId ?? target.accountId);
        }
        const row = await trx
          .insertInto('bans')
          .values({
            account_id: target.accountId ?? null,
            machine_id: target.machineId ?? null,
            address: target.address ?? null,
            reason,
            created_at: toMs(now),
            expires_at: expiresAt === null ? null : toMs(expiresAt),
            lifted_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toBan(row);
      });
    });
  }

  async activeBansFor(target: BanTarget, now: Date): Promise<Ban[]> {
    const checked = checkTarget(target, false);
    const at = toMs(checkDate('now', now));
    const shape = (checked.accountId === undefined ? 0 : 1) | (checked.machineId === undefined ? 0 : 2) | (checked.address === undefined ? 0 : 4);
    const values = [at, checked.accountId ?? null, checked.machineId ?? null, checked.address ?? null];
    return this.#context.timed('bans.activeBansFor', async () => {
      const rows = await this.#activeQuery(shape).all(this.#context.backend.db, values);
      return rows.map(toBan);
    });
  }

  #activeQuery(shape: TargetShape): PreparedQuery<Selectable<BansTable>> {
    let query = this.#activeFor.get(shape);
    if (query === undefined) {
      // Slots: 0 now, 1 account, 2 machine, 3 address; a target not named binds nothing.
      query = new PreparedQuery((db) =>
        db
          .selectFrom('bans')
          .selectAll()
          .where('lifted_at', 'is', null)
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', slot<bigint>(0))]))
          .where((eb) =>
            eb.or([
              ...((shape & 1) === 0 ? [] : [eb('account_id', '=', slot<bigint>(1))]),
              ...((shape & 2) === 0 ? [] : [eb('machine_id', '=', slot<bigint>(2))]),
              ...((shape & 4) === 0 ? [] : [eb('address', '=', slot<string>(3))]),
            ]),
          )
          .orderBy('id'),
      );
      this.#activeFor.set(shape, query);
    }
    return query;
  }

  async lift(target: BanTarget, now: Date): Promise<number> {
    const checked = checkTarget(target, true);
    const at = toMs(checkDate('now', now));
    return this.#context.timed('bans.lift', async () => {
      const result = await this.#context.backend.write((db) => {
        let query = db
          .updateTable('bans')
          .set({ lifted_at: at })
          .where('lifted_at', 'is', null)
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]));
        if (checked.accountId !== undefined) query = query.where('account_id', '=', checked.accountId);
        if (checked.machineId !== undefined) query = query.where('machine_id', '=', checked.machineId);
        if (checked.address !== undefined) query = query.where('address', '=', checked.address);
        return query.executeTakeFirst();
      });
      return Number(result.numUpdatedRows);
    });
  }

  async list(options: { activeAt?: Date } = {}): Promise<Ban[]> {
    const at = options.activeAt === undefined ? undefined : toMs(checkDate('activeAt', options.activeAt));
    return this.#context.timed('bans.list', async () => {
      let query = this.#context.backend.db.selectFrom('bans').selectAll();
      if (at !== undefined) {
        query = query
          .where('lifted_at', 'is', null)
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]));
      }
      const rows = await query.orderBy('id').limit(100_000).execute();
      return rows.map(toBan);
    });
  }
}
