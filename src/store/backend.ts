// The seam between the shared Kysely implementation and each database: how to open a write
// transaction that serializes with other writers, how to lock, how a unique violation looks.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { StoreBackend } from './types.js';

export interface Backend {
  readonly kind: StoreBackend;
  readonly db: Kysely<Database>;
  /** Schema holding Kysely's migration tables (PostgreSQL), so one database can hold several stores. */
  readonly migrationTableSchema: string | undefined;
  /** Runs `fn` in a transaction that is committed before the returned promise resolves. */
  writeTransaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * Runs a write of exactly one statement (atomic by itself, so SQLite's group commit gives it
   * no savepoint of its own); resolves once it is committed.
   */
  write<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Inside a write transaction: locks the account row against concurrent writers; false if it does not exist. */
  lockAccount(trx: Kysely<Database>, accountId: bigint): Promise<boolean>;
  /** Inside a write transaction: serializes writers of one character name key. */
  lockName(trx: Kysely<Database>, nameKey: string): Promise<void>;
  isUniqueViolation(error: unknown): boolean;
  close(): Promise<void>;
}
