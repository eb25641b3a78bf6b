import { createHash, timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import { AccountExistsError, ConfusableNameError, InvalidValueError, UnknownAccountError } from './errors.js';
import { checkConsoleVerifier, createConsoleVerifier } from './console-verifier.js';
import { CredentialCipher } from './credential-cipher.js';
import { nameSkeleton } from './name-skeleton.js';
import { checkDate, checkId, checkName, checkText, fromStoredId, nameKey, StoreLimits } from './limits.js';
import type { AccountsTable } from './schema.js';
import { PreparedQuery, slot } from './prepared-query.js';
import { toDate, toDateOrNull, toMs, type StoreContext } from './store-context.js';
import { AccessLevel, accessLevels, type Account, type AccountRepository, type NewAccount } from './types.js';

// Every column but the password hash: listing APIs never read it.
const publicColumns = ['id', 'username', 'access_level', 'locked', 'created_at', 'last_login_at'] as const;
const hashPattern = /^[A-Za-z0-9+/]{86}==$/;

export function passwordHash(password: string): string {
  return createHash('sha512').update(password, 'utf8').digest('base64');
}

function constantTimeEqualText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function toAccount(row: Pick<Selectable<AccountsTable>, (typeof publicColumns)[number]>): Account {
  return {
    id: fromStoredId(row.id),
    username: row.username,
    accessLevel: row.access_level as AccessLevel,
    locked: Number(row.locked) !== 0,
    createdAt: toDate(row.created_at),
    lastLoginAt: toDateOrNull(row.last_login_at),
  };
}

function checkAccessLevel(level: unknown): AccessLevel {
  if (!accessLevels.includes(level as AccessLevel)) {
    throw new InvalidValueError('accessLevel', `must be one of ${accessLevels.join(', ')}`);
  }
  return level as AccessLevel;
}

function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length === 0) throw new InvalidValueError('password', 'empty');
  return checkText('password', password, StoreLimits.passwordChars);
}

