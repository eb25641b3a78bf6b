// ClientKey2 session keys and one-time login keys. Consuming is one DELETE ... RETURNING: the
// database hands a row to exactly one deleter, so a key works once even under concurrent use.
import type { Selectable } from 'kysely';
import type { CredentialCipher } from './credential-cipher.js';
import { sessionKeyContext } from './credential-sealing.js';
import { KeyExistsError } from './errors.js';
import { checkDate, checkId, checkText, fromStoredId, StoreLimits } from './limits.js';
import type { LoginKeysTable, SessionKeysTable } from './schema.js';
import { PreparedQuery, slot } from './prepared-query.js';
import { toDate, toMs, type StoreContext } from './store-context.js';
import type { LoginKey, LoginKeyRepository, SessionKey, SessionKeyRepository } from './types.js';

// Client keys are sealed like password hashes (a stolen key validates as its player for an hour),
// bound to their (account, machine) row.
function toSessionKey(row: Selectable<SessionKeysTable>, cipher: CredentialCipher): SessionKey {
  const accountId = fromStoredId(row.account_id);
  const machineId = fromStoredId(row.machine_id);
  return { accountId, machineId, key: cipher.open(row.session_key, sessionKeyContext(accountId, machineId)), expiresAt: toDate(row.expires_at) };
}

const toLoginKey = (row: Selectable<LoginKeysTable>): LoginKey => ({
  key: row.login_key,
  accountId: fromStoredId(row.account_id),
  characterId: fromStoredId(row.character_id),
  server: row.server,
  expiresAt: toDate(row.expires_at),
});

type SessionKeyValues = [accountId: bigint, machineId: bigint, key: string, expiresAt: bigint];

export class KyselySessionKeyRepository implements SessionKeyRepository {
  readonly #context: StoreContext;
  // Written and read at every login: built once (prepared-query.ts). Slots follow SessionKeyValues.
  readonly #put = new PreparedQuery((db) =>
    db
      .insertInto('session_keys')
      .values({ account_id: slot<bigint>(0), machine_id: slot<bigint>(1), session_key: slot<string>(2), expires_at: slot<bigint>(3) })
      .onConflict((oc) => oc.columns(['account_id', 'machine_id']).doUpdateSet({ session_key: slot<string>(2), expires_at: slot<bigint>(3) })));
  readonly #find = new PreparedQuery((db) =>
    db.selectFrom('session_keys').selectAll().where('account_id', '=', slot<bigint>(0)).where('machine_id', '=', slot<bigint>(1)).where('expires_at', '>', slot<bigint>(2)));
  readonly #consume = new PreparedQuery((db) =>
    db
      .deleteFrom('session_keys')
      .where('account_id', '=', slot<bigint>(0))
      .where('machine_id', '=', slot<bigint>(1))
      .where('expires_at', '>', slot<bigint>(2))
      .returningAll());

  constructor(context: StoreContext) {
    this.#context = context;
  }

  async put(key: SessionKey): Promise<void> {
    const accountId = checkId('accountId', key.accountId);
    const machineId = checkId('machineId', key.machineId);
    const plain = checkText('key', key.key, StoreLimits.keyChars);
    const context = sessionKeyContext(key.accountId, key.machineId);
    const values: SessionKeyValues = [accountId, machineId, this.#context.cipher.seal(plain, context), toMs(checkDate('expiresAt', key.expiresAt))];
    return this.#context.timed('sessionKeys.put', async () => {
      await this.#context.backend.write((db) => this.#put.execute(db, values));
    });
  }

  async find(accountId: bigint, machineId: bigint, now: Date): Promise<SessionKey | undefined> {
    const account = checkId('accountId', accountId);
    const machine = checkId('machineId', machineId);
    const at = toMs(checkDate('now', now));
    return this.#context.timed('sessionKeys.find', async () => {
      const row = await this.#find.first(this.#context.backend.db, [account, machine, at]);
      return row === undefined ? undefined : toSessionKey(row, this.#context.cipher);
    });
  }

  async consume(accountId: bigint, machineId: bigint, now: Date): Promise<SessionKey | undefined> {
    const account = checkId('accountId', accountId);
    const machine = checkId('machineId', machineId);
    const at = toMs(checkDate('now', now));
    return this.#context.timed('sessionKeys.consume', async () => {
      const row = await this.#context.backend.write((db) => this.#consume.first(db, [account, machine, at]));
      return row === undefined ? undefined : toSessionKey(row, this.#context.cipher);
    });
  }

  async purgeExpired(now: Date): Promise<number> {
    const at = toMs(checkDate('now', now));
    return this.#context.timed('sessionKeys.purgeExpired', async () => {
      const result = await this.#context.backend.write((db) => db.deleteFrom('session_keys').where('expires_at', '<=', at).executeTakeFirst());
      return Number(result.numDeletedRows);
    });
  }
}

export class KyselyLoginKeyRepository implements LoginKeyRepository {
  readonly #context: StoreContext;

  constructor(context: StoreContext) {
    this.#context = context;
  }

  async create(key: LoginKey): Promise<void> {
    const values = {
      login_key: checkText('key', key.key, StoreLimits.keyChars),
      account_id: checkId('accountId', key.accountId),
      character_id: checkId('characterId', key.characterId),
      server: checkText('server', key.server, StoreLimits.serverNameChars),
      expires_at: toMs(checkDate('expiresAt', key.expiresAt)),
    };
    return this.#context.timed('loginKeys.create', async () => {
      try {
        await this.#context.backend.write((db) => db.insertInto('login_keys').values(values).execute());
      } catch (error) {
        if (this.#context.backend.isUniqueViolation(error)) throw new KeyExistsError({ cause: error });
        throw error;
      }
    });
  }

  async consumeLoginKey(key: string, server: string, now: Date): Promise<LoginKey | undefined> {
    if (typeof key !== 'string' || key.length > StoreLimits.keyChars || typeof server !== 'string') return undefined;
    const at = toMs(checkDate('now', now));
    return this.#context.timed('loginKeys.consume', async () => {
      const row = await this.#context.backend.write((db) => db
        .deleteFrom('login_keys')
        .where('login_key', '=', key)
        .where('server', '=', server)
        .where('expires_at', '>', at)
        .returningAll()
        .executeTakeFirst());
      return row === undefined ? undefined : toLoginKey(row);
    });
  }

  async purgeExpired(now: Date): Promise<number> {
    const at = toMs(checkDate('now', now));
    return this.#context.timed('loginKeys.purgeExpired', async () => {
      const result = await this.#context.backend.write((db) => db.deleteFrom('login_keys').where('expires_at', '<=', at).executeTakeFirst());
      return Number(result.numDeletedRows);
    });
  }
}
