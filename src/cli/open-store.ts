// Opens the store the configuration describes: PostgreSQL when database.url is set, SQLite otherwise.
import type { ImlightConfig } from '../config/index.js';
import { openStore, type QueryObserver, type Store, type StoreLogger } from '../store/index.js';

export interface StoreHooks {
  readonly logger?: StoreLogger;
  readonly onQuery?: QueryObserver;
}

export function openConfiguredStore(config: ImlightConfig, hooks: StoreHooks = {}): Promise<Store> {
  return openStore({
    // null, not undefined: the configuration loader already applied IMLIGHT_DATABASE_URL, and a flag or file
    // value must not be overridden by the store reading the environment again.
    databaseUrl: config.database.url ?? null,
    sqlitePath: config.database.sqliteFile,
    sqliteSynchronous: config.database.sqliteSynchronous,
    postgresPoolSize: config.database.poolSize,
    ...(config.database.schema === undefined ? {} : { postgresSchema: config.database.schema }),
    ...(config.secret === undefined ? {} : { secret: config.secret }),
    characterLimit: config.login.characterLimit,
    uniqueCharacterNames: config.login.uniqueCharacterNames,
    ...(hooks.logger === undefined ? {} : { logger: hooks.logger }),
    ...(hooks.onQuery === undefined ? {} : { onQuery: hooks.onQuery }),
  });
}
