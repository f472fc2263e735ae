import { atwDecreeDays } from './atw-decree-days.js';
import { addDays, dayOfWeek, type IsoDate } from './iso-date.js';

/** A date outside the years whose decree days we hold: the answer would be a guess. */
export class CalendarNotCoveredError extends Error {
  constructor(date: IsoDate) {
    super(
      `the holiday calendar covers ${atwDecreeDays.coveredFrom} to ${atwDecreeDays.coveredThrough}; ${date} is outside it. ` +
        'Add the Royal Decree days for that year to shared/calendar/atw-decree-days.ts.',
    );
  }
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoOf = (year: number, month: number, day: number): IsoDate => `${year}-${pad(month)}-${pad(day)}`;

/** Easter Sunday by the Gregorian computus (Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoOf(year, month, day);
}

function assertCovered(date: IsoDate): void {
  if (date < atwDecreeDays.coveredFrom || date > atwDecreeDays.coveredThrough) throw new CalendarNotCoveredError(date);
}

/**
 * The "algemeen erkende feestdagen" of the Algemene termijnenwet (art. 3): New Year's Day, Good
 * Friday (equated, lid 2), Easter Monday, King's Day (27 April, or the 26th when the 27th is a
 * Sunday), 5 May in every year, Ascension Day, Whit Monday, Christmas and Boxing Day, plus the
 * decree days.
 */
export function atwHolidays(year: number): IsoDate[] {
  assertCovered(isoOf(year, 1, 1));
  assertCovered(isoOf(year, 12, 31));
  const easter = easterSunday(year);
  const kingsDay = dayOfWeek(isoOf(year, 4, 27)) === 0 ? isoOf(year, 4, 26) : isoOf(year, 4, 27);
  const days = [
    isoOf(year, 1, 1),
    addDays(easter, -2),
    addDays(easter, 1),
    kingsDay,
    isoOf(year, 5, 5),
    addDays(easter, 39),
    addDays(easter, 50),
    isoOf(year, 12, 25),
    isoOf(year, 12, 26),
    ...atwDecreeDays.days.filter((d) => d.startsWith(`${year}-`)),
  ];
  return [...new Set(days)].sort();
}

const cache = new Map<number, ReadonlySet<IsoDate>>();

export function isAtwHoliday(date: IsoDate): boolean {
  assertCovered(date);
  const year = Number(date.slice(0, 4));
  let holidays = cache.get(year);
  if (!holidays) {
    holidays = new Set(atwHolidays(year));
    cache.set(year, holidays);
  }
  return holidays.has(date);
}
