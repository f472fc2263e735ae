import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiApp } from '../../services/api/api-app.js';
import { newApiKey, storeApiKey } from '../../infra/db/api-key-store.js';
import { listen, type ListeningServer } from '../../services/http/serve.js';
import { createWorker } from '../../worker/create-worker.js';
import { testDataConverter, testPayloadKeys } from '../support/payload-keys.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { eventually } from '../support/eventually.js';
import { freePort } from '../support/ports.js';
import { startServices, workerServiceOptions, type RunningServices } from '../support/services.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { caseRequest, ensureTestCorporation, rentClaim } from '../support/tracks.js';
import { productWorkflowBundle } from '../support/workflow-bundle.js';

/**
 * The API with the engine away: a real Temporal dev server, but no worker on the task queue (one
 * is started halfway), and an API whose Temporal address is a closed port. Every answer must come
 * within the configured bound, as a 503 the caller can retry or as what Postgres knows.
 */

const engineTimeoutMs = 2_000;
const healthTimeoutMs = 1_000;
/** The bound plus what the database and HTTP take around it on a busy test machine. */
const answerWithinMs = engineTimeoutMs + 2_000;
const today = amsterdamDate(Date.now());

let database: TestDatabase;
let services: RunningServices;
let connection: Connection;
let nativeConnection: NativeConnection;
let api: ListeningServer;
let unreachableConnection: Connection;
let unreachableApi: ListeningServer;
let worker: Worker | undefined;
let workerRun: Promise<void> | undefined;
const keys = { billing: newApiKey('billing'), operator: newApiKey('operator') };
const taskQueue = `engine-away-${process.pid}-${Date.now().toString(36)}`;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'));
  await ensureTestCorporation(database.db);
  await storeApiKey(database.db, keys.billing, { role: 'billing', person: 'test billing', corporationIds: ['test-corp'], bailiffOfficeId: null });
  await storeApiKey(database.db, keys.operator, { role: 'operator', person: 'test operator', corporationIds: ['test-corp'], bailiffOfficeId: null });
  services = await startServices(database.db);
  const serviceUrls = { letters: services.lettersUrl, bank: services.bankUrl, municipality: services.municipalityUrl };

  connection = await Connection.connect({ address: inject('temporalDevAddress') });
  nativeConnection = await NativeConnection.connect({ address: inject('temporalDevAddress') });
  api = await listen(
    createApiApp({ db: database.db, connection, client: new Client({ connection, dataConverter: testDataConverter }), taskQueue, simulation: false, engineTimeoutMs, healthTimeoutMs, serviceUrls }),
    0,
  );

  // Nothing listens on this port: the connection is made lazily, as it would be after a server went away.
  unreachableConnection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
  unreachableApi = await listen(
    createApiApp({ db: database.db, connection: unreachableConnection, client: new Client({ connection: unreachableConnection, dataConverter: testDataConverter }), taskQueue, simulation: false, engineTimeoutMs, healthTimeoutMs, serviceUrls }),
    0,
  );
});

afterAll(async () => {
  await api?.close();
  await unreachableApi?.close();
  if (worker) {
    worker.shutdown();
    await workerRun;
  }
  await connection?.close();
  // Not closed: the SDK's gRPC retry of a call the API gave up on (it answered 503 within its
  // bound) may still have a timer pending, and a retry on a closed channel throws from that timer,
  // outside any test. The connection holds nothing open once its calls have failed.
  await nativeConnection?.close();
  await services?.close();
  await database?.drop();
});

async function call(server: ListeningServer, method: string, path: string, options: { key?: string; body?: unknown } = {}) {
  const started = Date.now();
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    // A hang must show as a failed assertion, not as the test's own timeout.
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, retryAfter: response.headers.get('retry-after'), tookMs: Date.now() - started };
}

const request = caseRequest({ claims: [rentClaim('R-AWAY-1', '640.00', addDays(today, -30))] });
const payment = { transactionId: `TX-away-${process.pid}-${Date.now().toString(36)}`, amount: '100.00', bookedOn: today };
let caseId: string;

