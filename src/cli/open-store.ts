// Opens the store the configuration describes: PostgreSQL when database.url is set, SQLite otherwise.
import type { ImlightConfig } from '../config/index.js';
import type { QueryObserver, Store, StoreLogger } from '../store/index.js';
import { openWithStoreSecret } from './store-secret.js';

export interface StoreHooks {
  readonly logger?: StoreLogger;
  readonly onQuery?: QueryObserver;
}

/** The secret is `secret`, or the key file's (generated at first start): stored credentials are always sealed. */
export function openConfiguredStore(config: ImlightConfig, hooks: StoreHooks = {}): Promise<Store> {
  return openWithStoreSecret(config, {
    // null, not undefined: the configuration loader already applied IMLIGHT_DATABASE_URL, and a flag or file
    // value must not be overridden by the store reading the environment again.
    databaseUrl: config.database.url ?? null,
    sqlitePath: config.database.sqliteFile,
    sqliteSynchronous: config.database.sqliteSynchronous,
    postgresPoolSize: config.database.poolSize,
    ...(config.database.schema === undefined ? {} : { postgresSchema: config.database.schema }),
    characterLimit: config.login.characterLimit,
    uniqueCharacterNames: config.login.uniqueCharacterNames,
    ...(hooks.logger === undefined ? {} : { logger: hooks.logger }),
    ...(hooks.onQuery === undefined ? {} : { onQuery: hooks.onQuery }),
  });
}
