import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, compareIsoDates } from '../../../shared/calendar/iso-date.js';
import { collectionCostsOver } from '../../../shared/legal/collection-costs.js';
import {
  defaultSmallInstalmentRule,
  nextWikLetterContent,
  type EarlierWikLetter,
  type OpenClaim,
} from '../../../shared/legal/wik-letter-claims.js';
import { money, sumMoney } from '../../../shared/money.js';
import { dateBetween } from '../calendar/arbitraries.js';

const claim = (claimId: string, dueDate: string, openPrincipal: string): OpenClaim => ({ claimId, dueDate, openPrincipal });

describe('one 14-day letter for all claims in default (art. 6:96 lid 7)', () => {
  const claims = [claim('R-2026-02', '2026-02-01', '700.00'), claim('R-2026-01', '2026-01-01', '700.00'), claim('R-2026-03', '2026-03-01', '700.00')];

  it('puts every claim in default in one letter and computes the costs once over their sum', () => {
    const letter = nextWikLetterContent({ openClaims: claims, earlierLetters: [], today: '2026-03-01' });
    expect(letter).toEqual({ claimIds: ['R-2026-01', 'R-2026-02'], principal: '1400.00', collectionCosts: '210.00', smallInstalments: null });
  });

  it('counts a claim as in default from the day after its due date', () => {
    expect(nextWikLetterContent({ openClaims: claims, earlierLetters: [], today: '2026-03-02' })?.claimIds).toEqual(['R-2026-01', 'R-2026-02', 'R-2026-03']);
    expect(nextWikLetterContent({ openClaims: [claim('R', '2026-03-01', '700.00')], earlierLetters: [], today: '2026-03-01' })).toBeNull();
  });

  it('gives a claim that fell due after an earlier letter a letter of its own, never a claim twice', () => {
    const earlier: EarlierWikLetter = { letterId: 'W1', postedOn: '2026-03-01', claimIds: ['R-2026-01', 'R-2026-02'], principal: '1400.00', collectionCosts: '210.00' };
    expect(nextWikLetterContent({ openClaims: claims, earlierLetters: [earlier], today: '2026-03-02' })).toEqual({
      claimIds: ['R-2026-03'],
      principal: '700.00',
      collectionCosts: '105.00',
      smallInstalments: null,
    });
    expect(nextWikLetterContent({ openClaims: claims.slice(0, 2), earlierLetters: [earlier], today: '2026-04-01' })).toBeNull();
  });

  it('leaves out paid claims and takes what is still open of a partly paid one', () => {
    const letter = nextWikLetterContent({ openClaims: [claim('A', '2026-01-01', '0.00'), claim('B', '2026-02-01', '350.50')], earlierLetters: [], today: '2026-03-01' });
    expect(letter).toMatchObject({ claimIds: ['B'], principal: '350.50', collectionCosts: '52.58' });
  });

  it('orders claims with the same due date by ID, and refuses a claim listed twice', () => {
    expect(nextWikLetterContent({ openClaims: [claim('b', '2026-01-01', '10.00'), claim('a', '2026-01-01', '10.00')], earlierLetters: [], today: '2026-02-01' })?.claimIds).toEqual(['a', 'b']);
    expect(() => nextWikLetterContent({ openClaims: [claim('a', '2026-01-01', '1.00'), claim('a', '2026-02-01', '1.00')], earlierLetters: [], today: '2026-03-01' })).toThrow(/twice/);
  });
});

