import { describe, expect, inject, it } from 'vitest';
import { lettersDownDrill } from '../../drill/letters-down.js';

/** The short version of `npm run drill letters-down`: the letter service away for 15 s while reminders are due. */
describe('drill: letter service down', () => {
  it('fails no track and sends every reminder once when it returns', { timeout: 600_000 }, async () => {
    const counts = await lettersDownDrill({ tracks: 6, outageSeconds: 15, adminUrl: inject('databaseAdminUrl') });
    expect(counts.details).toEqual([]);
    expect(counts).toMatchObject({ tracks: 6, failedTracks: 0, lettersMissing: 0, lettersTwice: 0 });
  });
});
