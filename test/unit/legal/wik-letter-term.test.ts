import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countAtwWorkingDays } from '../../../shared/calendar/algemene-termijnenwet.js';
import { CalendarNotCoveredError, isAtwHoliday } from '../../../shared/calendar/dutch-holidays.js';
import { addDays, dayOfWeek, daysBetween } from '../../../shared/calendar/iso-date.js';
import { firstSummonsDays, secondSummonsDays, summonsTerm } from '../../../shared/legal/bailiff-summons-term.js';
import { earliestEvictionDate, evictionNoticeDays } from '../../../shared/legal/eviction-notice-term.js';
import { statutoryTermEnd, wikLetterTerm, wikLetterTermAfterDelivery, wikLetterTermDays } from '../../../shared/legal/wik-letter-term.js';
import { dateBetween } from '../calendar/arbitraries.js';

describe('the WIK letter rule (14-day letter)', () => {
  it('matches api.md: posted 2026-04-23, 14 days, 2 delivery days', () => {
    expect(wikLetterTerm({ posted: '2026-04-23', days: 14, deliveryDays: 2 })).toEqual({
      delivered: '2026-04-25',
      termStart: '2026-04-26',
      deadline: '2026-05-11',
      costsDueFrom: '2026-05-12',
    });
    expect(wikLetterTermDays).toBe(14);
    expect(wikLetterTerm({ posted: '2026-04-23', deliveryDays: 2 }).deadline).toBe('2026-05-11');
  });

  it('takes the posted day as delivery with 0 delivery days', () => {
    expect(wikLetterTerm({ posted: '2026-04-23', deliveryDays: 0 })).toEqual({
      delivered: '2026-04-23',
      termStart: '2026-04-24',
      // 23 April + 14 = Thu 7 May, a working day.
      deadline: '2026-05-07',
      costsDueFrom: '2026-05-08',
    });
  });

  it('starts from a recorded delivery date', () => {
    expect(wikLetterTermAfterDelivery({ delivered: '2026-12-11' })).toEqual({
      delivered: '2026-12-11',
      termStart: '2026-12-12',
      // 11 Dec + 14 = Fri 25 Dec (Christmas), then Boxing Day and Sunday, Mon 28 Dec.
      deadline: '2026-12-28',
      costsDueFrom: '2026-12-29',
    });
  });

  it('exports the general statutory term for other terms', () => {
    expect(statutoryTermEnd('2026-04-26', 14)).toBe('2026-05-11');
  });

  it("uses the same rule for the bailiff's 8- and 5-day summons terms", () => {
    expect(firstSummonsDays).toBe(8);
    expect(secondSummonsDays).toBe(5);
    // Posted Thu 23 April, delivered Sat 25 April, 8 days from Sun 26 April: Sun 3 May → Mon 4 May.
    expect(summonsTerm({ posted: '2026-04-23', days: 8, deliveryDays: 2 })).toEqual({ delivered: '2026-04-25', deadline: '2026-05-04', expiresAfter: '2026-05-05' });
    // 5 days from Sun 26 April: Thu 30 April.
    expect(summonsTerm({ posted: '2026-04-23', days: 5, deliveryDays: 2 }).deadline).toBe('2026-04-30');
    expect(earliestEvictionDate('2026-05-01')).toBe(addDays('2026-05-01', evictionNoticeDays));
  });

  it('refuses dates outside the calendar', () => {
    expect(() => wikLetterTerm({ posted: '2028-12-20', deliveryDays: 2 })).toThrow(CalendarNotCoveredError);
    expect(() => wikLetterTerm({ posted: '2023-12-01', deliveryDays: 2 })).toThrow(CalendarNotCoveredError);
  });

  it('property: the deadline is never a Saturday, Sunday or holiday, and the term holds at least two working days', () => {
    fc.assert(
      fc.property(dateBetween('2024-01-01', '2028-11-30'), fc.integer({ min: 0, max: 4 }), (posted, deliveryDays) => {
        const term = wikLetterTerm({ posted, deliveryDays });
        expect([0, 6]).not.toContain(dayOfWeek(term.deadline));
        expect(isAtwHoliday(term.deadline)).toBe(false);
        expect(term.termStart).toBe(addDays(term.delivered, 1));
        expect(daysBetween(term.delivered, term.deadline)).toBeGreaterThanOrEqual(14);
        expect(countAtwWorkingDays(term.termStart, term.deadline)).toBeGreaterThanOrEqual(2);
        expect(term.costsDueFrom).toBe(addDays(term.deadline, 1));
      }),
      { numRuns: 500 },
    );
  });
});
