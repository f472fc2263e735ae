import fc from 'fast-check';
import { addDays, daysBetween, type IsoDate } from '../../../shared/calendar/iso-date.js';

/** A date between `from` and `through`, so property tests stay inside the covered calendar. */
export function dateBetween(from: IsoDate, through: IsoDate): fc.Arbitrary<IsoDate> {
  return fc.integer({ min: 0, max: daysBetween(from, through) }).map((offset) => addDays(from, offset));
}
