import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../../infra/paths.js';
import { resolveDatabase } from '../../infra/postgres.js';
import { ensureTemporalBinary, temporalCli, temporalTestServer } from '../../infra/temporal/binaries.js';
import { startDevServer } from '../../infra/temporal/servers.js';
import { writeWorkflowBundleFile } from '../../worker/workflow-bundle-file.js';
import { freePort } from './ports.js';
import { createMigratedTemplate } from './test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A Postgres URL on which test files may create databases of their own. */
    databaseAdminUrl: string;
    /** The run's migrated database on that server, which test files' databases are copied from (test-database.ts). */
    databaseTemplate: string;
    /** A Temporal dev server (the real server, real time) shared by the end-to-end tests. */
    temporalDevAddress: string;
    /**
     * The product's workflow code, bundled once for the run with the production worker's options
     * (`{ codePath }`, test/support/workflow-bundle.ts): a bundle is 4–8 s of CPU, which each of
     * some thirty test files paid again.
     */
    workflowBundlePath: string;
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
  // Bundling is CPU, the servers' start mostly waiting: side by side.
  const workflowBundle = writeWorkflowBundleFile(join(dataDir, 'test'));
  workflowBundle.catch(() => {}); // awaited below; a server failing to start first must not leave it unhandled

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
  const template = await createMigratedTemplate(database.url);
  project.provide('databaseTemplate', template.name);
  project.provide('temporalDevAddress', temporal.address);
  const workflowBundlePath = await workflowBundle;
  project.provide('workflowBundlePath', workflowBundlePath);
  return async () => {
    rmSync(workflowBundlePath, { force: true });
    await temporal.stop();
    await template.drop();
    await database.stop();
  };
}
