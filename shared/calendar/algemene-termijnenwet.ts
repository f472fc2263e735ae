import { isAtwHoliday } from './dutch-holidays.js';
import { addDays, dayOfWeek, daysBetween, type IsoDate } from './iso-date.js';

/** Not a Saturday, Sunday or recognised holiday (Algemene termijnenwet art. 1 lid 1 and art. 3). */
export function isAtwWorkingDay(date: IsoDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6 && !isAtwHoliday(date);
}

/** The date itself when it is a working day, else the next working day (the move of art. 1). */
export function nextAtwWorkingDay(date: IsoDate): IsoDate {
  let day = date;
  while (!isAtwWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/** Working days from `from` through `through`, both inclusive. */
export function countAtwWorkingDays(from: IsoDate, through: IsoDate): number {
  let count = 0;
  for (let day = from; day <= through; day = addDays(day, 1)) if (isAtwWorkingDay(day)) count++;
  return count;
}

/** Art. 2 applies to terms "van ten minste drie dagen". */
const shortestTermWithTwoWorkingDays = 3;
/** Domain.md §4: the Atw is applied to statutory terms of up to 90 days; longer ones are refused. */
export const longestAtwTermDays = 90;

export interface StatutoryTerm {
  /** The term's first day. */
  readonly termStart: IsoDate;
  /** The term's plain last day, before the Algemene termijnenwet; both days are inside the term. */
  readonly lastDay: IsoDate;
}

/**
 * The last day of a statutory term after the Algemene termijnenwet:
 * - art. 1 lid 1: a term that ends on a Saturday, Sunday or holiday runs through the next day
 *   that is none of these;
 * - art. 2: a term of at least three days is extended, if needed, by as many days as it takes to
 *   hold at least two days that are none of these.
 *
 * Interaction (our reading, documented because the statute does not order the two): art. 2 counts
 * the working days in the term as extended, and its extension stops on the day that makes the
 * count two, which is itself a working day, so art. 1 then has nothing left to move. If art. 2
 * needs no extension, art. 1 moves a weekend or holiday end to the next working day. Applying
 * art. 1 first and art. 2 after gives the same day. Both together: the first working day on or
 * after `lastDay` at which the term (from `termStart`) holds two working days. Whether a term is
 * "at least three days" is judged on its plain length, `lastDay − termStart + 1`.
 */
export function extendTermByAtw({ termStart, lastDay }: StatutoryTerm): IsoDate {
  const plainDays = daysBetween(termStart, lastDay) + 1;
  if (plainDays < 1) throw new RangeError(`a term cannot end (${lastDay}) before it starts (${termStart})`);
  let end = nextAtwWorkingDay(lastDay);
  if (plainDays >= shortestTermWithTwoWorkingDays) {
    while (countAtwWorkingDays(termStart, end) < 2) end = nextAtwWorkingDay(addDays(end, 1));
  }
  return end;
}

/**
 * A statutory term of `days` days that starts on `termStart`: its plain last day is
 * `termStart + days − 1`, then extended by the Algemene termijnenwet (extendTermByAtw).
 */
export function statutoryTermEnd(termStart: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days) || days < 1 || days > longestAtwTermDays) {
    throw new RangeError(`a statutory term is a whole number of days from 1 to ${longestAtwTermDays} (got ${days})`);
  }
  return extendTermByAtw({ termStart, lastDay: addDays(termStart, days - 1) });
}
