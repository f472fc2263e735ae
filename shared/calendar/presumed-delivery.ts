import { isAtwHoliday } from './dutch-holidays.js';
import { addDays, dayOfWeek, isIsoDate, type IsoDate } from './iso-date.js';

/** Post is not delivered on Sundays, Mondays or holidays (the presumption of domain.md §3). */
export function isDeliveryDay(date: IsoDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 1 && !isAtwHoliday(date);
}

/**
 * Without a delivery record, a letter is presumed delivered on the `deliveryDays`-th delivery day
 * after the day it was posted (domain.md §3). With 0, the posted day itself is the delivery day
 * (e.g. a letter handed over in person or a same-day proof).
 */
export function presumedDeliveryDate(posted: IsoDate, deliveryDays: number): IsoDate {
  if (!Number.isInteger(deliveryDays) || deliveryDays < 0) throw new RangeError(`deliveryDays is a whole number ≥ 0 (got ${deliveryDays})`);
  let date = posted;
  for (let counted = 0; counted < deliveryDays; ) {
    date = addDays(date, 1);
    if (isDeliveryDay(date)) counted++;
  }
  return date;
}

/** From `from` on (inclusive), letters are presumed delivered on the `days`-th delivery day. */
export interface DeliveryOffsetStep {
  readonly from: IsoDate;
  readonly days: number;
}

/**
 * The presumed-delivery offset is a dated setting, unsettled (domain.md §3): the postal delivery
 * norms lengthen from 2026-07-01 and again from 2027-07-01, but whether courts follow them is not
 * known. Until a corporation sets its own schedule we keep the 2 delivery days of current
 * practice for every date.
 */
export const defaultDeliveryOffsetSchedule: readonly DeliveryOffsetStep[] = [{ from: '2000-01-01', days: 2 }];

/** The offset in force on the posting date: the step with the latest `from` on or before it. */
export function deliveryOffsetOn(posted: IsoDate, schedule: readonly DeliveryOffsetStep[] = defaultDeliveryOffsetSchedule): number {
  let current: DeliveryOffsetStep | undefined;
  const seen = new Set<IsoDate>();
  for (const step of schedule) {
    if (!isIsoDate(step.from)) throw new RangeError(`delivery offset schedule: ${JSON.stringify(step.from)} is not a date`);
    if (!Number.isInteger(step.days) || step.days < 0) throw new RangeError(`delivery offset schedule: ${step.days} days from ${step.from} is not a whole number ≥ 0`);
    if (seen.has(step.from)) throw new RangeError(`delivery offset schedule: two steps from ${step.from}`);
    seen.add(step.from);
    if (step.from <= posted && (!current || step.from > current.from)) current = step;
  }
  if (!current) throw new RangeError(`the delivery offset schedule has no step on or before ${posted}`);
  return current.days;
}
