import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { join } from 'node:path';
import { dataDir } from '../../infra/paths.js';
import { resolveDatabase } from '../../infra/postgres.js';
import { ensureTemporalBinary, temporalCli, temporalTestServer } from '../../infra/temporal/binaries.js';
import { startDevServer } from '../../infra/temporal/servers.js';
import { freePort } from './ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A Postgres URL on which test files may create databases of their own. */
    databaseAdminUrl: string;
    /** A Temporal dev server (the real server, real time) shared by the end-to-end tests. */
    temporalDevAddress: string;
  }
}

/**
 * One Postgres and one Temporal dev server for the whole run. Postgres is DATABASE_URL when set,
 * else an embedded one under data/. Test files make their own databases and their own
 * time-skipping servers (time skipping is global to a server).
 */
export default async function setup(project: TestProject) {
  const log = (line: string) => console.log(`[test setup] ${line}`);
  ensureTemporalBinary(temporalCli, log);
  ensureTemporalBinary(temporalTestServer, log);

  const database = await resolveDatabase(process.env.DATABASE_URL, {
    dataDir: join(dataDir, 'test'),
    port: Number(process.env.TEST_EMBEDDED_POSTGRES_PORT ?? (await freePort())),
    database: 'postgres',
  });
  const temporal = await startDevServer({
    port: await freePort(),
    uiPort: await freePort(),
    dbFile: join(dataDir, 'test', `temporal-${process.pid}.sqlite`),
    namespace: 'default',
    log: () => {},
  });
  project.provide('databaseAdminUrl', database.url);
  project.provide('temporalDevAddress', temporal.address);
  return async () => {
    await temporal.stop();
    await database.stop();
  };
}
