// Security additions (docs/store.md, "Credentials" and "Confusable names"):
// - accounts.username_skeleton and characters.name_skeleton: the confusable-name key of every name,
//   filled here for existing rows, indexed for the check at create;
// - accounts.console_verifier: the scrypt verifier of an administrator's password for the admin console;
// - known_machines: the machine ids that logged in to an account, which the login throttle never refuses.
// Numbered 0003 so that it sorts after any 0002 another change adds; never edit it once applied.
import type { Kysely, Migration } from 'kysely';
import { nameSkeleton } from '../name-skeleton.js';

const BATCH = 500;

async function fillSkeletons(db: Kysely<any>, table: 'accounts' | 'characters', nameColumn: string, skeletonColumn: string): Promise<void> {
  let after: bigint | number = -1;
  for (;;) {
    const rows: Array<{ id: bigint | number; name: string }> = await db
      .selectFrom(table)
      .select(['id', `${nameColumn} as name`])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      await db.updateTable(table).set({ [skeletonColumn]: nameSkeleton(row.name) }).where('id', '=', row.id).execute();
    }
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.id;
  }
}

export function securityMigration(): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('accounts').addColumn('username_skeleton', 'text').execute();
      await db.schema.alterTable('accounts').addColumn('console_verifier', 'text').execute();
      await db.schema.alterTable('characters').addColumn('name_skeleton', 'text').execute();
      await fillSkeletons(db, 'accounts', 'username', 'username_skeleton');
      await fillSkeletons(db, 'characters', 'name', 'name_skeleton');
      await db.schema.createIndex('accounts_username_skeleton').on('accounts').column('username_skeleton').execute();
      await db.schema.createIndex('characters_name_skeleton').on('characters').column('name_skeleton').execute();

      await db.schema.createTable('known_machines')
        .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
        .addColumn('machine_id', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('known_machines_pk', ['account_id', 'machine_id'])
        .execute();
    },
  };
}
