import { describe, expect, inject, it } from 'vitest';
import { badInputDrill } from '../../drill/bad-input.js';

/** The short version of `npm run drill bad-input`: 600 generated bad requests over every route of the OpenAPI document. */
describe('drill: bad input', () => {
  it('answers no 5xx, accepts nothing invalid and changes neither the database nor a track', { timeout: 600_000 }, async () => {
    const counts = await badInputDrill({ requests: 600, adminUrl: inject('databaseAdminUrl') });
    expect(counts.details).toEqual([]);
    expect(counts).toMatchObject({ serverErrors: 0, accepted: 0, tablesChanged: 0, workflowsChanged: 0 });
    expect(counts.routes).toBeGreaterThan(40);
  });
});
