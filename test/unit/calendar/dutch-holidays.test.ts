import { describe, expect, it } from 'vitest';
import { atwDecreeDays } from '../../../shared/calendar/atw-decree-days.js';
import { atwHolidays, CalendarNotCoveredError, easterSunday, isAtwHoliday, kingsDay } from '../../../shared/calendar/dutch-holidays.js';
import { dayOfWeek, isIsoDate } from '../../../shared/calendar/iso-date.js';

describe('Algemene termijnenwet holidays', () => {
  it('computes Easter Sunday by the Gregorian computus', () => {
    const known: Record<number, string> = {
      1818: '1818-03-22',
      1943: '1943-04-25',
      2000: '2000-04-23',
      2019: '2019-04-21',
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2027: '2027-03-28',
      2028: '2028-04-16',
      2038: '2038-04-25',
    };
    for (const [year, easter] of Object.entries(known)) expect(easterSunday(Number(year))).toBe(easter);
    for (let year = 1583; year <= 3000; year++) {
      const easter = easterSunday(year);
      expect(dayOfWeek(easter)).toBe(0);
      expect(easter >= `${year}-03-22` && easter <= `${year}-04-25`).toBe(true);
    }
  });

  it('gives the verified 2026 list (interfaces.md §6.2)', () => {
    expect(atwHolidays(2026)).toEqual([
      '2026-01-01', '2026-01-02', '2026-04-03', '2026-04-06', '2026-04-27', '2026-05-05',
      '2026-05-14', '2026-05-15', '2026-05-25', '2026-12-25', '2026-12-26',
    ]);
  });

  it('gives the other covered years, decree days included', () => {
    expect(atwHolidays(2024)).toEqual([
      '2024-01-01', '2024-03-29', '2024-04-01', '2024-04-27', '2024-05-05', '2024-05-09',
      '2024-05-10', '2024-05-20', '2024-12-25', '2024-12-26', '2024-12-27',
    ]);
    expect(atwHolidays(2025)).toEqual([
      '2025-01-01', '2025-04-18', '2025-04-21', '2025-04-26', '2025-05-05', '2025-05-29',
      '2025-05-30', '2025-06-09', '2025-12-25', '2025-12-26',
    ]);
    expect(atwHolidays(2027)).toEqual([
      '2027-01-01', '2027-03-26', '2027-03-29', '2027-04-27', '2027-05-05', '2027-05-06',
      '2027-05-07', '2027-05-17', '2027-12-25', '2027-12-26',
    ]);
    expect(atwHolidays(2028)).toEqual([
      '2028-01-01', '2028-04-14', '2028-04-17', '2028-04-27', '2028-04-28', '2028-05-05',
      '2028-05-25', '2028-05-26', '2028-06-05', '2028-12-25', '2028-12-26',
    ]);
  });

  it("moves King's Day to the 26th when the 27th is a Sunday", () => {
    expect(kingsDay(2025)).toBe('2025-04-26');
    expect(kingsDay(2031)).toBe('2031-04-26');
    expect(kingsDay(2026)).toBe('2026-04-27');
  });

  it('counts 5 May every year, Good Friday, and not 4 May, 31 December or Easter Sunday itself as a weekday', () => {
    expect(isAtwHoliday('2027-05-05')).toBe(true);
    expect(isAtwHoliday('2026-04-03')).toBe(true);
    expect(isAtwHoliday('2026-05-04')).toBe(false);
    expect(isAtwHoliday('2026-12-31')).toBe(false);
    expect(isAtwHoliday('2026-05-01')).toBe(false);
    expect(isAtwHoliday('2026-04-23')).toBe(false);
  });

  it('holds its decree days as well-formed data inside the coverage', () => {
    expect(isIsoDate(atwDecreeDays.coveredFrom) && isIsoDate(atwDecreeDays.coveredThrough)).toBe(true);
    expect([...atwDecreeDays.days].sort()).toEqual(atwDecreeDays.days);
    for (const day of atwDecreeDays.days) {
      expect(isIsoDate(day)).toBe(true);
      expect(day >= atwDecreeDays.coveredFrom && day <= atwDecreeDays.coveredThrough).toBe(true);
      expect([0, 6]).not.toContain(dayOfWeek(day));
      expect(isAtwHoliday(day)).toBe(true);
    }
  });

  it('refuses dates outside the covered range and names the data to extend', () => {
    expect(() => isAtwHoliday('2023-12-31')).toThrow(CalendarNotCoveredError);
    expect(() => isAtwHoliday('2029-01-01')).toThrow(/atw-decree-days\.ts/);
    expect(() => atwHolidays(2029)).toThrow(CalendarNotCoveredError);
    expect(() => atwHolidays(2023)).toThrow(/covers 2024-01-01 through 2028-12-31/);
    expect(isAtwHoliday('2024-01-01')).toBe(true);
    expect(isAtwHoliday('2028-12-31')).toBe(false);
    try {
      isAtwHoliday('2029-03-01');
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarNotCoveredError);
      expect((error as CalendarNotCoveredError).date).toBe('2029-03-01');
    }
  });

  it('refuses malformed dates', () => {
    expect(() => isAtwHoliday('2026-02-30')).toThrow(/not a calendar date/);
  });
});
