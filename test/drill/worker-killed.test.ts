import { describe, expect, inject, it } from 'vitest';
import { workerKilledDrill } from '../../drill/worker-killed.js';

/**
 * The short version of `npm run drill worker-killed`: the worker, API and services as separate
 * processes on a real dev server, the worker SIGKILLed twice while tracks are opened and paid.
 */
describe('drill: worker killed', () => {
  it('loses no track, sends no letter twice and books no payment twice', { timeout: 600_000 }, async () => {
    const counts = await workerKilledDrill({ tracks: 8, kills: 2, concurrency: 4, adminUrl: inject('databaseAdminUrl') });
    expect(counts.details).toEqual([]);
    expect(counts).toMatchObject({ kills: 2, lost: 0, stuck: 0, stepsMissing: 0, lettersTwice: 0, paymentsTwice: 0, serverErrorsOtherThan503: 0 });
  });
});
