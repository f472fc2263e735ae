import type { Decimal } from 'decimal.js';
import { compareIsoDates, parseIsoDate, type IsoDate } from '../calendar/iso-date.js';
import { formatMoney, money, type MoneyString } from '../money.js';

export type AllocationKind = 'costs' | 'interest' | 'principal';

/**
 * Costs are owed per 14-day letter (the WIK costs are computed once over the letter's claims) or
 * per bailiff's act, not per claim; so they are items of the case with a reference of their own.
 */
export interface OpenCosts {
  /** The letter or the bailiff's act the costs belong to. */
  readonly ref: string;
  /** The day the costs became owed; the oldest are paid first. */
  readonly chargedOn: IsoDate;
  readonly amount: MoneyString;
}

/** Interest and principal are owed per claim. */
export interface OpenClaimItems {
  readonly claimId: string;
  readonly dueDate: IsoDate;
  readonly interest: MoneyString;
  readonly principal: MoneyString;
}

export interface OpenItems {
  readonly costs: readonly OpenCosts[];
  readonly claims: readonly OpenClaimItems[];
}

export interface AllocationLine {
  readonly kind: AllocationKind;
  /** The costs' `ref`, or the `claimId` for interest and principal. */
  readonly ref: string;
  readonly amount: MoneyString;
}

export interface PaymentAllocation {
  /** In the order the payment was applied; only items that received something. */
  readonly lines: readonly AllocationLine[];
  /** What is still open after the payment; items paid in full are left out. */
  readonly remaining: OpenItems;
  /** What is left of the payment when everything is paid: a credit, never a negative item. */
  readonly credit: MoneyString;
}

const kindRank: Readonly<Record<AllocationKind, number>> = { costs: 0, interest: 1, principal: 2 };

interface Due {
  readonly kind: AllocationKind;
  readonly ref: string;
  /** "Oldest first": the due date (claims) or charge date (costs). */
  readonly order: string;
  readonly amount: Decimal;
}

/** Whole cents, at least 0: anything else cannot be split into lines that add up exactly. */
function centsAmount(value: MoneyString | Decimal, what: string): Decimal {
  const amount = money(value);
  if (amount.isNegative() && !amount.isZero()) throw new RangeError(`${what} cannot be negative (got ${amount.toString()})`);
  if (amount.decimalPlaces() > 2) throw new RangeError(`${what} must be in whole cents (got ${amount.toString()})`);
  return amount;
}

function byAllocationOrder(a: Due, b: Due): number {
  return kindRank[a.kind] - kindRank[b.kind] || compareIsoDates(a.order, b.order) || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0);
}

function allocateInOrder(payment: Decimal, dues: readonly Due[]): { lines: AllocationLine[]; rest: Map<Due, Decimal>; credit: Decimal } {
  let left = payment;
  const lines: AllocationLine[] = [];
  const rest = new Map<Due, Decimal>();
  for (const due of [...dues].sort(byAllocationOrder)) {
    const paid = left.lt(due.amount) ? left : due.amount;
    if (paid.gt(0)) {
      lines.push({ kind: due.kind, ref: due.ref, amount: formatMoney(paid) });
      left = left.minus(paid);
    }
    rest.set(due, due.amount.minus(paid));
  }
  return { lines, rest, credit: left };
}

function requireUnique(refs: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const ref of refs) {
    if (seen.has(ref)) throw new RangeError(`${what} ${ref} is listed twice`);
    seen.add(ref);
  }
}

/**
 * Art. 6:44 lid 1 BW: a payment goes first to the costs, then to the interest, then to the
 * principal; across claims the oldest first (art. 6:43 lid 2, domain.md §6). Read as one order for
 * the whole case: all costs (oldest charge first), then the interest of every claim, then the
 * principal of every claim (both by due date, then claim ID). The lines plus the credit always add
 * up to the payment exactly; an overpayment becomes a credit, never a negative item. Amounts are
 * whole cents, at least 0.
 */
export function allocatePayment(payment: MoneyString | Decimal, open: OpenItems): PaymentAllocation {
  return allocateOpenItems(centsAmount(payment, 'a payment'), open);
}

function allocateOpenItems(payment: Decimal, open: OpenItems): PaymentAllocation {
  requireUnique(open.costs.map((c) => c.ref), 'costs');
  requireUnique(open.claims.map((c) => c.claimId), 'claim');
  const costs = open.costs.map((c) => ({ item: c, due: { kind: 'costs', ref: c.ref, order: parseIsoDate(c.chargedOn), amount: centsAmount(c.amount, `costs ${c.ref}`) } as const }));
  const claims = open.claims.map((c) => ({
    item: c,
    interest: { kind: 'interest', ref: c.claimId, order: parseIsoDate(c.dueDate), amount: centsAmount(c.interest, `interest of ${c.claimId}`) } as const,
    principal: { kind: 'principal', ref: c.claimId, order: c.dueDate, amount: centsAmount(c.principal, `principal of ${c.claimId}`) } as const,
  }));
  const { lines, rest, credit } = allocateInOrder(payment, [...costs.map((c) => c.due), ...claims.flatMap((c) => [c.interest, c.principal])]);
  const restOf = (due: Due) => rest.get(due)!;
  return {
    lines,
    remaining: {
      costs: costs.filter((c) => restOf(c.due).gt(0)).map((c) => ({ ...c.item, amount: formatMoney(restOf(c.due)) })),
      claims: claims
        .filter((c) => restOf(c.interest).gt(0) || restOf(c.principal).gt(0))
        .map((c) => ({ ...c.item, interest: formatMoney(restOf(c.interest)), principal: formatMoney(restOf(c.principal)) })),
    },
    credit: formatMoney(credit),
  };
}

