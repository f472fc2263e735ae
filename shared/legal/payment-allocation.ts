import type { Decimal } from 'decimal.js';
import { formatMoney, money, type MoneyString } from '../money.js';

/**
 * Open items a payment can go to. Costs are per 14-day letter, interest and principal per claim;
 * `order` is what "oldest first" means (the claim's due date, then its reference).
 */
export interface OpenItem {
  readonly kind: 'costs' | 'interest' | 'principal';
  /** The letter (costs) or claim (interest, principal) the item belongs to. */
  readonly ref: string;
  readonly order: string;
  readonly amount: MoneyString;
}

export interface AllocationLine {
  readonly kind: OpenItem['kind'];
  readonly ref: string;
  readonly amount: MoneyString;
}

export interface Allocation {
  readonly lines: readonly AllocationLine[];
  readonly remaining: readonly OpenItem[];
  /** What is left of the payment when everything is paid: a credit, never a negative item. */
  readonly credit: MoneyString;
}

const kindRank = { costs: 0, interest: 1, principal: 2 } as const;

/**
 * Art. 6:44 BW: a payment goes first to the costs, then to the interest, then to the principal;
 * within each, the oldest item first. The lines plus the credit always add up to the payment.
 */
export function allocatePayment(payment: string | Decimal, items: readonly OpenItem[]): Allocation {
  let left = money(payment);
  if (left.isNegative()) throw new Error('a payment cannot be negative');
  const ordered = [...items].sort(
    (a, b) => kindRank[a.kind] - kindRank[b.kind] || (a.order < b.order ? -1 : a.order > b.order ? 1 : 0) || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0),
  );
  const lines: AllocationLine[] = [];
  const remaining: OpenItem[] = [];
  for (const item of ordered) {
    const open = money(item.amount);
    const paid = left.lt(open) ? left : open;
    if (paid.gt(0)) {
      lines.push({ kind: item.kind, ref: item.ref, amount: formatMoney(paid) });
      left = left.minus(paid);
    }
    const rest = open.minus(paid);
    if (rest.gt(0)) remaining.push({ ...item, amount: formatMoney(rest) });
  }
  return { lines, remaining, credit: formatMoney(left) };
}
