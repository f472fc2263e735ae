import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { log } from '../observability/logger.js';

// DATE columns come back as 'YYYY-MM-DD' strings, not JS Dates shifted by the host's zone,
// and NUMERIC stays a string (pg's default), so money never passes through a float.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export function createDatabase(connectionString: string, options: { max?: number } = {}): Kysely<Database> {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle connection the server ends (a restart, a dropped test database: 57P01) is discarded
  // by the pool and replaced on the next query; unhandled, its 'error' event would end the process.
  pool.on('error', (error) => log().warn(`idle database connection lost: ${error.message}`));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
