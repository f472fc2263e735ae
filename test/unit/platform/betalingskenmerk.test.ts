import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidBetalingskenmerk, makeBetalingskenmerk } from '../../../shared/bank/betalingskenmerk.js';

describe('betalingskenmerk (Dutch structured payment reference)', () => {
  it('matches the published example and real bank references', () => {
    expect(makeBetalingskenmerk('000056789012345')).toBe('5000056789012345');
    expect(isValidBetalingskenmerk('0010008346912014')).toBe(true);
    expect(isValidBetalingskenmerk('6390338414964113')).toBe(true);
  });

  it('catches a mistyped digit, except where the spec folds check value 10 onto 1', () => {
    const weights = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1];
    const residue = (body: string) => [...body].reverse().reduce((sum, d, i) => sum + Number(d) * weights[i % 10]!, 0) % 11;
    fc.assert(
      fc.property(fc.stringMatching(/^\d{15}$/), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 9 }), (body, position, delta) => {
        const reference = makeBetalingskenmerk(body);
        expect(isValidBetalingskenmerk(reference)).toBe(true);
        const digits = [...reference];
        digits[position] = String((Number(digits[position]) + delta) % 10);
        const typo = digits.join('');
        const folded = new Set([residue(body), residue(typo.slice(1))]);
        const specBlindSpot = folded.has(1) && folded.has(10);
        if (!specBlindSpot) expect(isValidBetalingskenmerk(typo)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses bodies of the wrong length', () => {
    expect(() => makeBetalingskenmerk('123')).toThrow();
  });
});
