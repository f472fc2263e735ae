import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import { locateTemporalBinary, sdkExecutable, temporalTestServer } from '../../infra/temporal/binaries.js';
import { registerSearchAttributes } from '../../infra/temporal/servers.js';
import { SimulationClock } from '../../services/api/simulation-clock.js';
import { TrackClient } from '../../services/track-client/track-client.js';
import { createWorker } from '../../worker/create-worker.js';
import { testDataConverter, testPayloadKeys } from './payload-keys.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { workerServiceOptions, type RunningServices } from './services.js';
import { productWorkflowBundle } from './workflow-bundle.js';

export interface TimeSkippingHarness {
  readonly env: TestWorkflowEnvironment;
  readonly tracks: TrackClient;
  readonly clock: SimulationClock;
  /**
   * A client that never unlocks time skipping. `env.client` lets the server skip freely while it
   * awaits a result, and the server then runs to its next timer (for a track that is years away).
   */
  readonly client: Client;
  readonly taskQueue: string;
  today(): Promise<string>;
  close(): Promise<void>;
}

async function createEnvironment(): Promise<TestWorkflowEnvironment> {
  const executable = sdkExecutable(locateTemporalBinary(temporalTestServer));
  // The SDK gives an ephemeral server 5 s to come up; a busy 2-core machine can miss that once.
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({ server: { executable }, client: { dataConverter: testDataConverter } });
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/**
 * A time-skipping server with the real worker (real activities, real services over HTTP, a real
 * database). The clock is the same one SIMULATION=1 uses: it advances day by day and waits until
 * every track has finished what was due.
 */
export async function startTimeSkipping(db: Kysely<Database>, services: RunningServices): Promise<TimeSkippingHarness> {
  const env = await createEnvironment();
  await registerSearchAttributes(env.address, 'default');
  const taskQueue = `test-${process.pid}`;
  const worker: Worker = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle: productWorkflowBundle(),
    db,
    ...workerServiceOptions(services),
    payloadKeys: testPayloadKeys,
  });
  const running = worker.run();
  const clock = new SimulationClock(env.connection, env.client, async () =>
    (await db.selectFrom('collection_case').select('workflow_id').execute()).map((r) => r.workflow_id),
  );
  const client = new Client({ connection: env.connection, dataConverter: testDataConverter });
  const today = async () => amsterdamDate(await env.currentTimeMs());
  return {
    env,
    tracks: new TrackClient(client, taskQueue, today),
    client,
    clock,
    taskQueue,
    today,
    async close() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}
