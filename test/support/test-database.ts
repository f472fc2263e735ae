import type { Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase } from '../../infra/db/connection.js';
import type { Database } from '../../infra/db/database.js';
import { migrateToLatest } from '../../infra/db/migrate.js';

export interface TestDatabase {
  readonly url: string;
  readonly db: Kysely<Database>;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `hi_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDatabase(url.toString(), { max: 5 });
  await migrateToLatest(db);
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.destroy();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
