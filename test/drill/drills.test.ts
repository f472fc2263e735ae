import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { badInputDrill } from '../../drill/bad-input.js';
import { bankFileDrill } from '../../drill/bank-file.js';
import { startDrillCluster, type DrillCluster } from '../../drill/cluster.js';
import { databaseRestartDrill } from '../../drill/database-restart.js';
import { lettersDownDrill } from '../../drill/letters-down.js';
import { workerKilledDrill } from '../../drill/worker-killed.js';

/**
 * The short version of every `npm run drill` drill, on one cluster started once: the worker, API
 * and services as separate processes on a real dev server, with a Postgres of the cluster's own
 * (the database drill restarts it; never the server the other tests use). The drills run one
 * after the other, each on tracks of its own, so no fault meets another drill's work: bad input
 * first (it checks that the whole database and every workflow stay as they were), the database
 * restart last.
 */
let cluster: DrillCluster;

beforeAll(async () => {
  cluster = await startDrillCluster('short', { ownPostgres: true, workflowBundleFile: inject('workflowBundlePath') });
}, 300_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('drills (short versions)', () => {
  it('bad input: 600 generated requests over every route answer no 5xx, accept nothing and change neither the database nor a track', { timeout: 600_000 }, async () => {
    const counts = await badInputDrill({ requests: 600, cluster });
    expect(counts.details).toEqual([]);
    expect(counts).toMatchObject({ serverErrors: 0, accepted: 0, tablesChanged: 0, workflowsChanged: 0 });
    expect(counts.routes).toBeGreaterThan(40);
  });

  it('bank file imported three times at once, and an overlapping one: every credit booked once', { timeout: 600_000 }, async () => {
    const counts = await bankFileDrill({ tracks: 6, cluster });
    expect(counts.details).toEqual([]);
    expect(counts).toMatchObject({ tracks: 6, imports: 5, balancesWrong: 0, paymentsTwice: 0, serverErrors: 0, bookingsClaimedTwice: 0 });
  });

  it('letter service down while reminders are due: no track fails, every reminder goes out once when it returns', { timeout: 600_000 }, async () => {
    const counts = await lettersDownDrill({ tracks: 6, outageSeconds: 8, cluster });
    expect(counts.details).toEqual([]);
    expect(counts).toMatchObject({ tracks: 6, failedTracks: 0, lettersMissing: 0, lettersTwice: 0 });
  });

  it('worker SIGKILLed twice while tracks are opened and paid: no track lost, no letter or payment twice', { timeout: 600_000 }, async () => {
    const counts = await workerKilledDrill({ tracks: 8, kills: 2, concurrency: 4, cluster });
    expect(counts.details).toEqual([]);
    expect(counts).toMatchObject({ kills: 2, lost: 0, stuck: 0, stepsMissing: 0, lettersTwice: 0, paymentsTwice: 0, serverErrorsOtherThan503: 0 });
  });

  it('Postgres restarted under load: 503 database_unavailable meanwhile, never a 500; nothing lost, nothing twice', { timeout: 600_000 }, async () => {
    const counts = await databaseRestartDrill({ tracks: 8, downSeconds: 4, loadSeconds: 9, concurrency: 4, cluster });
    expect(counts.details).toEqual([]);
    expect(counts).toMatchObject({
      serverErrorsOtherThan503: 0,
      answersNotInErrorShape: 0,
      requestsUnanswered: 0,
      processesDied: 0,
      casesLost: 0,
      paymentsLost: 0,
      paymentsTwice: 0,
      tracksStuck: 0,
      lettersTwice: 0,
    });
    // The outage was met, and told as api.md says.
    expect(counts.unavailableAnswers).toBeGreaterThan(0);
  });
});
