import { z } from 'zod';
import { addDays, isIsoDate, type IsoDate } from './iso-date.js';

/**
 * Which dates a request may carry. `isoDateSchema` takes any calendar date of the years
 * 0000–9999; Postgres has no year 0 and a rent claim, payment or ruling of 1850 or 9999 is a typing
 * error, not a fact to act on. So every date that comes in is a business date, and dates that
 * record something that happened (a booking, a ruling, an event) or that someone promises or
 * schedules are also checked against today at the route (with the API's clock, which in
 * simulation is the simulated one), through `dateBeyondHorizon`.
 */
export const businessDates = { from: '2000-01-01', through: '2099-12-31' } as const;

/** A calendar date from `from` through `through` (inclusive). */
export const isoDateWithin = (from: IsoDate, through: IsoDate) =>
  z
    .string()
    .refine(isIsoDate, { message: 'a calendar date as YYYY-MM-DD', abort: true })
    .refine((date) => date >= from && date <= through, { message: `a date from ${from} through ${through}` });

/** Due dates, bookings, rulings, instalments, periods: any date the business can plausibly mean. */
export const businessDateSchema = isoDateWithin(businessDates.from, businessDates.through);

/**
 * How far after today a date may lie, by what it means.
 * - `recorded`: something that has happened (a payment booked, a reversal, a ruling, a bailiff's
 *   act). A week leaves room for a bank's value date after a weekend or holiday and for a source
 *   system whose day turned before ours; anything later is a typing error.
 * - `scheduled`: something agreed for later (a promise to pay, an eviction date): at most a year.
 */
export const dateHorizonDays = { recorded: 7, scheduled: 366 } as const;

/**
 * Why `date` is implausible against `today`, or null when it is not: later than `maxDaysAfter`
 * days after today, or earlier than `minDaysAfter` days after today (0: not before today).
 */
export function dateBeyondHorizon(date: IsoDate, today: IsoDate, limits: { maxDaysAfter?: number; minDaysAfter?: number }): string | null {
  if (limits.maxDaysAfter !== undefined) {
    const latest = addDays(today, limits.maxDaysAfter);
    if (date > latest) return limits.maxDaysAfter === 0 ? `may not be after today (${today})` : `may not be after ${latest} (today + ${limits.maxDaysAfter} days)`;
  }
  if (limits.minDaysAfter !== undefined) {
    const earliest = addDays(today, limits.minDaysAfter);
    if (date < earliest) return limits.minDaysAfter === 0 ? `may not be before today (${today})` : `may not be before ${earliest}`;
  }
  return null;
}