describe('small instalments (art. 6:96 lid 8, unsettled: our interpretation)', () => {
  /** Sends one letter a month for a new small claim each month, as the workflow would. */
  function monthlyLetters(firstPosted: string, count: number, amount: string, rule = defaultSmallInstalmentRule): EarlierWikLetter[] {
    const letters: EarlierWikLetter[] = [];
    for (let month = 0; month < count; month++) {
      const today = addMonths(firstPosted, month);
      const content = nextWikLetterContent({ openClaims: [claim(`R${month}`, addDays(today, -9), amount)], earlierLetters: letters, today, smallInstalments: rule });
      letters.push({ letterId: `W${month}`, postedOn: today, claimIds: [...content!.claimIds], principal: content!.principal, collectionCosts: content!.collectionCosts });
    }
    return letters;
  }

  it('counts the small letters of the last 6 months together: never more than one letter over them, nor the 140.00 cap', () => {
    const letters = monthlyLetters('2026-01-10', 8, '200.00');
    expect(letters.map((l) => l.collectionCosts)).toEqual(['40.00', '20.00', '30.00', '30.00', '20.00', '0.00', '0.00', '40.00']);
  });

  it('explains the reduction for the letter', () => {
    const letters = monthlyLetters('2026-01-10', 1, '200.00');
    const second = nextWikLetterContent({ openClaims: [claim('R1', '2026-02-01', '200.00')], earlierLetters: letters, today: '2026-02-10' });
    expect(second).toEqual({
      claimIds: ['R1'],
      principal: '200.00',
      collectionCosts: '20.00',
      smallInstalments: { windowFrom: '2025-08-10', earlierLetterIds: ['W0'], combinedPrincipal: '400.00', costsAlreadyClaimed: '40.00', costsBeforeRule: '40.00' },
    });
  });

  it('leaves letters above the lowest band alone, and does not count them', () => {
    const large: EarlierWikLetter = { letterId: 'L', postedOn: '2026-01-10', claimIds: ['X'], principal: '700.00', collectionCosts: '105.00' };
    expect(nextWikLetterContent({ openClaims: [claim('Y', '2026-02-01', '700.00')], earlierLetters: [large], today: '2026-02-10' })?.collectionCosts).toBe('105.00');
    expect(nextWikLetterContent({ openClaims: [claim('Y', '2026-02-01', '100.00')], earlierLetters: [large], today: '2026-02-10' })?.collectionCosts).toBe('40.00');
    expect(nextWikLetterContent({ openClaims: [claim('Y', '2026-02-01', '266.68')], earlierLetters: [], today: '2026-02-10' })?.smallInstalments).toBeNull();
  });

  it('does not apply before 1 October 2024', () => {
    expect(monthlyLetters('2024-06-01', 4, '100.00').map((l) => l.collectionCosts)).toEqual(['40.00', '40.00', '40.00', '40.00']);
    expect(monthlyLetters('2024-09-01', 2, '100.00').map((l) => l.collectionCosts)).toEqual(['40.00', '0.00']);
  });

  it('takes the look-back and the cap as settings', () => {
    const rule = { effectiveFrom: '2024-10-01', lookbackMonths: 2, capWithinLookback: '50.00' };
    // Window of 2 months: W0 and W1 count for W2; W0 drops out for W3.
    expect(monthlyLetters('2026-01-10', 4, '260.00', rule).map((l) => l.collectionCosts)).toEqual(['40.00', '10.00', '0.00', '40.00']);
    expect(() => nextWikLetterContent({ openClaims: [claim('a', '2026-01-01', '1.00')], earlierLetters: [], today: '2026-02-01', smallInstalments: { ...rule, lookbackMonths: -1 } })).toThrow(RangeError);
  });

  it('property: a new small letter never takes its look-back window above one letter over the combined principal, and the window never above the cap', () => {
    const schedule = fc.array(fc.record({ gapDays: fc.integer({ min: 1, max: 70 }), cents: fc.integer({ min: 1, max: 26_667 }) }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(dateBetween('2024-10-01', '2026-06-30'), schedule, (start, steps) => {
        const letters: EarlierWikLetter[] = [];
        let today = start;
        steps.forEach(({ gapDays, cents }, index) => {
          today = addDays(today, gapDays);
          const amount = money(cents).dividedBy(100).toFixed(2);
          const content = nextWikLetterContent({ openClaims: [claim(`R${index}`, addDays(today, -1), amount)], earlierLetters: letters, today })!;
          const newCosts = money(content.collectionCosts);
          expect(newCosts.gte(0) && newCosts.lte(collectionCostsOver(amount))).toBe(true);
          const windowFrom = addMonths(today, -defaultSmallInstalmentRule.lookbackMonths);
          const before = letters.filter((l) => compareIsoDates(windowFrom, l.postedOn) <= 0);
          const already = sumMoney(before.map((l) => l.collectionCosts));
          const oneLetter = collectionCostsOver(sumMoney(before.map((l) => l.principal)).plus(amount));
          // Earlier letters may already be above one letter over the window, when the letters that
          // justified their costs have left it: then the new letter adds nothing.
          expect(already.plus(newCosts).lte(already.gt(oneLetter) ? already : oneLetter)).toBe(true);
          expect(already.plus(newCosts).lte(defaultSmallInstalmentRule.capWithinLookback)).toBe(true);
          letters.push({ letterId: `W${index}`, postedOn: today, claimIds: [...content.claimIds], principal: content.principal, collectionCosts: content.collectionCosts });
        });
      }),
      { numRuns: 300 },
    );
  });
});
