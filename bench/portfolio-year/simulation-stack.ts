import { msToTs, tsToMs } from '@temporalio/common/lib/time.js';
import type { WorkflowBundle } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { newApiKey, storeApiKey, type Role } from '../../infra/db/api-key-store.js';
import { createDatabase } from '../../infra/db/connection.js';
import type { Database } from '../../infra/db/database.js';
import { migrateToLatest } from '../../infra/db/migrate.js';
import type { RunningServices } from '../../local/local-services.js';
import { benchDatabase } from '../harness/bench-database.js';
import { SimulationClock } from '../../services/api/simulation-clock.js';
import { directDebitWorkflowIds } from '../../services/api/direct-debit/workflow-ids.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays, daysBetween } from '../../shared/calendar/iso-date.js';
import { startSimulatedProduct } from '../harness/worker-and-api.js';

/** Where the wall time of a simulated year goes: the figures that say what holds it back. */
export interface ClockTimings {
  /** In `unlockTimeSkippingWithSleep`: the server skipping while the worker acts on the timers it fires. */
  skippingMs: number;
  /** Waiting for every open workflow to finish what is due (describe of each, three quiet rounds). */
  settlingMs: number;
  /** The outside world's calls at the stops (payments, cases, bank files, approvals, bailiff events). */
  actingMs: number;
  stops: number;
  /** Workflows described per settle, summed. */
  described: number;
}

/**
 * SIMULATION=1 as the product runs it, for one portfolio run: a time-skipping test server, a
 * fresh database, the real worker, the letter/bank/municipality services and the API in
 * simulation mode over HTTP, payloads encrypted as in production.
 */
export interface SimulationStack {
  readonly db: Kysely<Database>;
  readonly apiUrl: string;
  readonly services: RunningServices;
  readonly timings: ClockTimings;
  key(role: Role, corporationIds: readonly string[], bailiffOfficeId?: string | null): Promise<string>;
  today(): Promise<string>;
  /** Moves the clock to `date` in one skip (as the direct-debit e2e test does), then waits until every open workflow is quiet. */
  advanceTo(date: string): Promise<void>;
  /** The worker's in-flight work, for a quick look before the full settle. */
  workerBusy(): boolean;
  stop(): Promise<void>;
}

export async function startSimulationStack(name: string, workflowBundle: WorkflowBundle): Promise<SimulationStack> {
  const database = await benchDatabase(name);
  const db = createDatabase(database.url, { max: 20 });
  await migrateToLatest(db);
  // One billing system and one office send the whole portfolio's traffic.
  const product = await startSimulatedProduct({ db, taskQueue: `bench-${name}-${Date.now()}`, workflowBundle, rateLimitPerMinute: 10_000_000 });
  const { worker, client, env, services } = product;

  // The API's clock walks every case ever opened. A track closed a week ago has nothing left to
  // do, so the bench's walk leaves those out: the walk grows with the open tracks, not the year's.
  let currentDate = '';
  const clock = new SimulationClock(env.connection, client, async () => {
    const open = await db
      .selectFrom('collection_case')
      .select('workflow_id')
      .where((eb) => eb.or([eb('closed_on', 'is', null), eb('closed_on', '>=', addDays(currentDate, -7))]))
      .execute();
    const ids = [...open.map((r) => r.workflow_id), ...(await directDebitWorkflowIds(db))];
    timings.described += ids.length;
    return ids;
  });
  const timings: ClockTimings = { skippingMs: 0, settlingMs: 0, actingMs: 0, stops: 0, described: 0 };
  const testService = env.connection.testService!;
  const workerBusy = () => {
    const status = worker.getStatus();
    return status.numInFlightWorkflowActivations > 0 || status.numInFlightActivities > 0;
  };
  const today = async () => amsterdamDate(tsToMs((await testService.getCurrentTime({})).time!));

  return {
    db,
    apiUrl: product.apiUrl,
    services,
    timings,
    async key(role, corporationIds, bailiffOfficeId = null) {
      const key = newApiKey(role);
      await storeApiKey(db, key, { role, person: `bench-${role}`, corporationIds: [...corporationIds], bailiffOfficeId });
      return key;
    },
    today,
    async advanceTo(date) {
      const now = tsToMs((await testService.getCurrentTime({})).time!);
      const days = daysBetween(amsterdamDate(now), date);
      if (days <= 0) return;
      // Lands at 09:00 Amsterdam time on `date`, whatever the hour the server started at.
      const target = Date.parse(`${date}T08:00:00Z`);
      const t0 = performance.now();
      await testService.unlockTimeSkippingWithSleep({ duration: msToTs(Math.max(1, target - now)) });
      const t1 = performance.now();
      currentDate = date;
      // The worker's own count is free to read: the walk over the server starts once it is idle.
      for (let i = 0; i < 6000 && workerBusy(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await clock.settle(300_000);
      timings.skippingMs += t1 - t0;
      timings.settlingMs += performance.now() - t1;
      timings.stops++;
    },
    workerBusy,
    async stop() {
      await product.stop();
      await db.destroy();
      await database.stop();
    },
  };
}
