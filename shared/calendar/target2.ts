import { addDays, dayOfWeek, type IsoDate } from './iso-date.js';
import { easterSunday } from './dutch-holidays.js';

/**
 * The TARGET2 calendar, on which SEPA direct debits settle: every weekday except New Year's Day,
 * Good Friday, Easter Monday, 1 May and 25 and 26 December (ECB, TARGET2 closing days). It is not
 * the Dutch statutory calendar of the Algemene termijnenwet: King's Day and Ascension Day are
 * business days here, and a collection date must be one (interfaces.md §1.3, §6.1).
 */
export function isTarget2BusinessDay(date: IsoDate): boolean {
  const weekday = dayOfWeek(date);
  if (weekday === 0 || weekday === 6) return false;
  return !target2ClosingDays(Number(date.slice(0, 4))).includes(date);
}

export function target2ClosingDays(year: number): IsoDate[] {
  const easter = easterSunday(year);
  const y = String(year).padStart(4, '0');
  return [`${y}-01-01`, addDays(easter, -2), addDays(easter, 1), `${y}-05-01`, `${y}-12-25`, `${y}-12-26`];
}

/** The date itself when it is a business day, else the first business day after it. */
export function target2BusinessDayOnOrAfter(date: IsoDate): IsoDate {
  let day = date;
  while (!isTarget2BusinessDay(day)) day = addDays(day, 1);
  return day;
}

/** The date itself when it is a business day, else the last business day before it. */
export function target2BusinessDayOnOrBefore(date: IsoDate): IsoDate {
  let day = date;
  while (!isTarget2BusinessDay(day)) day = addDays(day, -1);
  return day;
}

/** `count` business days before the date (D-1 is `target2BusinessDaysBefore(d, 1)`). */
export function target2BusinessDaysBefore(date: IsoDate, count: number): IsoDate {
  let day = date;
  for (let left = count; left > 0; ) {
    day = addDays(day, -1);
    if (isTarget2BusinessDay(day)) left--;
  }
  return day;
}
