import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '../../infra/free-port.js';
import { dataDir } from '../../infra/paths.js';
import { createDatabaseIfMissing, dropDatabase, resolveDatabase } from '../../infra/postgres.js';

/**
 * A database of the section's own, dropped when it stops: on `DATABASE_URL`'s server when set
 * (a fresh database beside the one named there, never that one, so runs and sections start
 * empty), otherwise on the embedded server in `data/bench`.
 */
export async function benchDatabase(name: string): Promise<{ url: string; stop(): Promise<void> }> {
  const database = `huurincasso_bench_${name.replace(/\W/g, '_')}`;
  const admin = process.env.DATABASE_URL;
  if (!admin) return resolveDatabase(undefined, { dataDir: join(dataDir, 'bench'), port: await freePort(), database, recreate: true });
  const own = `${database}_${randomBytes(4).toString('hex')}`;
  await createDatabaseIfMissing(admin, own);
  const url = new URL(admin);
  url.pathname = `/${own}`;
  return { url: url.toString(), stop: () => dropDatabase(admin, own) };
}
