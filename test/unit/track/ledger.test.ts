import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../shared/calendar/iso-date.js';
import { allocatePayment } from '../../../shared/legal/payment-allocation.js';
import { statutoryInterest } from '../../../shared/legal/statutory-interest.js';
import { formatMoney, money, sumMoney } from '../../../shared/money.js';
import { deriveLedger, type LedgerPayment } from '../../../shared/track/ledger.js';

const claim = (invoiceRef: string, amount: string, dueDate: string) => ({ invoiceRef, amount, dueDate });

describe('track ledger', () => {
  it('runs statutory interest from the day after the due date', () => {
    const ledger = deriveLedger({ claims: [claim('R-1', '1000.00', '2026-01-01')], payments: [], costCharges: [], asOf: '2026-07-02' });
    const expected = statutoryInterest({ principal: '1000.00', from: '2026-01-02', to: '2026-07-02' }).interest;
    expect(ledger.balance.interest).toBe(expected);
    expect(ledger.balance.outstanding).toBe(formatMoney(money('1000.00').plus(expected)));
  });

  it('adds the year of interest to the principal on the anniversary of default', () => {
    const ledger = deriveLedger({ claims: [claim('R-1', '1000.00', '2025-01-01')], payments: [], costCharges: [], asOf: '2026-07-02' });
    const expected = statutoryInterest({ principal: '1000.00', from: '2025-01-02', to: '2026-07-02' });
    expect(expected.capitalized).toHaveLength(1);
    expect(ledger.balance.interest).toBe(expected.interest);
    expect(ledger.claims[0]!.open).toBe(formatMoney(money('1000.00').plus(expected.capitalized[0]!.amount)));
  });

  it('allocates a payment to costs, then interest, then the oldest principal (art. 6:44 BW)', () => {
    const ledger = deriveLedger({
      claims: [claim('R-2', '500.00', '2026-02-01'), claim('R-1', '500.00', '2026-01-01')],
      payments: [{ transactionId: 't1', amount: '150.00', bookedOn: '2026-03-01' }],
      costCharges: [{ letterId: 'L1', chargedOn: '2026-02-20', collectionCosts: '75.00', vat: '0.00' }],
      asOf: '2026-03-01',
    });
    const interestR1 = statutoryInterest({ principal: '500.00', from: '2026-01-02', to: '2026-03-01' }).segments.reduce((s, x) => s.plus(x.interest), money(0));
    const interestR2 = statutoryInterest({ principal: '500.00', from: '2026-02-02', to: '2026-03-01' }).segments.reduce((s, x) => s.plus(x.interest), money(0));
    const toPrincipal = money('150.00').minus('75.00').minus(interestR1.toDecimalPlaces(2)).minus(interestR2.toDecimalPlaces(2));
    expect(ledger.claims.find((c) => c.invoiceRef === 'R-1')!.open).toBe(formatMoney(money('500.00').minus(toPrincipal)));
    expect(ledger.claims.find((c) => c.invoiceRef === 'R-2')!.open).toBe('500.00');
    expect(ledger.balance.collectionCosts).toBe('75.00');
  });

  it('leaves an overpayment as a credit, never a negative claim, and applies it to a later claim', () => {
    const early = deriveLedger({ claims: [claim('R-1', '100.00', '2026-03-01')], payments: [{ transactionId: 't', amount: '250.00', bookedOn: '2026-02-25' }], costCharges: [], asOf: '2026-03-10' });
    expect(early.balance).toMatchObject({ outstanding: '0.00', credit: '150.00', interest: '0.00' });
    const later = deriveLedger({
      claims: [claim('R-1', '100.00', '2026-03-01'), claim('R-2', '100.00', '2026-04-01')],
      payments: [{ transactionId: 't', amount: '250.00', bookedOn: '2026-02-25' }],
      costCharges: [],
      asOf: '2026-04-10',
    });
    expect(later.balance).toMatchObject({ outstanding: '0.00', credit: '50.00' });
  });

  it('always balances: principal + costs + VAT + interest − paid = outstanding − credit', () => {
    const arbitraryLedger = fc.record({
      amounts: fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 6 }),
      payments: fc.array(fc.record({ cents: fc.integer({ min: 1, max: 300_000 }), day: fc.integer({ min: 0, max: 700 }) }), { maxLength: 6 }),
      costs: fc.option(fc.record({ cents: fc.integer({ min: 4000, max: 100_000 }), day: fc.integer({ min: 0, max: 700 }) })),
      asOfDay: fc.integer({ min: 0, max: 720 }),
    });
    fc.assert(
      fc.property(arbitraryLedger, ({ amounts, payments, costs, asOfDay }) => {
        const start = '2024-03-01';
        const claims = amounts.map((cents, i) => claim(`R-${i}`, formatMoney(money(cents).dividedBy(100)), addDays(start, i * 30)));
        const paymentList: LedgerPayment[] = payments.map((p, i) => ({ transactionId: `t${i}`, amount: formatMoney(money(p.cents).dividedBy(100)), bookedOn: addDays(start, p.day) }));
        const asOf = addDays(start, asOfDay);
        const costCharges = costs ? [{ letterId: 'L', chargedOn: addDays(start, costs.day), collectionCosts: formatMoney(money(costs.cents).dividedBy(100)), vat: '0.00' }] : [];
        const { balance, claims: states } = deriveLedger({ claims, payments: paymentList, costCharges, asOf });
        const left = money(balance.principal).plus(balance.collectionCosts).plus(balance.vat).plus(balance.interest).minus(balance.paid);
        expect(formatMoney(left)).toBe(formatMoney(money(balance.outstanding).minus(balance.credit)));
        for (const value of [balance.outstanding, balance.credit, balance.interest, ...states.map((s) => s.open)]) expect(money(value).gte(0)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('property: a payment moves the open items exactly as allocatePayment allocates it (art. 6:44 BW)', () => {
    const arbitraryTrack = fc.record({
      amounts: fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 6 }),
      earlier: fc.array(fc.record({ cents: fc.integer({ min: 1, max: 300_000 }), day: fc.integer({ min: 0, max: 499 }) }), { maxLength: 4 }),
      costs: fc.option(fc.record({ cents: fc.integer({ min: 4000, max: 100_000 }), vat: fc.integer({ min: 0, max: 20_000 }), day: fc.integer({ min: 0, max: 500 }) })),
      paymentCents: fc.integer({ min: 1, max: 400_000 }),
    });
    fc.assert(
      fc.property(arbitraryTrack, ({ amounts, earlier, costs, paymentCents }) => {
        const start = '2024-03-01';
        const asOf = addDays(start, 500);
        const cents = (c: number) => formatMoney(money(c).dividedBy(100));
        const track = {
          claims: amounts.map((c, i) => claim(`R-${i}`, cents(c), addDays(start, i * 45))),
          costCharges: costs ? [{ letterId: 'L', chargedOn: addDays(start, costs.day), collectionCosts: cents(costs.cents), vat: cents(costs.vat) }] : [],
          asOf,
        };
        const earlierPayments: LedgerPayment[] = earlier.map((p, i) => ({ transactionId: `t${i}`, amount: cents(p.cents), bookedOn: addDays(start, p.day) }));
        const payment = cents(paymentCents);
        const before = deriveLedger({ ...track, payments: earlierPayments });
        const after = deriveLedger({ ...track, payments: [...earlierPayments, { transactionId: 'now', amount: payment, bookedOn: asOf }] });

        const claimsOpen = sumMoney(before.claims.flatMap((c) => [c.open, c.openInterest]));
        const costsOpen = formatMoney(money(before.balance.outstanding).minus(claimsOpen));
        const expected = allocatePayment(payment, {
          costs: money(costsOpen).gt(0) ? [{ ref: 'L', chargedOn: track.costCharges[0]!.chargedOn, amount: costsOpen }] : [],
          claims: before.claims.map((c) => ({ claimId: c.invoiceRef, dueDate: c.dueDate, interest: c.openInterest, principal: c.open })),
        });
        const expectedOf = (ref: string) => expected.remaining.claims.find((c) => c.claimId === ref);
        expect(after.claims.map((c) => ({ ref: c.invoiceRef, interest: c.openInterest, principal: c.open }))).toEqual(
          before.claims.map((c) => ({ ref: c.invoiceRef, interest: expectedOf(c.invoiceRef)?.interest ?? '0.00', principal: expectedOf(c.invoiceRef)?.principal ?? '0.00' })),
        );
        expect(formatMoney(money(after.balance.outstanding).minus(sumMoney(after.claims.flatMap((c) => [c.open, c.openInterest]))))).toBe(expected.remaining.costs[0]?.amount ?? '0.00');
        expect(after.balance.credit).toBe(formatMoney(money(before.balance.credit).plus(expected.credit)));
      }),
      { numRuns: 200 },
    );
  });
});
