import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amsterdamDate, amsterdamInstant, amsterdamOffsetMs } from '../../../shared/calendar/amsterdam-clock.js';

describe('Amsterdam clock', () => {
  it('knows winter and summer time, switching at 01:00 UTC on the last Sundays of March and October', () => {
    expect(amsterdamOffsetMs(Date.parse('2026-03-29T00:59:59Z'))).toBe(3_600_000);
    expect(amsterdamOffsetMs(Date.parse('2026-03-29T01:00:00Z'))).toBe(7_200_000);
    expect(amsterdamOffsetMs(Date.parse('2026-10-25T00:59:59Z'))).toBe(7_200_000);
    expect(amsterdamOffsetMs(Date.parse('2026-10-25T01:00:00Z'))).toBe(3_600_000);
  });

  it('gives the Dutch date of an instant, not the UTC one', () => {
    expect(amsterdamDate(Date.parse('2026-11-30T23:30:00Z'))).toBe('2026-12-01');
    expect(amsterdamDate(Date.parse('2026-07-14T22:00:00Z'))).toBe('2026-07-15');
    expect(amsterdamDate(Date.parse('2026-07-14T21:59:59Z'))).toBe('2026-07-14');
  });

  it('finds local midnight on both sides of the switch', () => {
    expect(new Date(amsterdamInstant('2026-03-29')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(amsterdamInstant('2026-03-30')).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(new Date(amsterdamInstant('2026-10-26', 9)).toISOString()).toBe('2026-10-26T08:00:00.000Z');
  });

  it('agrees with the IANA zone data for every hour of several years', () => {
    const format = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' });
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2030-12-31T00:00:00Z') }), (ms) => {
        expect(amsterdamDate(ms)).toBe(format.format(ms));
      }),
      { numRuns: 2000 },
    );
  });

  it('maps a date to the instant that starts it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 6 }), (offset) => {
        const date = new Date(Date.UTC(2024, 0, 1 + offset)).toISOString().slice(0, 10);
        const start = amsterdamInstant(date);
        expect(amsterdamDate(start)).toBe(date);
        expect(amsterdamDate(start - 1)).not.toBe(date);
      }),
    );
  });
});
