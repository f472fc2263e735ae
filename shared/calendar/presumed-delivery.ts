import { isAtwHoliday } from './dutch-holidays.js';
import { addDays, dayOfWeek, type IsoDate } from './iso-date.js';

/** Post is not delivered on Sundays, Mondays or holidays (HR 2016 presumption, domain.md §3). */
export function isDeliveryDay(date: IsoDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 1 && !isAtwHoliday(date);
}

/** Without proof of delivery: presumed delivered on the `deliveryDays`-th delivery day after posting. */
export function presumedDeliveryDate(posted: IsoDate, deliveryDays: number): IsoDate {
  if (!Number.isInteger(deliveryDays) || deliveryDays < 0) throw new Error(`deliveryDays must be a whole number ≥ 0 (got ${deliveryDays})`);
  let date = posted;
  for (let counted = 0; counted < deliveryDays; ) {
    date = addDays(date, 1);
    if (isDeliveryDay(date)) counted++;
  }
  return date;
}

export interface DeliveryOffsetStep {
  readonly from: IsoDate;
  readonly days: number;
}

/**
 * The presumed-delivery offset is a dated setting (unsettled, domain.md §3: postal norms lengthen
 * from 2026-07-01 and 2027-07-01). We keep 2 delivery days until a corporation sets otherwise.
 */
export const defaultDeliveryOffsetSchedule: readonly DeliveryOffsetStep[] = [{ from: '2000-01-01', days: 2 }];

export function deliveryOffsetOn(posted: IsoDate, schedule: readonly DeliveryOffsetStep[] = defaultDeliveryOffsetSchedule): number {
  const applicable = [...schedule].sort((a, b) => (a.from < b.from ? -1 : 1)).filter((step) => step.from <= posted);
  const step = applicable.at(-1);
  if (!step) throw new Error(`no delivery offset set for a letter posted on ${posted}`);
  return step.days;
}
