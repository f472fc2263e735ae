import { type Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { createDatabase } from '../../infra/db/connection.js';
import type { Database } from '../../infra/db/database.js';
import { migrateToLatest } from '../../infra/db/migrate.js';
import { newApiKey, storeApiKey } from '../../infra/db/api-key-store.js';
import { upsertCorporation } from '../../infra/db/corporation-store.js';
import { startServices, type RunningServices } from '../../local/local-services.js';
import { benchDatabase } from './bench-database.js';
import { realTimeEngine } from './temporal-servers.js';
import { benchWorkflowBundle } from './workflow-bundle.js';
import { startWorkerAndApi } from './worker-and-api.js';
import type { ApiDependencies } from '../../services/api/api-app.js';
import type { WorkerTuning } from '../../worker/create-worker.js';

export const benchCorporation = 'bench-corp';

/** A running product for one bench section: a namespace, a database, worker, services and the API. */
export interface BenchStack {
  readonly db: Kysely<Database>;
  readonly client: Client;
  readonly taskQueue: string;
  readonly apiUrl: string;
  readonly services: RunningServices;
  readonly worker: Worker;
  /** A key of `role` for the bench corporation (created on first use). */
  key(role: 'billing' | 'operator' | 'admin' | 'approver' | 'mailhouse'): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts what a section needs in this process: a namespace on the run's dev server and a database
 * on the run's Postgres (or on `TEMPORAL_ADDRESS` / `DATABASE_URL` when set), a worker of the
 * run's workflow bundle, services and the API of its own. Payloads are encrypted as in
 * production, so every figure includes the codec.
 * `tuning` sets the worker's settings (cached workflows, slots) for the section that
 * measures them; `api` adds what a section needs of the API (the payment provider, a rate limit).
 */
export async function startBenchStack(name: string, tuning: WorkerTuning = {}, api: Pick<ApiDependencies, 'paymentProvider' | 'rateLimitPerMinute'> = {}): Promise<BenchStack> {
  const t0 = performance.now();
  const database = await benchDatabase(name);
  const { address, namespace } = await realTimeEngine(name);
  const db = createDatabase(database.url, { max: 20 });
  await migrateToLatest(db);
  await upsertCorporation(db, benchCorporation, { name: 'Bench', vatSurcharge: false });
  const services = await startServices(db);
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const taskQueue = `bench-${name}-${Date.now()}`;
  const workflowBundle = await benchWorkflowBundle();
  const product = await startWorkerAndApi({ db, connection, nativeConnection, namespace, services, taskQueue, workflowBundle, simulation: false, tuning, api });
  const { worker, client } = product;
  process.stderr.write(`\n  [${name}] stack up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const keys = new Map<string, string>();
  return {
    db,
    client,
    taskQueue,
    apiUrl: product.apiUrl,
    services,
    worker,
    async key(role) {
      let key = keys.get(role);
      if (!key) {
        key = newApiKey(role);
        await storeApiKey(db, key, { role, person: `bench-${role}`, corporationIds: [benchCorporation], bailiffOfficeId: null });
        keys.set(role, key);
      }
      return key;
    },
    async stop() {
      await product.stop();
      await connection.close();
      await nativeConnection.close();
      await services.close();
      await db.destroy();
      await database.stop();
    },
  };
}

/** p-th percentile of `values` (ms), rounded to 0.1. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
}
