import { addDays, type IsoDate } from '../calendar/iso-date.js';

/**
 * The first day of default of a claim: the day after its due date (art. 6:83 sub a BW, a fixed
 * term). Statutory interest runs from it and the policy counts its days from it.
 */
export function firstDayOfDefault(dueDate: IsoDate): IsoDate {
  return addDays(dueDate, 1);
}
