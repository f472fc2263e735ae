import { addDays, type IsoDate } from '../calendar/iso-date.js';

/**
 * The reference process plans an eviction at least 14 days after it is announced (domain.md §1
 * B.2); the law's own minimum (art. 555 Rv: a command to leave within 3 days) is shorter, so the
 * 14 days decide.
 */
export const evictionNoticeDays = 14;

export function earliestEvictionDate(announcedOn: IsoDate): IsoDate {
  return addDays(announcedOn, evictionNoticeDays);
}
