import { z } from 'zod';

/**
 * A calendar date as `YYYY-MM-DD` (proleptic Gregorian, years 0000–9999). Legal terms count
 * calendar days in the Netherlands, not instants, so a date is a plain string and arithmetic runs
 * on epoch-day numbers with integer formulas: no Date object, no host time zone, the same answer
 * on every worker and on every workflow replay.
 */
export type IsoDate = string;

export class InvalidIsoDateError extends RangeError {
  override readonly name = 'InvalidIsoDateError';
}

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

interface CalendarParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function partsOf(value: unknown): CalendarParts | null {
  if (typeof value !== 'string') return null;
  const match = isoDatePattern.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function requireParts(date: IsoDate): CalendarParts {
  const parts = partsOf(date);
  if (!parts) throw new InvalidIsoDateError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return parts;
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** Formats a year, month and day; the day must exist in that month. */
export function isoDateOf(year: number, month: number, day: number): IsoDate {
  const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (!Number.isInteger(year) || year < 0 || year > 9999 || !partsOf(date)) {
    throw new InvalidIsoDateError(`no such calendar date: year ${year}, month ${month}, day ${day}`);
  }
  return date;
}

/** True for a real calendar date written exactly as `YYYY-MM-DD` ("2026-02-30" is not). */
export function isIsoDate(value: unknown): value is IsoDate {
  return partsOf(value) !== null;
}

/** Strict: throws InvalidIsoDateError for anything but a real calendar date as `YYYY-MM-DD`. */
export function parseIsoDate(value: unknown): IsoDate {
  requireParts(value as IsoDate);
  return value as IsoDate;
}

export const isoDateSchema = z.string().refine(isIsoDate, { message: 'a calendar date as YYYY-MM-DD' });

/** Days since 1970-01-01 (negative before), by the days-from-civil formula (H. Hinnant). */
export function toEpochDay(date: IsoDate): number {
  const { year, month, day } = requireParts(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The inverse of toEpochDay (civil-from-days). */
export function fromEpochDay(epochDay: number): IsoDate {
  if (!Number.isSafeInteger(epochDay)) throw new InvalidIsoDateError(`not a whole epoch day: ${epochDay}`);
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return isoDateOf(year, month, day);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`addDays: a whole number of days, not ${days}`);
  return fromEpochDay(toEpochDay(date) + days);
}

/** `to − from` in days: 1 from a date to the next day, negative when `to` is earlier. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function dayOfWeek(date: IsoDate): number {
  return (((toEpochDay(date) + 4) % 7) + 7) % 7;
}

/** For Array.prototype.sort: `YYYY-MM-DD` with four-digit years sorts as text. */
export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxIsoDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

export function minIsoDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}

/**
 * The same day `months` later (or earlier when negative), clamped to the month's last day:
 * 31 August minus 6 months is 28 (or 29) February.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  if (!Number.isInteger(months)) throw new RangeError(`addMonths: a whole number of months, not ${months}`);
  const { year, month, day } = requireParts(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  return isoDateOf(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/**
 * The same day `years` later. 29 February becomes 28 February in a common year, the usual
 * end-of-month rule for periods in months and years: when the day does not exist in the target
 * month, its last day is taken (not the 1st of the next month). So interest that runs from
 * 2024-02-29 compounds first on 2025-02-28, and that first year has 365 days, not 366. Callers
 * compute each anniversary from the original date (`addYears(from, n)`), so 2028-02-29 is again
 * an anniversary of 2024-02-29.
 */
export function addYears(date: IsoDate, years: number): IsoDate {
  return addMonths(date, years * 12);
}