describe('the API while the worker is away (Temporal dev server, no worker on the task queue)', () => {
  it('reports the missing worker on /healthz with 503, within the health bound', async () => {
    const health = await call(api, 'GET', '/healthz');
    expect(health.status).toBe(503);
    expect(health.body).toEqual({
      status: 'degraded',
      temporal: 'ok',
      database: 'ok',
      worker: 'unavailable',
      services: { letters: 'ok', bank: 'ok', municipality: 'ok' },
    });
    expect(health.tookMs).toBeLessThan(healthTimeoutMs + 2_000);
  });

  it('answers POST /v1/cases with 503 engine_unavailable within the bound, and says a retry is safe', async () => {
    const opened = await call(api, 'POST', '/v1/cases', { key: keys.billing, body: request });
    expect(opened.status).toBe(503);
    expect(opened.body.error.code).toBe('engine_unavailable');
    expect(opened.body.error.message).toMatch(/safe to retry/i);
    expect(Number(opened.retryAfter)).toBeGreaterThan(0);
    expect(opened.tookMs).toBeLessThan(answerWithinMs);
  });

  it('answers GET /v1/cases/:caseId from Postgres, marked stale, within the bound', async () => {
    // The case was stored before the engine was asked; billing's retry finds it again.
    const row = await database.db.selectFrom('collection_case').select('case_id').where('contract_ref', '=', request.contractRef).executeTakeFirstOrThrow();
    caseId = row.case_id;
    const read = await call(api, 'GET', `/v1/cases/${caseId}`, { key: keys.operator });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      caseId,
      corporationId: 'test-corp',
      contractRef: request.contractRef,
      workflowId: expect.any(String),
      engine: 'unavailable',
      stale: true,
      claims: [{ invoiceRef: 'R-AWAY-1', description: request.claims[0]!.description, amount: '640.00', dueDate: request.claims[0]!.dueDate }],
    });
    expect(read.tookMs).toBeLessThan(answerWithinMs);
  });

  it('answers a payment with 503 engine_unavailable within the bound', async () => {
    const paid = await call(api, 'POST', `/v1/cases/${caseId}/payments`, { key: keys.billing, body: payment });
    expect(paid.status).toBe(503);
    expect(paid.body.error.code).toBe('engine_unavailable');
    expect(paid.retryAfter).not.toBeNull();
    expect(paid.tookMs).toBeLessThan(answerWithinMs);
  });

  it('is healthy once a worker polls, and the case proceeds with the earlier write applied at most once', async () => {
    worker = await createWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      workflowBundle: productWorkflowBundle(),
      db: database.db,
      ...workerServiceOptions(services),
      payloadKeys: testPayloadKeys,
    });
    workerRun = worker.run();

    const health = await eventually(() => call(api, 'GET', '/healthz'), (h) => h.status === 200, 30_000);
    expect(health.body).toEqual({ status: 'ok', temporal: 'ok', database: 'ok', worker: 'ok', services: { letters: 'ok', bank: 'ok', municipality: 'ok' } });

    // Billing retries what failed; the same natural keys make the retries harmless.
    const reopened = await call(api, 'POST', '/v1/cases', { key: keys.billing, body: request });
    expect([200, 201]).toContain(reopened.status);
    expect(reopened.body.caseId).toBe(caseId);
    const paid = await call(api, 'POST', `/v1/cases/${caseId}/payments`, { key: keys.billing, body: payment });
    expect(paid.status).toBe(202);

    const status = await eventually(
      () => call(api, 'GET', `/v1/cases/${caseId}`, { key: keys.operator }),
      (s) => s.status === 200 && s.body.stage !== undefined && s.body.payments?.length === 1,
    );
    expect(status.body.engine).toBeUndefined();
    expect(status.body.claims.map((c: { invoiceRef: string }) => c.invoiceRef)).toEqual(['R-AWAY-1']);
    expect(status.body.balance.principal).toBe('640.00');
    expect(status.body.payments).toEqual([expect.objectContaining({ transactionId: payment.transactionId, amount: '100.00' })]);
  });
});

describe('the API while the Temporal server is unreachable (a closed port)', () => {
  it('reports 503 on /healthz within the health bound', async () => {
    const health = await call(unreachableApi, 'GET', '/healthz');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', temporal: 'unavailable', database: 'ok', worker: 'unavailable', services: { letters: 'ok', bank: 'ok', municipality: 'ok' } });
    expect(health.tookMs).toBeLessThan(healthTimeoutMs + 2_000);
  });

  it('answers a write with 503 engine_unavailable and a read from Postgres, within the bound', async () => {
    const opened = await call(unreachableApi, 'POST', '/v1/cases', { key: keys.billing, body: caseRequest({ claims: [rentClaim('R-AWAY-2', '10.00', today)] }) });
    expect(opened.status).toBe(503);
    expect(opened.body.error.code).toBe('engine_unavailable');
    expect(opened.tookMs).toBeLessThan(answerWithinMs);
    const paid = await call(unreachableApi, 'POST', `/v1/cases/${caseId}/payments`, { key: keys.billing, body: { ...payment, transactionId: `${payment.transactionId}-2` } });
    expect(paid.status).toBe(503);
    expect(paid.body.error.code).toBe('engine_unavailable');
    expect(paid.tookMs).toBeLessThan(answerWithinMs);
    const read = await call(unreachableApi, 'GET', `/v1/cases/${caseId}`, { key: keys.operator });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ caseId, engine: 'unavailable', stale: true });
    expect(read.tookMs).toBeLessThan(answerWithinMs);
  });

  it('answers a hold whose signal cannot go out with 503 within the bound, and a repeat sends it later', async () => {
    const hold = await call(unreachableApi, 'POST', '/v1/holds', { key: keys.operator, body: { corporationId: 'test-corp', holdId: 'hold-engine-away', reason: 'engine away' } });
    expect(hold.status).toBe(503);
    expect(hold.body.error.code).toBe('signal_not_sent');
    expect(hold.tookMs).toBeLessThan(answerWithinMs);
    // The hold was stored: the same call, once the engine answers, sends its signal and answers the hold.
    const repeat = await call(api, 'POST', '/v1/holds', { key: keys.operator, body: { corporationId: 'test-corp', holdId: 'hold-engine-away', reason: 'engine away' } });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ holdId: 'hold-engine-away' });
  });
});

describe('a service that does not answer', () => {
  it('makes /healthz answer 503 naming it', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const app = await listen(
      createApiApp({
        db: database.db,
        connection,
        client: new Client({ connection, dataConverter: testDataConverter }),
        taskQueue,
        simulation: false,
        healthTimeoutMs,
        serviceUrls: { letters: services.lettersUrl, bank: closed, municipality: services.municipalityUrl },
      }),
      0,
    );
    try {
      const health = await call(app, 'GET', '/healthz');
      expect(health.status).toBe(503);
      expect(health.body).toEqual({ status: 'degraded', temporal: 'ok', database: 'ok', worker: 'ok', services: { letters: 'ok', bank: 'unavailable', municipality: 'ok' } });
      expect(health.tookMs).toBeLessThan(healthTimeoutMs + 2_000);
    } finally {
      await app.close();
    }
  });
});
