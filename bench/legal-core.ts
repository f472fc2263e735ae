import { addDays } from '../shared/calendar/iso-date.js';
import { collectionCosts } from '../shared/legal/collection-costs.js';
import { statutoryInterest } from '../shared/legal/statutory-interest.js';
import { wikLetterTerm } from '../shared/legal/wik-letter-term.js';
import { deriveLedger } from '../shared/track/ledger.js';
import type { BenchFigure, BenchSection } from './harness/figure.js';

/** CPU microseconds per call of `fn`, after a warm-up, over at least `minMs` of calls. */
function microsPerCall(fn: (i: number) => unknown, minMs: number): number {
  for (let i = 0; i < 20; i++) fn(i);
  let calls = 0;
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  while (performance.now() - wallStart < minMs) {
    for (let i = 0; i < 10; i++) fn(calls + i);
    calls += 10;
  }
  const cpu = process.cpuUsage(cpuStart);
  return Number(((cpu.user + cpu.system) / calls).toFixed(1));
}

/**
 * The pure code every track runs on every message, step and query. The goals keep a workflow task
 * that derives the ledger a few times well under the 1 s a payment may take to show.
 */
export const legalCoreSection: BenchSection = async ({ quick }) => {
  const minMs = quick ? 250 : 1500;
  const start = '2026-01-01';
  const monthly = (months: number) => Array.from({ length: months }, (_, i) => ({ invoiceRef: `R-${i}`, amount: '812.50', dueDate: addDays(start, i * 30) }));
  const payments = (count: number) => Array.from({ length: count }, (_, i) => ({ transactionId: `t${i}`, amount: '400.00', bookedOn: addDays(start, 15 + i * 30) }));
  const cases: [string, (i: number) => unknown, number][] = [
    ['collectionCosts (BIK bands + VAT)', (i) => collectionCosts({ principal: `${1000 + (i % 5000)}.00`, vatSurcharge: i % 2 === 0 }), 1000],
    ['wikLetterTerm (delivery + Atw)', (i) => wikLetterTerm({ posted: addDays('2026-01-01', i % 700), deliveryDays: 2 }), 1000],
    ['statutoryInterest, 2 years', () => statutoryInterest({ principal: '1000.00', from: '2024-03-01', to: '2026-03-01' }), 1000],
    ['deriveLedger, 3 claims, 1 payment', () => deriveLedger({ claims: monthly(3), payments: payments(1), costCharges: [], asOf: '2026-04-15' }), 2000],
    [
      'deriveLedger, 12 claims, 10 payments, costs',
      () => deriveLedger({ claims: monthly(12), payments: payments(10), costCharges: [{ letterId: 'L', chargedOn: '2026-03-01', collectionCosts: '121.88', vat: '0.00' }], asOf: '2026-12-15' }),
      5000,
    ],
    ['deriveLedger, 36 claims, 30 payments', () => deriveLedger({ claims: monthly(36), payments: payments(30), costCharges: [], asOf: '2028-12-15' }), 10_000],
  ];
  return cases.map(([name, fn, goal]): BenchFigure => ({ section: 'legal core', name, value: microsPerCall(fn, minMs), unit: 'µs', goal: { atMost: goal } }));
};
