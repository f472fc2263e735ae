import { Migrator, type Kysely } from 'kysely';
import { createDatabaseIfMissing } from '../postgres.js';
import { createDatabase } from './connection.js';
import type { Database } from './database.js';
import { migrations } from './migrations/index.js';

/** Brings the schema to the newest migration in the repository; throws on the first failure. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * A database on `adminUrl`'s server at the newest migration, made to be copied (copyDatabase):
 * the tests and the bench copy one per file or section instead of migrating each.
 */
export async function createMigratedDatabase(adminUrl: string, name: string): Promise<void> {
  await createDatabaseIfMissing(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDatabase(url.toString(), { max: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}
