import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../shared/calendar/iso-date.js';
import { businessDateSchema, dateBeyondHorizon, dateHorizonDays, isoDateWithin } from '../../../shared/calendar/plausible-dates.js';
import { dateBetween } from './arbitraries.js';

describe('plausible dates', () => {
  it('takes business dates from 2000 through 2099 only', () => {
    for (const date of ['2000-01-01', '2026-11-20', '2028-02-29', '2099-12-31']) expect(businessDateSchema.parse(date)).toBe(date);
    for (const date of ['0000-01-01', '1899-12-31', '1999-12-31', '2100-01-01', '9999-12-31', '2026-02-30', '2026-1-1', '+02026-01-01', '2026-01-01T00:00:00Z', '', 20260101, null]) {
      expect(businessDateSchema.safeParse(date).success, JSON.stringify(date)).toBe(false);
    }
    expect(businessDateSchema.safeParse('1999-12-31').error!.issues[0]!.message).toBe('a date from 2000-01-01 through 2099-12-31');
    expect(businessDateSchema.safeParse('2026-02-30').error!.issues).toHaveLength(1);
  });

  it('takes exactly the dates inside a range (property)', () => {
    const range = isoDateWithin('2020-03-01', '2021-02-28');
    fc.assert(
      fc.property(dateBetween('2019-01-01', '2022-12-31'), (date) => {
        expect(range.safeParse(date).success).toBe(date >= '2020-03-01' && date <= '2021-02-28');
      }),
      { seed: 8_006 },
    );
  });

  it('says why a date lies beyond its horizon from today, and nothing when it does not', () => {
    const today = '2026-11-20';
    expect(dateBeyondHorizon(addDays(today, dateHorizonDays.recorded), today, { maxDaysAfter: dateHorizonDays.recorded })).toBeNull();
    expect(dateBeyondHorizon('2099-12-31', today, { maxDaysAfter: dateHorizonDays.recorded })).toBe('may not be after 2026-11-27 (today + 7 days)');
    expect(dateBeyondHorizon('2026-11-21', today, { maxDaysAfter: 0 })).toBe('may not be after today (2026-11-20)');
    expect(dateBeyondHorizon('2026-11-19', today, { minDaysAfter: 0, maxDaysAfter: dateHorizonDays.scheduled })).toBe('may not be before today (2026-11-20)');
    expect(dateBeyondHorizon('2027-11-22', today, { minDaysAfter: 0, maxDaysAfter: dateHorizonDays.scheduled })).toBe('may not be after 2027-11-21 (today + 366 days)');
    expect(dateBeyondHorizon('2000-01-01', today, { maxDaysAfter: 7 })).toBeNull();
  });
});
