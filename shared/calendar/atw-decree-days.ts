import type { IsoDate } from './iso-date.js';

/**
 * Days equated to holidays by Royal Decree (Algemene termijnenwet art. 3 lid 3), published for
 * three years at a time. Data, not a formula: extend this list (and `coveredThrough`) when a new
 * decree appears in the Staatscourant. Before `coveredFrom` we do not hold the decrees, so the
 * calendar refuses those years rather than guess.
 */
export const atwDecreeDays = {
  coveredFrom: '2024-01-01',
  coveredThrough: '2028-12-31',
  days: ['2024-05-10', '2024-12-27', '2025-05-30', '2026-01-02', '2026-05-15', '2027-05-07', '2028-04-28', '2028-05-26'],
} as const satisfies { coveredFrom: IsoDate; coveredThrough: IsoDate; days: readonly IsoDate[] };
