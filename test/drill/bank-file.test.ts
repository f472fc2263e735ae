import { describe, expect, inject, it } from 'vitest';
import { bankFileDrill } from '../../drill/bank-file.js';

/** The short version of `npm run drill bank-file`: one file three times at once, and one that overlaps it. */
describe('drill: bank file imported three times, and an overlapping one', () => {
  it('books every credit once', { timeout: 600_000 }, async () => {
    const counts = await bankFileDrill({ tracks: 6, adminUrl: inject('databaseAdminUrl') });
    expect(counts.details).toEqual([]);
    expect(counts).toMatchObject({ tracks: 6, imports: 5, balancesWrong: 0, paymentsTwice: 0, serverErrors: 0, bookingsClaimedTwice: 0 });
  });
});
