import { addDays, isoDateOf } from '../calendar/iso-date.js';
import { isTarget2BusinessDay, target2BusinessDayOnOrAfter, target2BusinessDayOnOrBefore, target2BusinessDaysBefore } from '../calendar/target2.js';

/**
 * When a creditor's runs of a month happen (domain.md §11, interfaces.md §1.4): the collection
 * date on a TARGET2 business day, the pre-notification a number of calendar days before it, and
 * the file submitted by D-1. Pure, so the per-creditor workflow and the API compute the same dates.
 */
export interface CollectionSchedule {
  /** Day of the month, 1–28. */
  readonly collectionDay: number;
  /** Which business day a collection day that is none moves to. */
  readonly collectionDayShift: 'earlier' | 'later';
  readonly prenoticeDays: number;
  /** At least 2: the later runs take retries and what the first run's limit could not hold. */
  readonly runsPerMonth: number;
  /** TARGET2 business days between one run of the month and the next. */
  readonly runIntervalDays: number;
}

export interface RunDates {
  /** 1 for the month's main run. */
  readonly sequence: number;
  readonly collectionDate: string;
  /** D-1: the last business day the file can go to the bank. */
  readonly submitBy: string;
}

export interface MonthCalendar {
  /** `YYYY-MM`. */
  readonly month: string;
  /** The day the occupants are told the amount and the date(s). */
  readonly prenoticeOn: string;
  /** The month's runs that fall within the month, in order; the first is the main run. */
  readonly runs: readonly RunDates[];
}

const monthOf = (date: string) => date.slice(0, 7);

/** The month's collection date: the collection day, moved to a business day within the month. */
export function collectionDateOf(schedule: CollectionSchedule, month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const day = isoDateOf(year, monthNumber, schedule.collectionDay);
  if (isTarget2BusinessDay(day)) return day;
  const earlier = target2BusinessDayOnOrBefore(day);
  const later = target2BusinessDayOnOrAfter(day);
  // A shift that would leave the month goes the other way: each month has its own run.
  if (schedule.collectionDayShift === 'earlier') return monthOf(earlier) === month ? earlier : later;
  return monthOf(later) === month ? later : earlier;
}

/** Adds business days (TARGET2) to a date. */
function target2BusinessDaysAfter(date: string, count: number): string {
  let day = date;
  for (let left = count; left > 0; ) {
    day = addDays(day, 1);
    if (isTarget2BusinessDay(day)) left--;
  }
  return day;
}

export function monthCalendar(schedule: CollectionSchedule, month: string): MonthCalendar {
  const first = collectionDateOf(schedule, month);
  const runs: RunDates[] = [];
  for (let sequence = 1; sequence <= schedule.runsPerMonth; sequence++) {
    const collectionDate = sequence === 1 ? first : target2BusinessDaysAfter(first, (sequence - 1) * schedule.runIntervalDays);
    if (monthOf(collectionDate) !== month) break;
    runs.push({ sequence, collectionDate, submitBy: target2BusinessDaysBefore(collectionDate, 1) });
  }
  return { month, prenoticeOn: addDays(first, -schedule.prenoticeDays), runs };
}

/** `YYYY-MM` of the month after. */
export function nextMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return monthNumber === 12 ? `${year + 1}-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}`;
}

/** The first month whose pre-notification day is today or later: the first a new run can still announce. */
export function firstMonthToAnnounce(schedule: CollectionSchedule, today: string): string {
  let month = monthOf(today);
  while (monthCalendar(schedule, month).prenoticeOn < today) month = nextMonth(month);
  return month;
}

/**
 * The first month whose last run is still to be submitted after the next month's pre-notification
 * is due, in the `months` months from `fromMonth`; null when there is none. The per-creditor
 * workflow handles one month after the other, so such a schedule (long pre-notice, late collection
 * day, many runs) is refused when the creditor is stored.
 */
export function overlappingMonth(schedule: CollectionSchedule, fromMonth: string, months = 24): string | null {
  let month = fromMonth;
  for (let i = 0; i < months; i++) {
    const runs = monthCalendar(schedule, month).runs;
    const next = monthCalendar(schedule, nextMonth(month));
    if (runs.at(-1)!.submitBy > next.prenoticeOn) return month;
    month = nextMonth(month);
  }
  return null;
}
