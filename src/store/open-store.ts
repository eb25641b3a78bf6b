// openStore: picks the back end from the configuration, runs the migrations, and returns the
// repositories over one Kysely instance.
import { Migrator } from 'kysely';
import { KyselyAccountRepository } from './account-repository.js';
import type { Backend } from './backend.js';
import { KyselyBanRepository } from './ban-repository.js';
import { KyselyCharacterRepository } from './character-repository.js';
import { KyselyFriendRepository } from './friend-repository.js';
import { KyselyIgnoreRepository } from './ignore-repository.js';
import { CredentialCipher } from './credential-cipher.js';
import { BadSecretError, MigrationError, StoreConfigError } from './errors.js';
import { KyselyLoginKeyRepository, KyselySessionKeyRepository } from './key-repositories.js';
import { migrationProvider } from './migrations/index.js';
import { KyselyOnlinePlayerRepository } from './online-player-repository.js';
import { openPostgresBackend } from './postgres/postgres-backend.js';
import { openSqliteBackend } from './sqlite/sqlite-backend.js';
import { createTimer, type StoreContext } from './store-context.js';
import type { QueryObserver, Store, StoreLogger } from './types.js';

export const defaultSqlitePath = './data/imlight.db';
export const defaultCharacterLimit = 6;

export interface OpenStoreOptions {
  /**
   * A postgres:// (or postgresql://) URL selects PostgreSQL. Undefined: IMLIGHT_DATABASE_URL
   * from the environment if set. Null: SQLite, whatever the environment says.
   */
  readonly databaseUrl?: string | null;
  /** SQLite file; the folder is created. Default ./data/imlight.db. */
  readonly sqlitePath?: string;
  /** 'full' (default) survives power loss; 'normal' survives a process kill only. */
  readonly sqliteSynchronous?: 'full' | 'normal';
  /** PostgreSQL schema to use (created if missing), e.g. one per test run. */
  readonly postgresSchema?: string;
  readonly postgresPoolSize?: number;
  /** Operator secret: when set, stored password hashes are encrypted with AES-256-GCM. */
  readonly secret?: string;
  /** Live characters per account. Default 6. */
  readonly characterLimit?: number;
  /** Refuse a character name already used by a live character (case-insensitive). Default false. */
  readonly uniqueCharacterNames?: boolean;
  readonly logger?: StoreLogger;
  /** Called after every operation with its duration: the metrics hook. */
  readonly onQuery?: QueryObserver;
}

const credentialCheckName = 'credential_check';
const credentialCheckText = 'imlight credential key check';

function selectUrl(options: OpenStoreOptions): string | undefined {
  if (options.databaseUrl === null) return undefined;
  const url = options.databaseUrl ?? process.env['IMLIGHT_DATABASE_URL'];
  return url === undefined || url === '' ? undefined : url;
}

export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const characterLimit = options.characterLimit ?? defaultCharacterLimit;
  if (!Number.isSafeInteger(characterLimit) || characterLimit < 0) {
    throw new StoreConfigError(`characterLimit must be a non-negative integer, got ${characterLimit}`);
  }
  const url = selectUrl(options);
  let backend: Backend;
  if (url === undefined) {
    backend = openSqliteBackend({ path: options.sqlitePath ?? defaultSqlitePath, synchronous: options.sqliteSynchronous ?? 'full' });
  } else if (/^postgres(ql)?:\/\//i.test(url)) {
    backend = await openPostgresBackend({
      url,
      ...(options.postgresSchema === undefined ? {} : { schema: options.postgresSchema }),
      ...(options.postgresPoolSize === undefined ? {} : { poolSize: options.postgresPoolSize }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
  } else {
    throw new StoreConfigError('the database URL must start with postgres:// or postgresql:// (leave it unset for SQLite)');
  }

  try {
    await migrate(backend, options.logger);
    const cipher = new CredentialCipher(options.secret);
    if (cipher.enabled) await checkSecret(backend, cipher);
    return new KyselyStore(backend, {
      backend,
      cipher,
      characterLimit,
      uniqueCharacterNames: options.uniqueCharacterNames ?? false,
      timed: createTimer(options.onQuery),
    });
  } catch (error) {
    await backend.close().catch(() => {});
    throw error;
  }
}

function migrator(backend: Backend): Migrator {
  return new Migrator({
    db: backend.db,
    provider: migrationProvider(backend.kind),
    ...(backend.migrationTableSchema === undefined ? {} : { migrationTableSchema: backend.migrationTableSchema }),
  });
}

async function migrate(backend: Backend, logger: StoreLogger | undefined): Promise<void> {
  const { error, results } = await migrator(backend).migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') logger?.info({ migration: result.migrationName, backend: backend.kind }, 'store migration applied');
  }
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    logger?.error({ migration: failed, err: error }, 'store migration failed');
    throw new MigrationError(failed, { cause: error });
  }
}

// A wrong secret must fail at start, not at the first login: a known value sealed under the
// configured key is kept and checked at every open.
async function checkSecret(backend: Backend, cipher: CredentialCipher): Promise<void> {
  const row = await backend.db.selectFrom('store_meta').select('value').where('name', '=', credentialCheckName).executeTakeFirst();
  if (row === undefined) {
    await backend.db
      .insertInto('store_meta')
      .values({ name: credentialCheckName, value: cipher.seal(credentialCheckText, credentialCheckName) })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return;
  }
  if (cipher.open(row.value, credentialCheckName) !== credentialCheckText) throw new BadSecretError();
}

class KyselyStore implements Store {
  readonly backend;
  readonly accounts;
  readonly bans;
  readonly characters;
  readonly sessionKeys;
  readonly loginKeys;
  readonly onlinePlayers;
  readonly friends;
  readonly ignores;
  readonly #backend: Backend;
  #closed: Promise<void> | undefined;

  constructor(backend: Backend, context: StoreContext) {
    this.backend = backend.kind;
    this.accounts = new KyselyAccountRepository(context);
    this.bans = new KyselyBanRepository(context);
    this.characters = new KyselyCharacterRepository(context);
    this.sessionKeys = new KyselySessionKeyRepository(context);
    this.loginKeys = new KyselyLoginKeyRepository(context);
    this.onlinePlayers = new KyselyOnlinePlayerRepository(context);
    this.friends = new KyselyFriendRepository(context);
    this.ignores = new KyselyIgnoreRepository(context);
    this.#backend = backend;
    this.#closed = undefined;
  }

  async appliedMigrations(): Promise<string[]> {
    const migrations = await migrator(this.#backend).getMigrations();
    return migrations.filter((m) => m.executedAt !== undefined).map((m) => m.name);
  }

  close(): Promise<void> {
    this.#closed ??= this.#backend.close();
    return this.#closed;
  }
}
