// The first schema. Ids: SQLite INTEGER PRIMARY KEY AUTOINCREMENT (64-bit, never reused, so a
// deleted character's GID is never handed out again); PostgreSQL BIGINT identity.
import type { Kysely, Migration } from 'kysely';
import type { StoreBackend } from '../types.js';

export function initialMigration(backend: StoreBackend): Migration {
  const blob = backend === 'postgres' ? 'bytea' : 'blob';
  const id = <T extends { addColumn: (...args: any[]) => T }>(table: T): T =>
    backend === 'postgres'
      ? table.addColumn('id', 'bigint', (c: any) => c.primaryKey().generatedByDefaultAsIdentity())
      : table.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  return {
    async up(db: Kysely<any>): Promise<void> {
      await id(db.schema.createTable('accounts'))
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('username_key', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('access_level', 'text', (c) => c.notNull())
        .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_login_at', 'bigint')
        .execute();

      await id(db.schema.createTable('bans'))
        .addColumn('account_id', 'bigint', (c) => c.references('accounts.id'))
        .addColumn('machine_id', 'bigint')
        .addColumn('address', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('lifted_at', 'bigint')
        .execute();
      await db.schema.createIndex('bans_account_id').on('bans').column('account_id').execute();
      await db.schema.createIndex('bans_machine_id').on('bans').column('machine_id').execute();
      await db.schema.createIndex('bans_address').on('bans').column('address').execute();

      await id(db.schema.createTable('characters'))
        .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_key', 'text', (c) => c.notNull())
        .addColumn('creation_data', blob, (c) => c.notNull())
        .addColumn('zone_name', 'text')
        .addColumn('zone_id', 'bigint')
        .addColumn('location_x', 'double precision')
        .addColumn('location_y', 'double precision')
        .addColumn('location_z', 'double precision')
        .addColumn('location_yaw', 'double precision')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('state_version', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('deleted_at', 'bigint')
        .execute();
      await db.schema.createIndex('characters_account_id').on('characters').column('account_id').execute();
      await db.schema.createIndex('characters_name_key').on('characters').column('name_key').execute();

      await db.schema.createTable('session_keys')
        .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
        .addColumn('machine_id', 'bigint', (c) => c.notNull())
        .addColumn('session_key', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('session_keys_pk', ['account_id', 'machine_id'])
        .execute();

      await db.schema.createTable('login_keys')
        .addColumn('login_key', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
        .addColumn('character_id', 'bigint', (c) => c.notNull().references('characters.id'))
        .addColumn('server', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema.createTable('online_players')
        .addColumn('server', 'text', (c) => c.notNull())
        .addColumn('session_id', 'bigint', (c) => c.notNull())
        .addColumn('account_id', 'bigint', (c) => c.notNull())
        .addColumn('character_id', 'bigint')
        .addColumn('since', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('online_players_pk', ['server', 'session_id'])
        .execute();
      await db.schema.createIndex('online_players_account_id').on('online_players').column('account_id').execute();

      await db.schema.createTable('store_meta')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
