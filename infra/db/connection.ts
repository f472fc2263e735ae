import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { log } from '../observability/logger.js';

// DATE columns come back as 'YYYY-MM-DD' strings, not JS Dates shifted by the host's zone,
// and NUMERIC stays a string (pg's default), so money never passes through a float.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export interface PoolSettings {
  readonly max?: number;
  /**
   * The longest one statement may run on the server (statement_timeout). A migration of a large
   * table may ask for more; a request or an activity never needs it.
   */
  readonly statementTimeoutMs?: number;
}

/**
 * A pool that survives a database restart (drill/database-restart.ts). What made a process hang
 * or die when Postgres went away and came back:
 *
 * - pg-pool listens for a connection's 'error' only while it is idle. A connection that is checked
 *   out (a request between two statements of a transaction) and is ended by the server (57P01 on
 *   a restart) emits 'error' with no listener: Node ends the process as with an uncaught
 *   exception, and the API or the worker was simply gone afterwards. Every connection now has a
 *   listener for its whole life; the statement that was running fails on its own and the pool
 *   drops the dead connection when it is released.
 * - Without connectionTimeoutMillis a connect to a server that accepts but does not answer
 *   (starting up, a dead failover address) waits forever while holding a pool slot; ten such and
 *   every later query queues behind them.
 * - Without a statement_timeout and idle_in_transaction_session_timeout a statement or an open
 *   transaction whose client is gone holds its locks on the server until TCP notices; keepAlive
 *   lets the socket notice a peer that vanished.
 */
export function createDatabase(connectionString: string, options: PoolSettings = {}): Kysely<Database> {
  const statementTimeout = options.statementTimeoutMs ?? 60_000;
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    statement_timeout: statementTimeout,
    idle_in_transaction_session_timeout: statementTimeout,
  });
  // An idle connection the server ends (a restart, a dropped test database: 57P01) is discarded
  // by the pool and replaced on the next query; unhandled, its 'error' event would end the process.
  pool.on('error', (error) => log().warn(`idle database connection lost: ${error.message}`));
  // The same for a connection in use (see above). Nothing to do in it: the statement running on it
  // rejects with the error, and an idle one is told by the pool's 'error' above.
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
