import type { IsoDate } from '../calendar/iso-date.js';

/**
 * Statutory interest for consumer debts (art. 6:119 BW), as published per half-year. Data, not
 * code: a new rate is one more line and a later `knownThrough`. The 2025-07-01 and 2026-01-01
 * rates are marked unsettled in domain.md; they are used as given there.
 */
export interface StatutoryRateTable {
  readonly rates: ReadonlyArray<{ readonly from: IsoDate; readonly rate: string }>;
  /** The last day the table is known to be valid for; later dates are refused. */
  readonly knownThrough: IsoDate;
}

export const statutoryInterestRates: StatutoryRateTable = {
  rates: [
    { from: '2012-07-01', rate: '0.03' },
    { from: '2015-01-01', rate: '0.02' },
    { from: '2023-01-01', rate: '0.04' },
    { from: '2023-07-01', rate: '0.06' },
    { from: '2024-01-01', rate: '0.07' },
    { from: '2025-01-01', rate: '0.06' },
    { from: '2025-07-01', rate: '0.06' },
    { from: '2026-01-01', rate: '0.04' },
  ],
  knownThrough: '2026-12-31',
};
