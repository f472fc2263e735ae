import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createMigratedDatabase } from '../../infra/db/migrate.js';
import { freePort } from '../../infra/free-port.js';
import { dataDir } from '../../infra/paths.js';
import { copyDatabase, dropDatabase, startEmbeddedPostgres } from '../../infra/postgres.js';
import { runWide } from './run-wide.js';

const prefix = 'huurincasso_bench_';

/**
 * A database of the section's own, dropped when it stops, so runs and sections start empty: on
 * `DATABASE_URL`'s server when set (beside the one named there, never that one), otherwise on the
 * run's one embedded server in `data/bench`. Each is a copy of one database migrated once for the
 * run (the migrations take a second or two a database on a loaded machine; a copy a tenth of that):
 * the schema is the same, and the section's own migrateToLatest() finds nothing left to do.
 */
export async function benchDatabase(name: string): Promise<{ url: string; stop(): Promise<void> }> {
  const admin = process.env.DATABASE_URL ?? (await embeddedServer());
  const template = await migratedTemplate(admin);
  const own = `${prefix}${name.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  await copyDatabase(admin, template, own);
  return { url: databaseUrl(admin, own), stop: () => dropDatabase(admin, own) };
}

/** The run's migrated database every section's is copied from; dropped at the run's end. */
function migratedTemplate(admin: string): Promise<string> {
  return runWide('migrated database', async () => {
    const template = `${prefix}template_${randomBytes(4).toString('hex')}`;
    await createMigratedDatabase(admin, template);
    return { value: template, stop: () => dropDatabase(admin, template) };
  });
}

/** The embedded Postgres for the whole run; its admin URL. */
function embeddedServer(): Promise<string> {
  return runWide('Postgres', async () => {
    const server = await startEmbeddedPostgres({ dataDir: join(dataDir, 'bench'), port: await freePort(), database: 'postgres' });
    // The cluster is the bench's own: what a killed run left behind goes before this one starts.
    const left = await withAdmin(server.url, async (client) => (await client.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [prefix])).rows);
    for (const { datname } of left) await dropDatabase(server.url, datname);
    return { value: server.url, stop: () => server.stop() };
  });
}

function databaseUrl(admin: string, database: string): string {
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(admin: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
