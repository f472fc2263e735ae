import { Client, type Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import { startServices, workerServiceOptions, type RunningServices } from '../../local/local-services.js';
import { createApiApp, type ApiDependencies } from '../../services/api/api-app.js';
import { listen } from '../../services/http/serve.js';
import { encryptedDataConverter } from '../../shared/codec/data-converter.js';
import { newPayloadKeyEntry, parsePayloadKeys } from '../../shared/codec/payload-keys.js';
import { createWorker, type WorkerTuning } from '../../worker/create-worker.js';
import { timeSkippingEnvironment } from './temporal-servers.js';

export interface WorkerAndApi {
  readonly worker: Worker;
  readonly client: Client;
  readonly apiUrl: string;
  /** Stops the API and the worker (the connections, services and database are the caller's). */
  stop(): Promise<void>;
}

/**
 * The product's worker and API over one database, one Temporal (dev server or time-skipping) and
 * the running services, as every bench stack needs them: payloads encrypted as in production, so
 * every figure includes the codec.
 */
export async function startWorkerAndApi(setup: {
  readonly db: Kysely<Database>;
  readonly connection: Connection;
  readonly nativeConnection: NativeConnection;
  /** The stack's own on the run's dev server; absent: 'default' (a time-skipping server of the stack's own). */
  readonly namespace?: string;
  readonly services: RunningServices;
  readonly taskQueue: string;
  readonly workflowBundle: WorkerOptions['workflowBundle'];
  readonly simulation: boolean;
  readonly tuning?: WorkerTuning;
  readonly api?: Pick<ApiDependencies, 'paymentProvider' | 'rateLimitPerMinute'>;
}): Promise<WorkerAndApi> {
  const { db, services, taskQueue } = setup;
  const namespace = setup.namespace ?? 'default';
  const payloadKeys = parsePayloadKeys(newPayloadKeyEntry('bench'));
  const worker = await createWorker({
    connection: setup.nativeConnection,
    namespace,
    taskQueue,
    workflowBundle: setup.workflowBundle,
    db,
    ...workerServiceOptions(services),
    payloadKeys,
    ...(setup.tuning ? { tuning: setup.tuning } : {}),
  });
  const running = worker.run();
  const client = new Client({ connection: setup.connection, namespace, dataConverter: encryptedDataConverter(payloadKeys) });
  const server = await listen(
    createApiApp({
      db,
      connection: setup.connection,
      client,
      taskQueue,
      simulation: setup.simulation,
      serviceUrls: { letters: services.lettersUrl, bank: services.bankUrl, municipality: services.municipalityUrl },
      ...setup.api,
    }),
    0,
  );
  return {
    worker,
    client,
    apiUrl: server.url,
    async stop() {
      await server.close();
      worker.shutdown();
      await running;
    },
  };
}

/** A simulated product and what it runs on; its `stop` also closes the services and the server. */
export interface SimulatedProduct extends WorkerAndApi {
  readonly env: TestWorkflowEnvironment;
  readonly services: RunningServices;
}

/**
 * SIMULATION=1 as the product runs it, over `db`: a time-skipping server of its own, the services,
 * the worker and the API in simulation mode. Time moves only when the caller moves it.
 */
export async function startSimulatedProduct(setup: {
  readonly db: Kysely<Database>;
  readonly taskQueue: string;
  readonly workflowBundle: WorkerOptions['workflowBundle'];
  readonly rateLimitPerMinute: number;
}): Promise<SimulatedProduct> {
  const env = await timeSkippingEnvironment();
  const services = await startServices(setup.db);
  const product = await startWorkerAndApi({
    db: setup.db,
    connection: env.connection,
    nativeConnection: env.nativeConnection,
    services,
    taskQueue: setup.taskQueue,
    workflowBundle: setup.workflowBundle,
    simulation: true,
    api: { rateLimitPerMinute: setup.rateLimitPerMinute },
  });
  return {
    ...product,
    env,
    services,
    async stop() {
      await product.stop();
      await services.close();
      await env.teardown();
    },
  };
}
