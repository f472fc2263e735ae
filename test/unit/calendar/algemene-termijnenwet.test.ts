import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countAtwWorkingDays, extendTermByAtw, isAtwWorkingDay, nextAtwWorkingDay, statutoryTermEnd } from '../../../shared/calendar/algemene-termijnenwet.js';
import { CalendarNotCoveredError, isAtwHoliday } from '../../../shared/calendar/dutch-holidays.js';
import { addDays, dayOfWeek, daysBetween } from '../../../shared/calendar/iso-date.js';
import { dateBetween } from './arbitraries.js';

describe('Algemene termijnenwet', () => {
  it('knows working days: not Saturday, Sunday or a holiday', () => {
    expect(isAtwWorkingDay('2026-04-23')).toBe(true);
    expect(isAtwWorkingDay('2026-04-25')).toBe(false);
    expect(isAtwWorkingDay('2026-04-26')).toBe(false);
    expect(isAtwWorkingDay('2026-04-27')).toBe(false);
    expect(isAtwWorkingDay('2026-01-02')).toBe(false);
    expect(nextAtwWorkingDay('2026-04-03')).toBe('2026-04-07');
    expect(nextAtwWorkingDay('2026-04-07')).toBe('2026-04-07');
    expect(countAtwWorkingDays('2026-12-21', '2026-12-31')).toBe(8);
  });

  it('art. 1: a term ending on a Saturday ends on the next working day (the WIK example)', () => {
    expect(statutoryTermEnd('2026-04-26', 14)).toBe('2026-05-11');
  });

  it('art. 1: a term ending on Good Friday runs past Easter Monday', () => {
    expect(extendTermByAtw({ termStart: '2026-03-21', lastDay: '2026-04-03' })).toBe('2026-04-07');
  });

  it('art. 1: a term ending on a working day is not moved', () => {
    expect(statutoryTermEnd('2026-04-27', 14)).toBe('2026-05-11');
    expect(extendTermByAtw({ termStart: '2026-05-11', lastDay: '2026-05-11' })).toBe('2026-05-11');
  });

  it('art. 2: a 3-day term over Ascension, the decree day and a weekend holds two working days', () => {
    // Thu 14 May (Ascension), Fri 15 May (decree day), Sat 16 May: art. 1 gives Mon 18 May,
    // still only one working day in the term, so art. 2 extends to Tue 19 May.
    expect(statutoryTermEnd('2026-05-14', 3)).toBe('2026-05-19');
  });

  it('art. 2: extends a term whose last day is already a working day', () => {
    // Fri 25 Dec (Christmas), Sat, Sun, Mon 28 Dec: one working day; extended to Tue 29 Dec.
    expect(statutoryTermEnd('2026-12-25', 4)).toBe('2026-12-29');
    // Sat 4 April, Sun, Easter Monday: art. 1 to Tue 7 April (one working day), art. 2 to Wed 8 April.
    expect(statutoryTermEnd('2026-04-04', 3)).toBe('2026-04-08');
  });

  it('art. 2 does not apply to terms of one or two days', () => {
    // Thu 14 May (Ascension) and Fri 15 May (decree day): art. 1 only, to Mon 18 May.
    expect(statutoryTermEnd('2026-05-14', 2)).toBe('2026-05-18');
    expect(countAtwWorkingDays('2026-05-14', '2026-05-18')).toBe(1);
    expect(statutoryTermEnd('2026-05-16', 1)).toBe('2026-05-18');
  });

  it('art. 2 counts the days art. 1 added', () => {
    // Thu 24 Dec, Fri 25 Dec (Christmas), Sat 26 Dec: art. 1 gives Mon 28 Dec; Thu and Mon are two.
    expect(statutoryTermEnd('2026-12-24', 3)).toBe('2026-12-28');
  });

  it('refuses impossible terms and dates outside the calendar', () => {
    expect(() => extendTermByAtw({ termStart: '2026-05-11', lastDay: '2026-05-10' })).toThrow(RangeError);
    expect(() => statutoryTermEnd('2026-05-11', 0)).toThrow(RangeError);
    expect(() => statutoryTermEnd('2026-05-11', 91)).toThrow(/1 to 90/);
    expect(() => statutoryTermEnd('2026-05-11', 1.5)).toThrow(RangeError);
    expect(() => statutoryTermEnd('2028-12-20', 14)).toThrow(CalendarNotCoveredError);
    expect(() => statutoryTermEnd('2023-12-20', 14)).toThrow(CalendarNotCoveredError);
  });

  const terms = fc.record({ termStart: dateBetween('2024-01-01', '2028-10-31'), days: fc.integer({ min: 1, max: 45 }) });

  it('property: the end is a working day, on or after the plain last day, and a term of 3+ days holds two working days', () => {
    fc.assert(
      fc.property(terms, ({ termStart, days }) => {
        const lastDay = addDays(termStart, days - 1);
        const end = statutoryTermEnd(termStart, days);
        expect(daysBetween(lastDay, end)).toBeGreaterThanOrEqual(0);
        expect([0, 6]).not.toContain(dayOfWeek(end));
        expect(isAtwHoliday(end)).toBe(false);
        if (days >= 3) expect(countAtwWorkingDays(termStart, end)).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 500 },
    );
  });

  it('property: the end is the earliest day that satisfies both articles', () => {
    fc.assert(
      fc.property(terms, ({ termStart, days }) => {
        const lastDay = addDays(termStart, days - 1);
        const end = statutoryTermEnd(termStart, days);
        for (let day = lastDay; day < end; day = addDays(day, 1)) {
          const satisfies = isAtwWorkingDay(day) && (days < 3 || countAtwWorkingDays(termStart, day) >= 2);
          expect(satisfies).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
