import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createApiApp, type ApiDependencies } from '../../services/api/api-app.js';
import { sql } from 'kysely';
import { hashApiKey, newApiKey, storeApiKey, type KeyBinding, type Role } from '../../infra/db/api-key-store.js';
import { listen } from '../../services/http/serve.js';
import { createWorker } from '../../worker/create-worker.js';
import { testDataConverter, testPayloadKeys } from './payload-keys.js';
import { startServices, type RunningServices, workerServiceOptions } from './services.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { ensureTestCorporation } from './tracks.js';
import { productWorkflowBundle } from './workflow-bundle.js';

export type ApiKeys = Record<Role, string> & { otherBailiff: string; secondApprover: string };

export interface ApiHarness {
  readonly baseUrl: string;
  /** The express app behind baseUrl (its router stack lists the routes). */
  readonly app: ReturnType<typeof createApiApp>;
  readonly keys: ApiKeys;
  readonly database: TestDatabase;
  readonly services: RunningServices;
  readonly client: Client;
  /** The worker's task queue (a test starts workflows of its own on it). */
  readonly taskQueue: string;
  /** A key of the test's own (another person, another corporation). */
  makeKey(binding: KeyBinding): Promise<{ key: string; keyId: string }>;
  /** Binds the billing, operator and approver keys to a corporation the test made, besides test-corp. */
  grant(corporationId: string): Promise<void>;
  /** `contentType`: a body of another type than JSON (a bank file), sent as the string it is. */
  call(method: string, path: string, options?: { key?: string | null; body?: unknown; contentType?: string }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

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
  /** Browser origins the codec endpoint answers (the Temporal UI's); the API's default when absent. */
  codecCorsOrigins?: readonly string[];
  /** A payment provider for payment links (test/e2e/payment-links.test.ts runs the local one). */
  paymentProvider?: ApiDependencies['paymentProvider'];
}): Promise<ApiHarness> {
  const database = await createTestDatabase(options.databaseAdminUrl);
  await ensureTestCorporation(database.db, { bailiffOfficeId: 'gdw-test' });
  const services = await startServices(database.db);
  const ownsConnections = 'address' in options.temporal;
  const connection = 'address' in options.temporal ? await Connection.connect({ address: options.temporal.address }) : options.temporal.connection;
  const nativeConnection = 'address' in options.temporal ? await NativeConnection.connect({ address: options.temporal.address }) : options.temporal.nativeConnection;
  const client = new Client({ connection, dataConverter: testDataConverter });
  const taskQueue = `api-test-${process.pid}-${Date.now().toString(36)}`;

  const worker: Worker = await createWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle: productWorkflowBundle(),
    db: database.db,
    ...workerServiceOptions(services),
    payloadKeys: testPayloadKeys,
  });
  const running = worker.run();

  const app = createApiApp({
    db: database.db,
    connection,
    client,
    taskQueue,
    simulation: options.simulation ?? false,
    ...(options.codecCorsOrigins ? { codecCorsOrigins: options.codecCorsOrigins } : {}),
    serviceUrls: { letters: services.lettersUrl, bank: services.bankUrl, municipality: services.municipalityUrl },
    ...(options.paymentProvider ? { paymentProvider: options.paymentProvider } : {}),
  });
  const server = await listen(app, 0);

  await database.db.insertInto('bailiff_office').values([{ office_id: 'gdw-other', name: 'GDW Other' }]).execute();
  // Each key a person of its own; all but the platform admin and the bailiffs bound to test-corp (grant adds more).
  const keys = {} as ApiKeys;
  const makeKey = async (binding: KeyBinding) => {
    const key = newApiKey(binding.role);
    const { keyId } = await storeApiKey(database.db, key, binding);
    return { key, keyId };
  };
  const ofTestCorp = (role: Role, person: string): KeyBinding => ({ role, person, corporationIds: ['test-corp'], bailiffOfficeId: null });
  for (const role of ['billing', 'operator', 'approver'] as const) keys[role] = (await makeKey(ofTestCorp(role, `test ${role}`))).key;
  keys.secondApprover = (await makeKey(ofTestCorp('approver', 'test approver 2'))).key;
  keys.mailhouse = (await makeKey(ofTestCorp('mailhouse', 'test mail house'))).key;
  keys.admin = (await makeKey({ role: 'admin', person: 'test platform admin', corporationIds: [], bailiffOfficeId: null })).key;
  keys.bailiff = (await makeKey({ role: 'bailiff', person: 'test bailiff', corporationIds: [], bailiffOfficeId: 'gdw-test' })).key;
  keys.otherBailiff = (await makeKey({ role: 'bailiff', person: 'other bailiff', corporationIds: [], bailiffOfficeId: 'gdw-other' })).key;
  const corporationBound = [keys.billing, keys.operator, keys.approver, keys.secondApprover].map(hashApiKey);

  return {
    baseUrl: server.url,
    app,
    keys,
    database,
    services,
    client,
    taskQueue,
    makeKey,
    async grant(corporationId) {
      await database.db
        .updateTable('api_key')
        .set({ corporation_ids: sql<string[]>`array_append(array_remove(corporation_ids, ${corporationId}), ${corporationId})` })
        .where('key_hash', 'in', corporationBound)
        .execute();
    },
    async call(method, path, { key = keys.admin, body, contentType = 'application/json' } = {}) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body !== undefined ? { 'content-type': contentType } : {}),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      // A text answer (GET /metrics) comes back as the string it is.
      const json = (response.headers.get('content-type') ?? 'application/json').includes('json');
      return { status: response.status, body: text ? (json ? JSON.parse(text) : text) : null };
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
