import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CalendarNotCoveredError } from '../../../shared/calendar/dutch-holidays.js';
import { addDays } from '../../../shared/calendar/iso-date.js';
import { defaultDeliveryOffsetSchedule, deliveryOffsetOn, isDeliveryDay, presumedDeliveryDate } from '../../../shared/calendar/presumed-delivery.js';
import { dateBetween } from './arbitraries.js';

describe('presumed delivery', () => {
  it('skips Sundays, Mondays and holidays, not Saturdays', () => {
    expect(isDeliveryDay('2026-04-25')).toBe(true);
    expect(isDeliveryDay('2026-04-26')).toBe(false);
    expect(isDeliveryDay('2026-05-11')).toBe(false);
    expect(isDeliveryDay('2026-05-05')).toBe(false);
    expect(isDeliveryDay('2026-05-15')).toBe(false);
  });

  it('delivers on the 2nd delivery day after posting (api.md example)', () => {
    expect(presumedDeliveryDate('2026-04-23', 2)).toBe('2026-04-25');
  });

  it("skips the weekend's Sunday and Monday, and holidays", () => {
    // Sat 25 April: Sun and Mon 27 April (King's Day) do not count.
    expect(presumedDeliveryDate('2026-04-25', 2)).toBe('2026-04-29');
    // Wed 13 May: Ascension, the decree day, Sunday and Monday do not count.
    expect(presumedDeliveryDate('2026-05-13', 2)).toBe('2026-05-19');
    expect(presumedDeliveryDate('2026-12-23', 2)).toBe('2026-12-29');
  });

  it('takes the posted day itself with 0 delivery days', () => {
    expect(presumedDeliveryDate('2026-04-26', 0)).toBe('2026-04-26');
    expect(() => presumedDeliveryDate('2026-04-26', -1)).toThrow(RangeError);
    expect(() => presumedDeliveryDate('2026-04-26', 1.5)).toThrow(RangeError);
    expect(() => presumedDeliveryDate('2028-12-29', 2)).toThrow(CalendarNotCoveredError);
  });

  it('keeps 2 delivery days by default, for every date', () => {
    expect(deliveryOffsetOn('2026-04-23')).toBe(2);
    expect(deliveryOffsetOn('2026-07-01')).toBe(2);
    expect(deliveryOffsetOn('2027-07-01', defaultDeliveryOffsetSchedule)).toBe(2);
  });

  it("follows a corporation's dated schedule, in any order", () => {
    const schedule = [
      { from: '2027-07-01', days: 3 },
      { from: '2000-01-01', days: 2 },
      { from: '2026-07-01', days: 2 },
    ];
    expect(deliveryOffsetOn('2026-06-30', schedule)).toBe(2);
    expect(deliveryOffsetOn('2027-06-30', schedule)).toBe(2);
    expect(deliveryOffsetOn('2027-07-01', schedule)).toBe(3);
  });

  it('refuses a schedule that does not answer', () => {
    expect(() => deliveryOffsetOn('1999-12-31')).toThrow(/no step on or before/);
    expect(() => deliveryOffsetOn('2026-01-01', [])).toThrow(RangeError);
    expect(() => deliveryOffsetOn('2026-01-01', [{ from: '2026-01-01', days: 2 }, { from: '2026-01-01', days: 3 }])).toThrow(/two steps/);
    expect(() => deliveryOffsetOn('2026-01-01', [{ from: '2026-01-01', days: -1 }])).toThrow(RangeError);
    expect(() => deliveryOffsetOn('2026-01-01', [{ from: '2026-13-01', days: 2 }])).toThrow(/not a date/);
  });

  it('property: delivery falls on the n-th delivery day after posting', () => {
    fc.assert(
      fc.property(dateBetween('2024-01-01', '2028-11-30'), fc.integer({ min: 0, max: 5 }), (posted, n) => {
        const delivered = presumedDeliveryDate(posted, n);
        let count = 0;
        for (let day = addDays(posted, 1); day <= delivered; day = addDays(day, 1)) if (isDeliveryDay(day)) count++;
        expect(count).toBe(n);
        if (n > 0) expect(isDeliveryDay(delivered)).toBe(true);
      }),
    );
  });
});
