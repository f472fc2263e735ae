import { isAtwHoliday } from './dutch-holidays.js';
import { addDays, dayOfWeek, daysBetween, type IsoDate } from './iso-date.js';

/** Not a Saturday, Sunday or recognised holiday (Algemene termijnenwet art. 1 and 3). */
export function isAtwWorkingDay(date: IsoDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6 && !isAtwHoliday(date);
}

/**
 * The end of a statutory term running from `termStart` to `lastDay` (both inclusive), extended
 * by the Algemene termijnenwet:
 * - art. 1: a term ending on a Saturday, Sunday or holiday ends on the next working day;
 * - art. 2: a term of three days or more holds at least two working days, extended as needed.
 * Both rules together give the first working day at or after `lastDay` at which the term holds
 * two working days (for terms of 3+ days); the order in which they are applied does not matter.
 */
export function extendTermByAtw(termStart: IsoDate, lastDay: IsoDate): IsoDate {
  const termDays = daysBetween(termStart, lastDay) + 1;
  if (termDays < 1) throw new Error(`a term cannot end (${lastDay}) before it starts (${termStart})`);
  let end = lastDay;
  while (!isAtwWorkingDay(end)) end = addDays(end, 1);
  if (termDays >= 3) {
    while (countWorkingDays(termStart, end) < 2) {
      end = addDays(end, 1);
      while (!isAtwWorkingDay(end)) end = addDays(end, 1);
    }
  }
  return end;
}

export function countWorkingDays(from: IsoDate, through: IsoDate): number {
  let count = 0;
  for (let day = from; day <= through; day = addDays(day, 1)) if (isAtwWorkingDay(day)) count++;
  return count;
}

/**
 * A statutory term of `days` days that starts on `termStart`: the plain last day is
 * `termStart + days − 1`, then extended by the Algemene termijnenwet. Used for the WIK letter's
 * 14 days, the bailiff's 8- and 5-day summons terms and the 14-day eviction notice.
 */
export function statutoryTermEnd(termStart: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days) || days < 1) throw new Error(`a term is a whole number of days, at least 1 (got ${days})`);
  return extendTermByAtw(termStart, addDays(termStart, days - 1));
}
