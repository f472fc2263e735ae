import { addDays } from '../shared/calendar/iso-date.js';
import { collectionCosts } from '../shared/legal/collection-costs.js';
import { statutoryInterest } from '../shared/legal/statutory-interest.js';
import { wikLetterTerm } from '../shared/legal/wik-letter-term.js';
import { deriveLedger } from '../shared/track/ledger.js';

export interface MicroResult {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly microsPerOp: number;
}

function measure(name: string, fn: (i: number) => unknown, minMs = 1500): MicroResult {
  for (let i = 0; i < 200; i++) fn(i);
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < minMs) {
    for (let i = 0; i < 100; i++) fn(ops + i);
    ops += 100;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { name, opsPerSecond: Math.round((ops / elapsedMs) * 1000), microsPerOp: Number(((elapsedMs * 1000) / ops).toFixed(1)) };
}

/** The pure code every track runs on every message and query. */
export function benchLegalCore(): MicroResult[] {
  const start = '2026-01-01';
  const monthly = (months: number) =>
    Array.from({ length: months }, (_, i) => ({ invoiceRef: `R-${i}`, amount: '812.50', dueDate: addDays(start, i * 30) }));
  const payments = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ transactionId: `t${i}`, amount: '400.00', bookedOn: addDays(start, 15 + i * 30) }));
  return [
    measure('collectionCosts (BIK bands + VAT)', (i) => collectionCosts({ principal: `${1000 + (i % 5000)}.00`, vatSurcharge: i % 2 === 0 })),
    measure('wikLetterTerm (delivery + Atw)', (i) => wikLetterTerm({ posted: addDays('2026-01-01', i % 700), deliveryDays: 2 })),
    measure('statutoryInterest, 2 years', () => statutoryInterest({ principal: '1000.00', from: '2024-03-01', to: '2026-03-01' })),
    measure('deriveLedger, 3 claims, 1 payment', () => deriveLedger({ claims: monthly(3), payments: payments(1), costCharges: [], asOf: '2026-04-15' })),
    measure('deriveLedger, 12 claims, 10 payments, costs', () =>
      deriveLedger({ claims: monthly(12), payments: payments(10), costCharges: [{ letterId: 'L', chargedOn: '2026-03-01', collectionCosts: '121.88', vat: '0.00' }], asOf: '2026-12-15' }),
    ),
    measure('deriveLedger, 36 claims, 30 payments (3-year arrears)', () => deriveLedger({ claims: monthly(36), payments: payments(30), costCharges: [], asOf: '2028-12-15' }), 3000),
  ];
}
