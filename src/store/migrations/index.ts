// Versioned migrations, provided in code (no file scanning, so a bundled or compiled build
// runs the same list). Names sort in order; a new migration gets the next number. Never edit
// or remove an applied one: add another.
import type { Migration, MigrationProvider } from 'kysely';
import type { StoreBackend } from '../types.js';
import { initialMigration } from './0001-initial.js';
import { socialMigration } from './0003-social.js';

export function migrationProvider(backend: StoreBackend): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001-initial': initialMigration(backend),
        '0003-social': socialMigration(),
      };
    },
  };
}
