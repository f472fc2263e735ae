import { describe, expect, it } from 'vitest';
import { outcomeFit, returnKind, sequenceTypeOfBatch } from '../../../services/bank/direct-debit-outcomes/outcome-rules.js';

describe('what a bank outcome is for one of our direct debits', () => {
  it('MD06 and MD01 are refunds at the occupant\'s request; every other code, or none, a return', () => {
    expect(returnKind('MD06')).toBe('refunded');
    expect(returnKind('MD01')).toBe('refunded');
    for (const code of ['AM04', 'AC04', 'AC01', 'MS02', 'MS03', 'MD07', null]) expect(returnKind(code)).toBe('returned');
  });

  it('an outcome applies to a debit that went to the bank, once; what the debit is already is a repeat', () => {
    expect(outcomeFit('submitted', 'rejected')).toBe('new');
    expect(outcomeFit('collected', 'rejected')).toBe('new');
    expect(outcomeFit('rejected', 'rejected')).toBe('repeat');
    expect(outcomeFit('refunded', 'rejected')).toBe('does_not_fit');
    expect(outcomeFit('collected', 'refunded')).toBe('new');
    expect(outcomeFit('refunded', 'refunded')).toBe('repeat');
    expect(outcomeFit('returned', 'returned')).toBe('repeat');
    // A refund cannot follow a return (the money never arrived), nor anything a withheld debit.
    expect(outcomeFit('returned', 'refunded')).toBe('does_not_fit');
    expect(outcomeFit('withheld', 'returned')).toBe('does_not_fit');
    expect(outcomeFit('rejected', 'returned')).toBe('does_not_fit');
  });

  it('a batch id names its sequence type when it carries one as a token of its own', () => {
    expect(sequenceTypeOfBatch('DD-2026-07-0001-RCUR')).toBe('RCUR');
    expect(sequenceTypeOfBatch('VS202607R1-0ABCDEFRST123-1')).toBeNull();
    expect(sequenceTypeOfBatch('VS202607R1-0ABC-1')).toBeNull();
  });
});