export class KyselyAccountRepository implements AccountRepository {
  readonly #context: StoreContext;
  // The queries of every login, built once (see prepared-query.ts).
  readonly #byId = new PreparedQuery((db) => db.selectFrom('accounts').select(publicColumns).where('id', '=', slot<bigint>(0)));
  readonly #byUsernameKey = new PreparedQuery((db) => db.selectFrom('accounts').select(publicColumns).where('username_key', '=', slot<string>(0)));
  readonly #credential = new PreparedQuery((db) =>
    db.selectFrom('accounts').select(['username_key', 'password_hash']).where('id', '=', slot<bigint>(0)));
  readonly #recordLogin = new PreparedQuery((db) =>
    db.updateTable('accounts').set({ last_login_at: slot<bigint>(1) }).where('id', '=', slot<bigint>(0)));
  readonly #rememberMachine = new PreparedQuery((db) =>
    db
      .insertInto('known_machines')
      .values({ account_id: slot<bigint>(0), machine_id: slot<bigint>(1), last_seen_at: slot<bigint>(2) })
      .onConflict((oc) => oc.columns(['account_id', 'machine_id']).doUpdateSet({ last_seen_at: slot<bigint>(2) })));
  readonly #knownMachine = new PreparedQuery((db) =>
    db.selectFrom('known_machines').select('machine_id').where('account_id', '=', slot<bigint>(0)).where('machine_id', '=', slot<bigint>(1)));

  constructor(context: StoreContext) {
    this.#context = context;
  }

  async create(account: NewAccount): Promise<Account> {
    const username = checkName('username', account.username, StoreLimits.usernameChars);
    const key = nameKey(username);
    let hash: string;
    if (account.password !== undefined && account.passwordHash === undefined) {
      hash = passwordHash(checkPassword(account.password));
    } else if (account.passwordHash !== undefined && account.password === undefined) {
      if (typeof account.passwordHash !== 'string' || !hashPattern.test(account.passwordHash)) {
        throw new InvalidValueError('passwordHash', 'not a base64 SHA-512 digest');
      }
      hash = account.passwordHash;
    } else {
      throw new InvalidValueError('password', 'give exactly one of password and passwordHash');
    }
    const accessLevel = checkAccessLevel(account.accessLevel ?? AccessLevel.Player);
    const now = checkDate('now', account.now ?? new Date());
    const skeleton = nameSkeleton(username);
    // Only administrators sign in to the admin console; the verifier costs a deliberate ~100 ms.
    const verifier = accessLevel === AccessLevel.Administrator && account.password !== undefined ? await createConsoleVerifier(account.password) : null;
    return this.#context.timed('accounts.create', async () => {
      const { backend, cipher } = this.#context;
      try {
        const row = await backend.writeTransaction(async (trx) => {
          // Serializes creators of look-alike names, so two of them cannot both pass the check.
          await backend.lockName(trx, `account:${skeleton}`);
          const similar = await trx.selectFrom('accounts').select('username_key').where('username_skeleton', '=', skeleton).executeTakeFirst();
          if (similar !== undefined) throw similar.username_key === key ? new AccountExistsError(username) : new ConfusableNameError('username', username);
          return trx
            .insertInto('accounts')
            .values({
              username,
              username_key: key,
              username_skeleton: skeleton,
              password_hash: cipher.seal(hash, key),
              console_verifier: verifier,
              access_level: accessLevel,
              locked: 0,
              created_at: toMs(now),
              last_login_at: null,
            })
            .returning(publicColumns)
            .executeTakeFirstOrThrow();
        });
        return toAccount(row);
      } catch (error) {
        if (this.#context.backend.isUniqueViolation(error)) throw new AccountExistsError(username, { cause: error });
        throw error;
      }
    });
  }

  async get(id: bigint): Promise<Account | undefined> {
    id = checkId('accountId', id);
    return this.#context.timed('accounts.get', async () => {
      const row = await this.#byId.first(this.#context.backend.db, [id]);
      return row === undefined ? undefined : toAccount(row);
    });
  }

  async findByUsername(username: string): Promise<Account | undefined> {
    if (typeof username !== 'string' || username.length > StoreLimits.usernameChars * 2) return undefined;
    const key = nameKey(username);
    return this.#context.timed('accounts.findByUsername', async () => {
      const row = await this.#byUsernameKey.first(this.#context.backend.db, [key]);
      return row === undefined ? undefined : toAccount(row);
    });
  }

  async list(options: { limit?: number; offset?: number } = {}): Promise<Account[]> {
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? 1000), 0), 100_000);
    const offset = Math.max(Math.trunc(options.offset ?? 0), 0);
    return this.#context.timed('accounts.list', async () => {
      const rows = await this.#context.backend.db
        .selectFrom('accounts')
        .select(publicColumns)
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute();
      return rows.map(toAccount);
    });
  }

  async count(): Promise<number> {
    return this.#context.timed('accounts.count', async () => {
      const row = await this.#context.backend.db
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    });
  }

  async credentialFor(accountId: bigint): Promise<string | undefined> {
    accountId = checkId('accountId', accountId);
    return this.#context.timed('accounts.credentialFor', async () => {
      const { backend, cipher } = this.#context;
      const row = await this.#credential.first(backend.db, [accountId]);
      if (row === undefined) return undefined;
      const hash = cipher.open(row.password_hash, row.username_key);
      if (cipher.enabled && !CredentialCipher.isEncrypted(row.password_hash)) {
        // Written before the operator configured a secret: encrypt it now, only if unchanged meanwhile.
        const sealed = cipher.seal(hash, row.username_key);
        await backend.write((db) =>
          db.updateTable('accounts').set({ password_hash: sealed }).where('id', '=', accountId).where('password_hash', '=', row.password_hash).execute(),
        );
      }
      return hash;
    });
  }

  async setPassword(accountId: bigint, password: string): Promise<void> {
    accountId = checkId('accountId', accountId);
    const hash = passwordHash(checkPassword(password));
    const account = await this.get(accountId);
    if (account === undefined) throw new UnknownAccountError(accountId);
    // A verifier for every account that may sign in to the console now; others get none (and lose a stale one).
    const verifier = account.accessLevel === AccessLevel.Administrator ? await createConsoleVerifier(password) : null;
    return this.#context.timed('accounts.setPassword', async () => {
      const { backend, cipher } = this.#context;
      await backend.writeTransaction(async (trx) => {
        const row = await trx.selectFrom('accounts').select('username_key').where('id', '=', accountId).executeTakeFirst();
        if (row === undefined) throw new UnknownAccountError(accountId);
        await trx.updateTable('accounts').set({ password_hash: cipher.seal(hash, row.username_key), console_verifier: verifier }).where('id', '=', accountId).execute();
      });
    });
  }

  async checkConsolePassword(accountId: bigint, password: string): Promise<boolean> {
    accountId = checkId('accountId', accountId);
    if (typeof password !== 'string' || password.length === 0 || password.length > StoreLimits.passwordChars) return false;
    const row = await this.#context.timed('accounts.consoleVerifier', () =>
      this.#context.backend.db.selectFrom('accounts').select(['console_verifier', 'access_level']).where('id', '=', accountId).executeTakeFirst());
    if (row === undefined) return false;
    if (row.console_verifier !== null) return checkConsoleVerifier(row.console_verifier, password);
    // Promoted to administrator (or set before verifiers existed): check the login credential once, then keep a verifier.
    const stored = await this.credentialFor(accountId);
    if (stored === undefined || !constantTimeEqualText(stored, passwordHash(password))) return false;
    if (row.access_level === AccessLevel.Administrator) {
      const verifier = await createConsoleVerifier(password);
      await this.#context.timed('accounts.consoleVerifier', () =>
        this.#context.backend.write((db) => db.updateTable('accounts').set({ console_verifier: verifier }).where('id', '=', accountId).where('console_verifier', 'is', null).execute()));
    }
    return true;
  }

  async knowsMachine(accountId: bigint, machineId: bigint): Promise<boolean> {
    const values = [checkId('accountId', accountId), checkId('machineId', machineId)];
    return this.#context.timed('accounts.knowsMachine', async () => (await this.#knownMachine.first(this.#context.backend.db, values)) !== undefined);
  }

  async setLocked(accountId: bigint, locked: boolean): Promise<void> {
    accountId = checkId('accountId', accountId);
    return this.#update('accounts.setLocked', accountId, { locked: locked ? 1 : 0 });
  }

  async setAccessLevel(accountId: bigint, level: AccessLevel): Promise<void> {
    accountId = checkId('accountId', accountId);
    return this.#update('accounts.setAccessLevel', accountId, { access_level: checkAccessLevel(level) });
  }

  async recordLogin(accountId: bigint, at: Date, machineId?: bigint): Promise<void> {
    accountId = checkId('accountId', accountId);
    const lastLogin = toMs(checkDate('at', at));
    const machine = machineId === undefined ? undefined : checkId('machineId', machineId);
    return this.#context.timed('accounts.recordLogin', async () => {
      const { backend } = this.#context;
      // Two single statements issued together: SQLite's group commit puts them in one transaction.
      const [updated, remembered] = await Promise.allSettled([
        backend.write((db) => this.#recordLogin.execute(db, [accountId, lastLogin])),
        machine === undefined ? Promise.resolve(undefined) : backend.write((db) => this.#rememberMachine.execute(db, [accountId, machine, lastLogin])),
      ]);
      if (updated.status === 'rejected') throw updated.reason;
      const result = updated.value;
      // Unknown account: the machine row failed on its foreign key, and the account error says why.
      if (result.numAffectedRows !== 0n && remembered.status === 'rejected') throw remembered.reason;
      if (result.numAffectedRows === 0n) throw new UnknownAccountError(accountId);
    });
  }

  #update(operation: string, accountId: bigint, values: { locked?: number; access_level?: string }): Promise<void> {
    return this.#context.timed(operation, async () => {
      const result = await this.#context.backend.write((db) => db.updateTable('accounts').set(values).where('id', '=', accountId).executeTakeFirst());
      if (result.numUpdatedRows === 0n) throw new UnknownAccountError(accountId);
    });
  }
}
