// Opens fresh stores on each back end for the contract suite: SQLite in a temp file, and
// PostgreSQL in a schema of its own per store (dropped at the end) so runs never collide.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { openStore, type OpenStoreOptions, type Store } from '../../src/store/index.js';

export const postgresTestUrl = process.env['IMLIGHT_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface FreshDatabase {
  /** Opens a store on this database (the same one each time). */
  open(options?: Partial<OpenStoreOptions>): Promise<Store>;
  /** Runs raw SQL on the same database with its own connection, as an outside reader would. */
  raw(query: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** The options that select this database, for a child process. */
  readonly location: { sqlitePath?: string; databaseUrl?: string; postgresSchema?: string };
  dispose(): Promise<void>;
}

export interface Harness {
  readonly name: string;
  /** Set when the back end cannot run here; the reason is shown as the skip message. */
  readonly skip: string | false;
  fresh(): Promise<FreshDatabase>;
}

export function sqliteHarness(): Harness {
  return {
    name: 'SQLite',
    skip: false,
    async fresh() {
      const dir = mkdtempSync(join(tmpdir(), 'imlight-store-'));
      const sqlitePath = join(dir, 'nested', 'imlight.db');
      const opened: Store[] = [];
      return {
        location: { sqlitePath },
        async open(options = {}) {
          const store = await openStore({ databaseUrl: null, sqlitePath, ...options });
          opened.push(store);
          return store;
        },
        async raw(query, params = []) {
          const db = new BetterSqlite3(sqlitePath);
          try {
            db.defaultSafeIntegers(true);
            const stmt = db.prepare(query);
            return stmt.reader ? (stmt.all(...params) as Record<string, unknown>[]) : (stmt.run(...params), []);
          } finally {
            db.close();
          }
        },
        async dispose() {
          for (const store of opened) await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

export async function postgresReachable(url = postgresTestUrl): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//')} is unreachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function postgresHarness(): Promise<Harness> {
  const unreachable = await postgresReachable();
  // Under CI the back end must be tested: an unreachable server fails the run instead of skipping.
  const skip = unreachable !== undefined && process.env['CI'] !== 'true' ? unreachable : false;
  return {
    name: 'PostgreSQL',
    skip,
    async fresh() {
      const postgresSchema = `imlight_test_${randomBytes(6).toString('hex')}`;
      const opened: Store[] = [];
      const raw = async (query: string, params: unknown[] = []) => {
        const client = new pg.Client({ connectionString: postgresTestUrl, options: `-c search_path=${postgresSchema}` });
        await client.connect();
        try {
          return (await client.query(query, params)).rows as Record<string, unknown>[];
        } finally {
          await client.end();
        }
      };
      return {
        location: { databaseUrl: postgresTestUrl, postgresSchema },
        async open(options = {}) {
          const store = await openStore({ databaseUrl: postgresTestUrl, postgresSchema, ...options });
          opened.push(store);
          return store;
        },
        raw: (query, params) => {
          let n = 0;
          return raw(query.replace(/\?/g, () => `$${++n}`), params);
        },
        async dispose() {
          for (const store of opened) await store.close();
          const client = new pg.Client({ connectionString: postgresTestUrl });
          await client.connect();
          try {
            await client.query(`drop schema if exists "${postgresSchema}" cascade`);
          } finally {
            await client.end();
          }
        },
      };
    },
  };
}
