import type { Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDatabase } from '../../infra/db/connection.js';
import type { Database } from '../../infra/db/database.js';
import { createMigratedDatabase, migrateToLatest } from '../../infra/db/migrate.js';
import { copyDatabase, dropDatabase } from '../../infra/postgres.js';

export interface TestDatabase {
  readonly url: string;
  readonly db: Kysely<Database>;
  drop(): Promise<void>;
}

const databaseUrl = (adminUrl: string, name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();

/**
 * The run's migrated database (global setup): each test file's database is a copy of it, since
 * running the migrations for each of some forty databases cost 1–3 s apiece on a loaded machine.
 */
export async function createMigratedTemplate(adminUrl: string): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `hi_test_template_${randomBytes(6).toString('hex')}`;
  await createMigratedDatabase(adminUrl, name);
  return { name, drop: () => dropDatabase(adminUrl, name) };
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `hi_test_${randomBytes(6).toString('hex')}`;
  await copyDatabase(adminUrl, inject('databaseTemplate'), name);
  const url = databaseUrl(adminUrl, name);
  const db = createDatabase(url, { max: 5 });
  // A copy of the template is at the latest migration already; this proves it and costs one look.
  await migrateToLatest(db);
  return {
    url,
    db,
    async drop() {
      await db.destroy();
      await dropDatabase(adminUrl, name);
    },
  };
}
