import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../../infra/db/connection.js';
import { isDatabaseUnavailable } from '../../services/http/database-unavailable.js';

/**
 * What a database restart does to a connection in use (drill/database-restart.ts runs the whole
 * of it): the server ends the session between two statements of a transaction. Before the pool
 * gave every connection an 'error' listener this ended the process (an unhandled 'error' event on
 * the pg Client), and the API or worker was gone after the restart. Here only this test's own
 * session is ended (pg_terminate_backend of its pid), not the server.
 */
const db = createDatabase(inject('databaseAdminUrl'), { max: 2 });
const admin = new pg.Client({ connectionString: inject('databaseAdminUrl') });

afterAll(async () => {
  await admin.end();
  await db.destroy();
});

describe('a database connection ended by the server while in use', () => {
  it('fails its own transaction as "database unavailable" (503), and the pool goes on with a new connection', async () => {
    await admin.connect();
    let terminated: number | undefined;
    const failure = await db
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        terminated = rows[0]!.pid;
        await admin.query('select pg_terminate_backend($1)', [terminated]);
        // The server's 57P01 arrives while the connection is checked out and idle.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sql`select 1`.execute(trx);
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(failure), String(failure)).toBe(true);
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
    expect(rows[0]!.pid).not.toBe(terminated);
  });
});
