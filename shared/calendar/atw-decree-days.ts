import type { IsoDate } from './iso-date.js';

export interface AtwDecreeDays {
  /** The first day for which every decree day is in `days`. Earlier dates are refused. */
  readonly coveredFrom: IsoDate;
  /** The last day for which every decree day is in `days`. Later dates are refused. */
  readonly coveredThrough: IsoDate;
  readonly days: readonly IsoDate[];
}

/**
 * Days equated to the "algemeen erkende feestdagen" by Royal Decree (Algemene termijnenwet
 * art. 3 lid 3), published in the Staatsblad for a few years at a time, usually bridge days after
 * Ascension Day or a holiday on a Thursday. They are data, not a formula (domain.md §4).
 *
 * Coverage starts 2024-01-01: the brief gave us the decrees from 2024 on, and a year whose decree
 * days we do not hold would give wrong deadlines silently, so the calendar refuses it
 * (CalendarNotCoveredError) instead of guessing. To extend: add the days of the next decree and
 * move `coveredThrough` to the last day of the last year that decree covers. Do this before the
 * end of 2028: a 14-day letter posted in mid-December 2028 already needs January 2029.
 */
export const atwDecreeDays: AtwDecreeDays = {
  coveredFrom: '2024-01-01',
  coveredThrough: '2028-12-31',
  days: ['2024-05-10', '2024-12-27', '2025-05-30', '2026-01-02', '2026-05-15', '2027-05-07', '2028-04-28', '2028-05-26'],
};
