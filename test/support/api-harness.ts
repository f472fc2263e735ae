import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, type Worker } from '@temporalio/worker';
import { createApiApp } from '../../services/api/api-app.js';
import { newApiKey, storeApiKey, type Role } from '../../services/api/auth.js';
import { listen } from '../../services/http/serve.js';
import { createWorker, workflowsPath } from '../../services/worker/create-worker.js';
import { startServices, type RunningServices, workerServiceOptions } from './services.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { ensureTestCorporation } from './tracks.js';

export type ApiKeys = Record<Role, string> & { otherBailiff: string; secondApprover: string };

export interface ApiHarness {
  readonly baseUrl: string;
  readonly keys: ApiKeys;
  readonly database: TestDatabase;
  readonly services: RunningServices;
  readonly client: Client;
  call(method: string, path: string, options?: { key?: string | null; body?: unknown }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

const silentLogger = { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} };

/**
 * The API over real HTTP with everything behind it real: a Temporal server (the dev server, or a
 * time-skipping one in simulation), the worker, the letter, bank and municipality services and a
 * database of the test file's own.
 */
export async function startApi(options: {
  databaseAdminUrl: string;
  /** A server to connect to; for simulation, the time-skipping environment's connection. */
  temporal: { address: string } | { connection: Connection; nativeConnection: NativeConnection };
  simulation?: boolean;
}): Promise<ApiHarness> {
  const database = await createTestDatabase(options.databaseAdminUrl);
  await ensureTestCorporation(database.db, { bailiffOfficeId: 'gdw-test' });
  const services = await startServices(database.db);
  const ownsConnections = 'address' in options.temporal;
  const connection = 'address' in options.temporal ? await Connection.connect({ address: options.temporal.address }) : options.temporal.connection;
  const nativeConnection = 'address' in options.temporal ? await NativeConnection.connect({ address: options.temporal.address }) : options.temporal.nativeConnection;
  const client = new Client({ connection });
  const taskQueue = `api-test-${process.pid}-${Date.now().toString(36)}`;

  const worker: Worker = await createWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: silentLogger as never }),
    db: database.db,
    ...workerServiceOptions(services),
  });
  const running = worker.run();

  const app = createApiApp({ db: database.db, connection, client, taskQueue, simulation: options.simulation ?? false });
  const server = await listen(app, 0);

  await database.db.insertInto('bailiff_office').values([{ office_id: 'gdw-other', name: 'GDW Other' }]).execute();
  const keys = {} as ApiKeys;
  for (const role of ['billing', 'operator', 'approver', 'admin'] as const) {
    keys[role] = newApiKey(role);
    await storeApiKey(database.db, keys[role], role, `test ${role}`);
  }
  keys.secondApprover = newApiKey('approver');
  await storeApiKey(database.db, keys.secondApprover, 'approver', 'test approver 2');
  keys.bailiff = newApiKey('bailiff');
  await storeApiKey(database.db, keys.bailiff, 'bailiff', 'test bailiff', 'gdw-test');
  keys.otherBailiff = newApiKey('bailiff');
  await storeApiKey(database.db, keys.otherBailiff, 'bailiff', 'other bailiff', 'gdw-other');

  return {
    baseUrl: server.url,
    keys,
    database,
    services,
    client,
    async call(method, path, { key = keys.admin, body } = {}) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await server.close();
      worker.shutdown();
      await running;
      if (ownsConnections) {
        await connection.close();
        await nativeConnection.close();
      }
      await services.close();
      await database.drop();
    },
  };
}
