// PostgreSQL through pg's Pool. int8 values are parsed to bigint on this pool only (no global
// type parser change), so GIDs keep all 64 bits.
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Backend } from '../backend.js';
import { StoreConfigError } from '../errors.js';
import type { Database } from '../schema.js';
import type { StoreLogger } from '../types.js';

export interface PostgresBackendOptions {
  readonly url: string;
  /** A schema of its own (created if missing), set as search_path on every connection. */
  readonly schema?: string;
  readonly poolSize?: number;
  readonly logger?: StoreLogger;
}

const int8Oid = 20;
// Advisory lock namespace for character names ("IMLC"), so it cannot meet other lock users.
const nameLockNamespace = 0x494d4c43;
const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openPostgresBackend(options: PostgresBackendOptions): Promise<Backend> {
  if (options.schema !== undefined && !schemaPattern.test(options.schema)) {
    throw new StoreConfigError(`invalid PostgreSQL schema name ${JSON.stringify(options.schema)}`);
  }
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === int8Oid && format !== 'binary' ? (value: string) => BigInt(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // An idle client's connection error (server restart) must not crash the process; the pool
  // drops that client and the next query opens a fresh one.
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'idle PostgreSQL connection failed; the pool replaces it'));
  // A client that is checked out when the server goes away (restart, failover) emits 'error' on itself, not on the
  // pool; without a listener that is an uncaught exception. The query in flight still rejects, so its caller sees the
  // failure; the broken client is discarded when released.
  pool.on('connect', (client) => {
    client.on('error', (error) => options.logger?.warn({ err: error }, 'PostgreSQL connection failed while in use; the pool replaces it'));
  });

  let migrationTableSchema: string;
  try {
    const client = await pool.connect();
    try {
      if (options.schema !== undefined) await client.query(`create schema if not exists "${options.schema}"`);
      const result = await client.query<{ schema: string | null }>('select current_schema() as schema');
      migrationTableSchema = result.rows[0]?.schema ?? 'public';
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => {});
    throw new StoreConfigError('cannot connect to PostgreSQL', { cause: error });
  }

  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    migrationTableSchema,
    writeTransaction(fn) {
      return db.transaction().execute(fn);
    },
    // A single statement commits on its own (autocommit) before its result comes back.
    write(fn) {
      return fn(db);
    },
    async lockAccount(trx, accountId) {
      const row = await trx.selectFrom('accounts').select('id').where('id', '=', accountId).forUpdate().executeTakeFirst();
      return row !== undefined;
    },
    async lockName(trx, nameKey) {
      // Names of different accounts are not covered by the account lock; a transaction-scoped
      // advisory lock on the name's hash serializes creators of one name.
      await sql`select pg_advisory_xact_lock(${sql.lit(nameLockNamespace)}, hashtext(${nameKey}))`.execute(trx);
    },
    isUniqueViolation(error) {
      return (error as { code?: unknown } | null)?.code === '23505';
    },
    async close() {
      await db.destroy();
    },
  };
}
