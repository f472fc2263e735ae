import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';

// DATE columns come back as 'YYYY-MM-DD' strings, not JS Dates shifted by the host's zone,
// and NUMERIC stays a string (pg's default), so money never passes through a float.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export function createDatabase(connectionString: string, options: { max?: number } = {}): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString, max: options.max ?? 10 }),
    }),
  });
}
