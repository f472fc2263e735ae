import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectionCosts, collectionCostsOver, lowestBandCeiling, vatOnCosts, vatRateOn } from '../../../shared/legal/collection-costs.js';
import { formatMoney } from '../../../shared/money.js';

const costsOf = (principal: string) => formatMoney(collectionCostsOver(principal));
const asMoney = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/** An independent oracle in integer thousandths of a cent: bands in per mille, half up. */
function oracleCents(principalCents: number): number {
  const bands: [number, number][] = [[250_000, 150], [500_000, 100], [1_000_000, 50], [20_000_000, 10], [Number.MAX_SAFE_INTEGER, 5]];
  let lower = 0;
  let thousandths = 0n;
  for (const [upper, perMille] of bands) {
    if (principalCents <= lower) break;
    thousandths += BigInt(Math.min(principalCents, upper) - lower) * BigInt(perMille);
    lower = upper;
  }
  const cents = Number((thousandths + 500n) / 1000n);
  return Math.min(Math.max(cents, 4000), 677_500);
}

describe('collection costs (BIK)', () => {
  it.each([
    ['100.00', '40.00'],
    ['300.00', '45.00'],
    ['2500.00', '375.00'],
    ['3000.00', '425.00'],
    ['12000.00', '895.00'],
    ['812.35', '121.85'],
    ['200.00', '40.00'],
    ['0.01', '40.00'],
    ['266.67', '40.00'],
    ['266.70', '40.01'],
    ['5000.00', '625.00'],
    ['10000.00', '875.00'],
    ['200000.00', '2775.00'],
    ['1000000.00', '6775.00'],
    ['2000000.00', '6775.00'],
  ])('%s → %s', (principal, costs) => {
    expect(costsOf(principal)).toBe(costs);
  });

  it('computes the lowest band ceiling: 40.00 / 15% = 266.67', () => {
    expect(lowestBandCeiling).toBe('266.67');
  });

  it('adds 21% VAT only under the vatSurcharge setting (api.md example)', () => {
    expect(collectionCosts({ principal: '3000.00', vatSurcharge: true })).toEqual({ principal: '3000.00', collectionCosts: '425.00', vat: '89.25', total: '514.25' });
    expect(collectionCosts({ principal: '3000.00', vatSurcharge: false })).toEqual({ principal: '3000.00', collectionCosts: '425.00', vat: '0.00', total: '425.00' });
    expect(collectionCosts({ principal: '812.35', vatSurcharge: true, on: '2026-05-12' })).toEqual({ principal: '812.35', collectionCosts: '121.85', vat: '25.59', total: '147.44' });
    expect(formatMoney(vatOnCosts('40.00', true, '2026-01-01'))).toBe('8.40');
  });

  it('keeps the VAT rate as dated data', () => {
    expect(vatRateOn('2026-01-01')).toBe('0.21');
    expect(vatRateOn()).toBe('0.21');
    expect(() => vatRateOn('2012-09-30')).toThrow(/no VAT rate known/);
    expect(() => vatRateOn('2026-02-30')).toThrow(/not a calendar date/);
  });

  it('refuses a principal of zero or less', () => {
    expect(() => collectionCostsOver('0.00')).toThrow(RangeError);
    expect(() => collectionCostsOver('-10.00')).toThrow(RangeError);
  });

  const principalCents = fc.integer({ min: 1, max: 150_000_000 });

  it('property: the costs agree with an integer oracle', () => {
    fc.assert(
      fc.property(principalCents, (cents) => {
        expect(costsOf(asMoney(cents))).toBe(asMoney(oracleCents(cents)));
      }),
      { numRuns: 1000 },
    );
  });

  it('property: never below 40.00 or above 6775.00, and never decreasing in the principal', () => {
    fc.assert(
      fc.property(principalCents, principalCents, (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const lowCosts = collectionCostsOver(asMoney(low));
        const highCosts = collectionCostsOver(asMoney(high));
        expect(lowCosts.gte('40.00') && highCosts.lte('6775.00')).toBe(true);
        expect(lowCosts.lte(highCosts)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
