import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../shared/calendar/iso-date.js';
import { allocatePayment, type OpenItems } from '../../../shared/legal/payment-allocation.js';
import { formatMoney, money, sumMoney } from '../../../shared/money.js';

const open: OpenItems = {
  costs: [{ ref: 'W1', chargedOn: '2026-02-20', amount: '75.00' }],
  claims: [
    { claimId: 'R-2026-02', dueDate: '2026-02-01', interest: '2.00', principal: '500.00' },
    { claimId: 'R-2026-01', dueDate: '2026-01-01', interest: '5.00', principal: '500.00' },
  ],
};

describe('payment allocation (art. 6:44 BW)', () => {
  it('pays costs, then interest, then principal, oldest claim first', () => {
    expect(allocatePayment('150.00', open)).toEqual({
      lines: [
        { kind: 'costs', ref: 'W1', amount: '75.00' },
        { kind: 'interest', ref: 'R-2026-01', amount: '5.00' },
        { kind: 'interest', ref: 'R-2026-02', amount: '2.00' },
        { kind: 'principal', ref: 'R-2026-01', amount: '68.00' },
      ],
      remaining: {
        costs: [],
        claims: [
          { claimId: 'R-2026-02', dueDate: '2026-02-01', interest: '0.00', principal: '500.00' },
          { claimId: 'R-2026-01', dueDate: '2026-01-01', interest: '0.00', principal: '432.00' },
        ],
      },
      credit: '0.00',
    });
  });

  it('pays part of the costs when the payment is short, oldest charge first', () => {
    const twoLetters: OpenItems = { costs: [{ ref: 'W2', chargedOn: '2026-04-01', amount: '40.00' }, { ref: 'W1', chargedOn: '2026-02-20', amount: '75.00' }], claims: [] };
    expect(allocatePayment('100.00', twoLetters)).toEqual({
      lines: [
        { kind: 'costs', ref: 'W1', amount: '75.00' },
        { kind: 'costs', ref: 'W2', amount: '25.00' },
      ],
      remaining: { costs: [{ ref: 'W2', chargedOn: '2026-04-01', amount: '15.00' }], claims: [] },
      credit: '0.00',
    });
  });

  it('orders claims with the same due date by claim ID', () => {
    const tie: OpenItems = { costs: [], claims: [{ claimId: 'B', dueDate: '2026-01-01', interest: '0.00', principal: '10.00' }, { claimId: 'A', dueDate: '2026-01-01', interest: '0.00', principal: '10.00' }] };
    expect(allocatePayment('15.00', tie).lines).toEqual([
      { kind: 'principal', ref: 'A', amount: '10.00' },
      { kind: 'principal', ref: 'B', amount: '5.00' },
    ]);
  });

  it('leaves an overpayment as a credit, never a negative item', () => {
    expect(allocatePayment('1100.00', open)).toMatchObject({ remaining: { costs: [], claims: [] }, credit: '18.00' });
    expect(allocatePayment('0.00', open)).toMatchObject({ lines: [], credit: '0.00', remaining: open });
    expect(allocatePayment('10.00', { costs: [], claims: [] })).toEqual({ lines: [], remaining: { costs: [], claims: [] }, credit: '10.00' });
  });

  it('refuses negative amounts, fractions of cents and items listed twice', () => {
    expect(() => allocatePayment('-1.00', open)).toThrow(/negative/);
    expect(() => allocatePayment('1.005', open)).toThrow(/whole cents/);
    expect(() => allocatePayment('1.00', { costs: [{ ref: 'W', chargedOn: '2026-01-01', amount: '-5.00' }], claims: [] })).toThrow(/negative/);
    expect(() => allocatePayment('1.00', { costs: [], claims: [open.claims[0]!, open.claims[0]!] })).toThrow(/twice/);
    expect(() => allocatePayment('1.00', { costs: [{ ref: 'W', chargedOn: '2026-02-30', amount: '5.00' }], claims: [] })).toThrow(/not a calendar date/);
  });

  const amount = fc.integer({ min: 0, max: 500_000 }).map((c) => formatMoney(money(c).dividedBy(100)));
  const openItems: fc.Arbitrary<OpenItems> = fc.record({
    costs: fc.uniqueArray(fc.record({ ref: fc.string({ minLength: 1, maxLength: 3 }), day: fc.integer({ min: 0, max: 400 }), amount }), { selector: (c) => c.ref, maxLength: 4 }).map((costs) =>
      costs.map((c) => ({ ref: c.ref, chargedOn: addDays('2025-01-01', c.day), amount: c.amount })),
    ),
    claims: fc.uniqueArray(fc.record({ claimId: fc.string({ minLength: 1, maxLength: 3 }), day: fc.integer({ min: 0, max: 400 }), interest: amount, principal: amount }), { selector: (c) => c.claimId, maxLength: 6 }).map((claims) =>
      claims.map((c) => ({ claimId: c.claimId, dueDate: addDays('2025-01-01', c.day), interest: c.interest, principal: c.principal })),
    ),
  });
  const openTotal = (items: OpenItems) => sumMoney([...items.costs.map((c) => c.amount), ...items.claims.flatMap((c) => [c.interest, c.principal])]);

  it('property: the parts always add up to the payment, and no item goes negative', () => {
    fc.assert(
      fc.property(amount, openItems, (payment, items) => {
        const result = allocatePayment(payment, items);
        expect(sumMoney([...result.lines.map((l) => l.amount), result.credit]).eq(payment)).toBe(true);
        expect(openTotal(result.remaining).plus(sumMoney(result.lines.map((l) => l.amount))).eq(openTotal(items))).toBe(true);
        for (const line of result.lines) expect(money(line.amount).gt(0)).toBe(true);
        for (const c of result.remaining.costs) expect(money(c.amount).gt(0)).toBe(true);
        for (const c of result.remaining.claims) expect(money(c.interest).gte(0) && money(c.principal).gte(0)).toBe(true);
        expect(money(result.credit).gte(0)).toBe(true);
        if (money(result.credit).gt(0)) expect(openTotal(result.remaining).isZero()).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('property: nothing goes to interest while costs are open, nor to principal while interest is open', () => {
    fc.assert(
      fc.property(amount, openItems, (payment, items) => {
        const result = allocatePayment(payment, items);
        const costsLeft = sumMoney(result.remaining.costs.map((c) => c.amount));
        const interestLeft = sumMoney(result.remaining.claims.map((c) => c.interest));
        if (costsLeft.gt(0)) expect(result.lines.every((l) => l.kind === 'costs')).toBe(true);
        if (interestLeft.gt(0)) expect(result.lines.some((l) => l.kind === 'principal')).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
