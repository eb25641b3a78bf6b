// The social layer's persisted lists (docs/social.md): friends (one row per side, so each side's
// list and best-friend symbol is its own), ignore lists, and friend requests until answered or
// expired. Character ids are the store's; rows go with their characters' ids, never reused.
import type { Kysely, Migration } from 'kysely';

export function socialMigration(): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createTable('friends')
        .addColumn('owner_id', 'bigint', (c) => c.notNull().references('characters.id'))
        .addColumn('friend_id', 'bigint', (c) => c.notNull().references('characters.id'))
        .addColumn('symbol', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('friends_pk', ['owner_id', 'friend_id'])
        .execute();

      await db.schema.createTable('ignores')
        .addColumn('owner_id', 'bigint', (c) => c.notNull().references('characters.id'))
        .addColumn('ignored_id', 'bigint', (c) => c.notNull().references('characters.id'))
        .addColumn('ignored_name', 'text', (c) => c.notNull())
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('ignores_pk', ['owner_id', 'ignored_id'])
        .execute();

      await db.schema.createTable('friend_requests')
        .addColumn('requester_id', 'bigint', (c) => c.notNull().references('characters.id'))
        .addColumn('target_id', 'bigint', (c) => c.notNull().references('characters.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('friend_requests_pk', ['requester_id', 'target_id'])
        .execute();
      await db.schema.createIndex('friend_requests_target_id').on('friend_requests').column('target_id').execute();
    },
  };
}
