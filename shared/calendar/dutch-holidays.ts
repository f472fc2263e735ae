import { atwDecreeDays } from './atw-decree-days.js';
import { addDays, dayOfWeek, isoDateOf, parseIsoDate, type IsoDate } from './iso-date.js';

/**
 * A date outside the years whose decree days we hold (atw-decree-days.ts): any answer would be a
 * guess, and a wrong holiday moves a legal deadline.
 */
export class CalendarNotCoveredError extends Error {
  override readonly name = 'CalendarNotCoveredError';
  constructor(readonly date: IsoDate) {
    super(
      `the Algemene termijnenwet holiday calendar covers ${atwDecreeDays.coveredFrom} through ${atwDecreeDays.coveredThrough}; ` +
        `${date} is outside it. Add the Royal Decree days for ${date.slice(0, 4)} to shared/calendar/atw-decree-days.ts ` +
        'and extend its coverage.',
    );
  }
}

function requireCovered(date: IsoDate): void {
  if (date < atwDecreeDays.coveredFrom || date > atwDecreeDays.coveredThrough) throw new CalendarNotCoveredError(date);
}

/** Easter Sunday by the Gregorian computus (the anonymous "Meeus/Jones/Butcher" algorithm). */
export function easterSunday(year: number): IsoDate {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) throw new RangeError(`easterSunday: a Gregorian year, not ${year}`);
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
  return isoDateOf(year, month, day);
}

/** King's Day: 27 April, or the 26th when the 27th is a Sunday (domain.md §4). */
export function kingsDay(year: number): IsoDate {
  const april27 = isoDateOf(year, 4, 27);
  return dayOfWeek(april27) === 0 ? isoDateOf(year, 4, 26) : april27;
}

/**
 * The holidays of the Algemene termijnenwet in a year, sorted: art. 3 lid 1 (New Year's Day,
 * Easter Monday, Ascension Day, Whit Monday, Christmas and Boxing Day, King's Day, 5 May in every
 * year), Good Friday (equated by art. 3 lid 2) and the decree days (art. 3 lid 3). Easter Sunday
 * and Whit Sunday are Sundays anyway. Throws CalendarNotCoveredError for a year not wholly covered.
 */
export function atwHolidays(year: number): IsoDate[] {
  if (!Number.isInteger(year)) throw new RangeError(`atwHolidays: a whole year, not ${year}`);
  requireCovered(isoDateOf(year, 1, 1));
  requireCovered(isoDateOf(year, 12, 31));
  const easter = easterSunday(year);
  const days = [
    isoDateOf(year, 1, 1),
    addDays(easter, -2),
    addDays(easter, 1),
    kingsDay(year),
    isoDateOf(year, 5, 5),
    addDays(easter, 39),
    addDays(easter, 50),
    isoDateOf(year, 12, 25),
    isoDateOf(year, 12, 26),
    ...atwDecreeDays.days.filter((day) => day.startsWith(`${year}-`)),
  ];
  return [...new Set(days)].sort();
}

/** Per year, computed once: deadlines ask for the same few years over and over. */
const holidaysByYear = new Map<number, ReadonlySet<IsoDate>>();

/** An "algemeen erkende feestdag" or a day equated to one. Throws CalendarNotCoveredError outside the data. */
export function isAtwHoliday(date: IsoDate): boolean {
  parseIsoDate(date);
  requireCovered(date);
  const year = Number(date.slice(0, 4));
  let holidays = holidaysByYear.get(year);
  if (!holidays) {
    holidays = new Set(atwHolidays(year));
    holidaysByYear.set(year, holidays);
  }
  return holidays.has(date);
}
