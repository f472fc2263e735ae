import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addYears,
  compareIsoDates,
  dayOfWeek,
  daysBetween,
  fromEpochDay,
  InvalidIsoDateError,
  isIsoDate,
  isoDateSchema,
  maxIsoDate,
  minIsoDate,
  parseIsoDate,
  toEpochDay,
} from '../../../shared/calendar/iso-date.js';

describe('ISO dates', () => {
  it('accepts only real calendar dates written as YYYY-MM-DD', () => {
    expect(isIsoDate('2026-04-23')).toBe(true);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2000-02-29')).toBe(true);
    for (const bad of ['2026-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-4-23', '26-04-23', '2026-04-23T00:00', ' 2026-04-23', '', 20260423, null]) {
      expect(isIsoDate(bad)).toBe(false);
    }
    expect(parseIsoDate('2026-12-31')).toBe('2026-12-31');
    expect(() => parseIsoDate('2026-02-30')).toThrow(InvalidIsoDateError);
    expect(() => parseIsoDate(undefined)).toThrow(/not a calendar date/);
    expect(isoDateSchema.safeParse('2026-02-30').success).toBe(false);
    expect(isoDateSchema.parse('2026-02-28')).toBe('2026-02-28');
  });

  it('counts epoch days without a Date object', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(toEpochDay('1969-12-31')).toBe(-1);
    expect(toEpochDay('2000-03-01')).toBe(11017);
    expect(fromEpochDay(20_566)).toBe('2026-04-23');
    expect(fromEpochDay(toEpochDay('0001-01-01'))).toBe('0001-01-01');
    expect(() => addDays('2026-01-01', 0.5)).toThrow(RangeError);
    expect(() => addDays('2026-02-30', 1)).toThrow(InvalidIsoDateError);
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-04-25', 14)).toBe('2026-05-09');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2026-05-11', '2026-04-26')).toBe(-15);
  });

  it('knows the day of the week (0 = Sunday)', () => {
    expect(dayOfWeek('2026-04-23')).toBe(4);
    expect(dayOfWeek('2026-05-09')).toBe(6);
    expect(dayOfWeek('2026-05-10')).toBe(0);
    expect(dayOfWeek('1969-12-28')).toBe(0);
  });

  it('compares, takes the max and min', () => {
    expect(['2026-05-01', '2025-12-31', '2026-01-15'].sort(compareIsoDates)).toEqual(['2025-12-31', '2026-01-15', '2026-05-01']);
    expect(maxIsoDate('2026-01-02', '2025-12-31')).toBe('2026-01-02');
    expect(minIsoDate('2026-01-02', '2025-12-31')).toBe('2025-12-31');
  });

  it('adds years: 29 February becomes 28 February in a common year', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2025-02-28', 1)).toBe('2026-02-28');
    expect(addYears('2026-07-01', 2)).toBe('2028-07-01');
    expect(addYears('2026-07-01', -1)).toBe('2025-07-01');
  });

  it('adds months, clamped to the end of the month', () => {
    expect(addMonths('2026-08-31', -6)).toBe('2026-02-28');
    expect(addMonths('2024-08-31', -6)).toBe('2024-02-29');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
  });

  it('property: addDays and daysBetween are inverse; the weekday advances with the days', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), fc.integer({ min: -5000, max: 5000 }), (epochDay, n) => {
        const date = fromEpochDay(epochDay);
        expect(isIsoDate(date)).toBe(true);
        expect(toEpochDay(date)).toBe(epochDay);
        const later = addDays(date, n);
        expect(daysBetween(date, later)).toBe(n);
        expect(dayOfWeek(later)).toBe((((dayOfWeek(date) + n) % 7) + 7) % 7);
        expect(Math.sign(compareIsoDates(date, later))).toBe(n === 0 ? 0 : -Math.sign(n));
      }),
    );
  });

  it('property: the epoch-day formula agrees with Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), (epochDay) => {
        expect(fromEpochDay(epochDay)).toBe(new Date(epochDay * 86_400_000).toISOString().slice(0, 10));
      }),
    );
  });
});
