import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import { join } from 'node:path';
import { createDatabase } from '../infra/db/connection.js';
import { migrateToLatest } from '../infra/db/migrate.js';
import { dataDir } from '../infra/paths.js';
import { resolveDatabase } from '../infra/postgres.js';
import { startDevServer } from '../infra/temporal/servers.js';
import { createApiApp } from '../services/api/api-app.js';
import { newApiKey, storeApiKey } from '../infra/db/api-key-store.js';
import { upsertCorporation } from '../infra/db/corporation-store.js';
import { listen } from '../services/http/serve.js';
import { createWorker, workflowBundleOptions } from '../worker/create-worker.js';
import { encryptedDataConverter } from '../shared/codec/data-converter.js';
import { newPayloadKeyEntry, parsePayloadKeys } from '../shared/codec/payload-keys.js';
import { amsterdamDate } from '../shared/calendar/amsterdam-clock.js';
import { addDays } from '../shared/calendar/iso-date.js';
import { startServices, workerServiceOptions } from '../test/support/services.js';
import { freePort } from '../test/support/ports.js';

export interface ThroughputResult {
  readonly tracks: number;
  readonly concurrency: number;
  readonly startsPerSecond: number;
  readonly startLatencyMs: { p50: number; p95: number; max: number };
  readonly paymentLatencyMs: { p50: number; p95: number; max: number };
  readonly remindersSent: number;
  readonly secondsUntilAllReminded: number;
  readonly processRssMb: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
};

/**
 * Opens `tracks` tracks through the real HTTP API against a local Temporal dev server (worker,
 * services and Postgres in this process), `concurrency` requests at a time, then sends one payment
 * to each. Loopback only, bounded in count.
 */
export async function benchTrackThroughput(tracks = 200, concurrency = 10): Promise<ThroughputResult> {
  const database = await resolveDatabase(process.env.DATABASE_URL, { dataDir: join(dataDir, 'bench'), port: await freePort(), database: 'huurincasso_bench', recreate: true });
  const temporal = await startDevServer({ port: await freePort(), uiPort: await freePort(), dbFile: join(dataDir, 'bench', `temporal-${Date.now()}.sqlite`), namespace: 'default', log: () => {} });
  const db = createDatabase(database.url, { max: 20 });
  await migrateToLatest(db);
  await upsertCorporation(db, 'bench-corp', { name: 'Bench', vatSurcharge: false });
  const services = await startServices(db);
  const connection = await Connection.connect({ address: temporal.address });
  // Encrypted as in production: the figures include the payload codec's cost.
  const payloadKeys = parsePayloadKeys(newPayloadKeyEntry('bench'));
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const worker = await createWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue: 'bench',
    workflowBundle: await bundleWorkflowCode({ ...workflowBundleOptions, logger: { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} } as never }),
    db,
    ...workerServiceOptions(services),
    payloadKeys,
  });
  const running = worker.run();
  const client = new Client({ connection, dataConverter: encryptedDataConverter(payloadKeys) });
  const server = await listen(createApiApp({ db, connection, client, taskQueue: 'bench', simulation: false, serviceUrls: { letters: services.lettersUrl, bank: services.bankUrl, municipality: services.municipalityUrl } }), 0);
  const key = newApiKey('billing');
  await storeApiKey(db, key, { role: 'billing', person: 'bench', corporationIds: ['bench-corp'], bailiffOfficeId: null });
  const today = amsterdamDate(Date.now());
  const post = async (path: string, body: unknown) => {
    const t0 = performance.now();
    const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await response.json()) as { caseId: string };
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
    return { ms: performance.now() - t0, json };
  };

  const startLatencies: number[] = [];
  const caseIds: string[] = [];
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tracks) {
        const n = next++;
        const { ms, json } = await post('/v1/cases', {
          corporationId: 'bench-corp',
          contractRef: `B-${n}`,
          debtor: { name: 'Bench Huurder', address: { street: 'Benchstraat 1', postalCode: '1234 AB', city: 'Benchstad' } },
          claims: [{ invoiceRef: 'R-1', description: 'Huur', amount: '812.50', dueDate: addDays(today, -20) }],
        });
        startLatencies.push(ms);
        caseIds.push(json.caseId);
      }
    }),
  );
  const startSeconds = (performance.now() - t0) / 1000;
  const paymentLatencies: number[] = [];
  let nextPayment = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (nextPayment < caseIds.length) {
        const caseId = caseIds[nextPayment++]!;
        paymentLatencies.push((await post(`/v1/cases/${caseId}/payments`, { transactionId: `tx-${caseId}`, amount: '100.00', bookedOn: today })).ms);
      }
    }),
  );
  let reminders = 0;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    reminders = Number((await db.selectFrom('letter').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'reminder').executeTakeFirstOrThrow()).n);
    if (reminders >= tracks) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const allRemindedSeconds = (performance.now() - t0) / 1000;
  const rss = process.memoryUsage().rss / 1024 / 1024;

  await server.close();
  worker.shutdown();
  await running;
  await connection.close();
  await nativeConnection.close();
  await services.close();
  await db.destroy();
  await temporal.stop();
  await database.stop();
  return {
    tracks,
    concurrency,
    startsPerSecond: Math.round((tracks / startSeconds) * 10) / 10,
    startLatencyMs: { p50: percentile(startLatencies, 50), p95: percentile(startLatencies, 95), max: percentile(startLatencies, 100) },
    paymentLatencyMs: { p50: percentile(paymentLatencies, 50), p95: percentile(paymentLatencies, 95), max: percentile(paymentLatencies, 100) },
    remindersSent: reminders,
    secondsUntilAllReminded: Math.round(allRemindedSeconds * 10) / 10,
    processRssMb: Math.round(rss),
  };
}
