import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, compareIsoDates, daysBetween, type IsoDate } from '../../../shared/calendar/iso-date.js';
import { statutoryInterestRates, type StatutoryRateTable } from '../../../shared/legal/statutory-interest-rates.js';
import { interestSegments, RateTableNotCoveredError, statutoryInterest } from '../../../shared/legal/statutory-interest.js';
import { formatMoney, money, sumMoney } from '../../../shared/money.js';
import { dateBetween } from '../calendar/arbitraries.js';

function rateOn(day: IsoDate): string {
  return statutoryInterestRates.rates.filter((r) => compareIsoDates(r.from, day) <= 0).at(-1)!.rate;
}

/** Day by day, no compounding: the oracle for periods shorter than a year. */
function dailyOracle(principal: string, from: IsoDate, to: IsoDate): string {
  let total = money(0);
  for (let day = from; day < to; day = addDays(day, 1)) total = total.plus(money(principal).times(rateOn(day)).dividedBy(365));
  return formatMoney(total);
}

describe('statutory interest (art. 6:119 BW)', () => {
  it('computes the api.md example, compounding on each anniversary of default', () => {
    const result = statutoryInterest({ principal: '1000.00', from: '2023-07-01', to: '2025-07-01' });
    expect(result.interest).toBe('134.43');
    expect(result.capitalized).toEqual([
      { on: '2024-07-01', amount: '65.15' },
      { on: '2025-07-01', amount: '69.28' },
    ]);
    expect(result.segments.map(({ from, to, days, rate, base }) => ({ from, to, days, rate, base }))).toEqual([
      { from: '2023-07-01', to: '2024-01-01', days: 184, rate: '0.06', base: '1000.00' },
      { from: '2024-01-01', to: '2024-07-01', days: 182, rate: '0.07', base: '1000.00' },
      { from: '2024-07-01', to: '2025-01-01', days: 184, rate: '0.07', base: '1065.15' },
      { from: '2025-01-01', to: '2025-07-01', days: 181, rate: '0.06', base: '1065.15' },
    ]);
  });

  it('switches rate on the change date inside a running period', () => {
    const result = statutoryInterest({ principal: '812.35', from: '2025-06-15', to: '2026-01-15' });
    expect(result.interest).toBe('27.95');
    expect(result.segments.map((s) => [s.from, s.to, s.rate])).toEqual([
      ['2025-06-15', '2025-07-01', '0.06'],
      ['2025-07-01', '2026-01-01', '0.06'],
      ['2026-01-01', '2026-01-15', '0.04'],
    ]);
  });

  it('counts actual days over 365, also in a leap year', () => {
    expect(statutoryInterest({ principal: '1000.00', from: '2024-01-01', to: '2024-12-31' }).interest).toBe('70.00');
    // 2024 has 366 days: a full year of default at 7% is 366/365 × 70.00.
    expect(statutoryInterest({ principal: '1000.00', from: '2024-01-01', to: '2025-01-01' }).capitalized).toEqual([{ on: '2025-01-01', amount: '70.19' }]);
  });

  it('compounds a default from 29 February on 28 February in common years', () => {
    const result = statutoryInterest({ principal: '2500.00', from: '2024-02-29', to: '2026-03-01' });
    expect(result.capitalized).toEqual([
      { on: '2025-02-28', amount: '171.03' },
      { on: '2026-02-28', amount: '151.77' },
    ]);
    expect(result.interest).toBe('323.11');
  });

  it('rounds the year once at the anniversary, not per rate segment', () => {
    expect(statutoryInterest({ principal: '100.00', from: '2016-01-01', to: '2017-01-01' }).interest).toBe('2.01');
    const exact = sumMoney(interestSegments('1000.00', '2023-07-01', '2024-07-01').map((s) => s.interest));
    expect(formatMoney(exact)).toBe('65.15');
  });

  it('is zero over an empty period', () => {
    expect(statutoryInterest({ principal: '1000.00', from: '2026-03-01', to: '2026-03-01' })).toEqual({ interest: '0.00', capitalized: [], segments: [] });
    expect(statutoryInterest({ principal: '0.00', from: '2025-03-01', to: '2026-03-01' }).interest).toBe('0.00');
  });

  it('refuses a period outside the rate table, naming the file to extend', () => {
    expect(() => statutoryInterest({ principal: '100.00', from: '2012-06-30', to: '2012-08-01' })).toThrow(RateTableNotCoveredError);
    expect(() => statutoryInterest({ principal: '100.00', from: '2026-06-01', to: '2027-01-02' })).toThrow(/known through 2026-12-31.*statutory-interest-rates\.ts/);
    expect(statutoryInterest({ principal: '100.00', from: '2026-06-01', to: '2027-01-01' }).interest).toBe('2.35');
    expect(statutoryInterest({ principal: '100.00', from: '2026-06-01', to: '2027-06-01', beyondKnown: 'carry-last-rate' }).interest).toBe('4.00');
  });

  it('refuses a backward period, a negative principal and malformed dates', () => {
    expect(() => statutoryInterest({ principal: '100.00', from: '2026-03-02', to: '2026-03-01' })).toThrow(/backwards/);
    expect(() => statutoryInterest({ principal: '-1.00', from: '2026-03-01', to: '2026-03-02' })).toThrow(RangeError);
    expect(() => statutoryInterest({ principal: '1.00', from: '2026-02-30', to: '2026-03-02' })).toThrow(/not a calendar date/);
  });

  it('takes another rate table, and checks it', () => {
    const rates: StatutoryRateTable = { rates: [{ from: '2020-01-01', rate: '0.10' }], knownThrough: '2030-12-31' };
    expect(statutoryInterest({ principal: '1000.00', from: '2021-01-01', to: '2022-01-01', rates }).interest).toBe('100.00');
    expect(() => statutoryInterest({ principal: '1.00', from: '2021-01-01', to: '2021-02-01', rates: { rates: [], knownThrough: '2030-12-31' } })).toThrow(/empty/);
    const unsorted = { rates: [{ from: '2021-01-01', rate: '0.02' }, { from: '2020-01-01', rate: '0.03' }], knownThrough: '2030-12-31' };
    expect(() => statutoryInterest({ principal: '1.00', from: '2021-01-01', to: '2021-02-01', rates: unsorted })).toThrow(/not after/);
    const percent = { rates: [{ from: '2020-01-01', rate: '4%' }], knownThrough: '2030-12-31' };
    expect(() => statutoryInterest({ principal: '1.00', from: '2021-01-01', to: '2021-02-01', rates: percent })).toThrow(/fraction/);
  });

  it('holds a well-formed, ascending table through 2026', () => {
    const froms = statutoryInterestRates.rates.map((r) => r.from);
    expect([...froms].sort(compareIsoDates)).toEqual(froms);
    expect(statutoryInterestRates.knownThrough).toBe('2026-12-31');
    expect(statutoryInterestRates.rates.map((r) => `${r.from} ${r.rate}`)).toEqual([
      '2012-07-01 0.03', '2015-01-01 0.02', '2023-01-01 0.04', '2023-07-01 0.06',
      '2024-01-01 0.07', '2025-01-01 0.06', '2025-07-01 0.06', '2026-01-01 0.04',
    ]);
  });

  const cents = fc.integer({ min: 0, max: 10_000_000 });
  const principalOf = (c: number) => formatMoney(money(c).dividedBy(100));

  it('property: under a year it equals the day-by-day sum, and the segments cover the period', () => {
    fc.assert(
      fc.property(cents, dateBetween('2012-07-01', '2026-12-31'), fc.integer({ min: 0, max: 364 }), (c, from, wanted) => {
        const days = Math.min(wanted, daysBetween(from, '2027-01-01'));
        const to = addDays(from, days);
        const result = statutoryInterest({ principal: principalOf(c), from, to });
        expect(result.interest).toBe(dailyOracle(principalOf(c), from, to));
        expect(result.segments.reduce((sum, s) => sum + s.days, 0)).toBe(days);
      }),
      { numRuns: 200 },
    );
  });

  it('property: zero over an empty period, and never decreasing as `to` grows', () => {
    fc.assert(
      fc.property(cents, dateBetween('2012-07-01', '2026-12-31'), fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 400 }), (c, from, a, b) => {
        expect(statutoryInterest({ principal: principalOf(c), from, to: from }).interest).toBe('0.00');
        const last = daysBetween(from, '2027-01-01');
        const [near, far] = [Math.min(a, last), Math.min(a + b, last)];
        const nearer = statutoryInterest({ principal: principalOf(c), from, to: addDays(from, near) });
        const farther = statutoryInterest({ principal: principalOf(c), from, to: addDays(from, far) });
        expect(money(farther.interest).gte(nearer.interest)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('property: compounding never earns less than simple interest', () => {
    fc.assert(
      fc.property(cents, dateBetween('2012-07-01', '2022-01-01'), fc.integer({ min: 366, max: 1500 }), (c, from, days) => {
        const to = addDays(from, days);
        const compound = statutoryInterest({ principal: principalOf(c), from, to });
        const simple = sumMoney(interestSegments(principalOf(c), from, to).map((s) => s.interest));
        // One cent of slack per year for the rounding of each capitalization.
        expect(money(compound.interest).plus(money(compound.capitalized.length).dividedBy(100)).gte(simple.toDecimalPlaces(2))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
