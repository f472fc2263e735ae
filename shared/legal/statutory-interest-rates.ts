import type { IsoDate } from '../calendar/iso-date.js';

/** One rate, in force from `from` until the next entry's `from`; `rate` is a fraction ("0.04" = 4%). */
export interface StatutoryRate {
  readonly from: IsoDate;
  readonly rate: string;
}

export interface StatutoryRateTable {
  /** Sorted by `from`, strictly ascending. */
  readonly rates: readonly StatutoryRate[];
  /** The last day the table is known to be valid for; interest for later days is refused. */
  readonly knownThrough: IsoDate;
}

/**
 * Statutory interest for consumer debts (art. 6:119 BW), set per half-year by Order in Council.
 * Data, not code: a new rate is one more line and a later `knownThrough` (domain.md §5). The
 * 2025-07-01 and 2026-01-01 rates are marked unsettled in domain.md and used as given there;
 * `knownThrough` is 2026-12-31 as the brief set it.
 */
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
