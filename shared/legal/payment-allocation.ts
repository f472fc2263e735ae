/**
 * The allocation of a payment to what a case owes (art. 6:44 BW), written here: it is Dutch law
 * read for this product's items (costs per letter or bailiff's act, interest and principal per
 * claim), which no library holds.
 */
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

/**
 * Something a payment can go to: the costs of a letter or a bailiff's act, or one claim's interest
 * or principal. The holder keeps the amount in its own form (the ledger's interest runs below a
 * cent between payments), so the item says what it owes and takes what it is paid.
 */
export interface PayableItem {
  readonly kind: AllocationKind;
  /** The costs' `ref`, or the claim ID for interest and principal. */
  readonly ref: string;
  /** "Oldest first": the charge date (costs) or the due date (claims). */
  readonly order: IsoDate;
  /** What it owes now, in whole cents, at least 0. */
  owed(): Decimal;
  /** Takes `amount` (more than 0, at most `owed()`) off what it owes; `inFull` when that is all of it. */
  pay(amount: Decimal, inFull: boolean): void;
}

declare const allocationOrderBrand: unique symbol;
/** Payable items in the order of art. 6:44 BW; made by inAllocationOrder only. */
export type AllocationOrder = readonly PayableItem[] & { readonly [allocationOrderBrand]: true };

/**
 * The items in the order allocateToItems pays them (see there). Apart from allocateToItems so that
 * the ledger, which pays the same items at every payment, sorts them only when they change.
 * Items that tie on all three keys keep the caller's order (the sort is stable).
 */
export function inAllocationOrder(items: readonly PayableItem[]): AllocationOrder {
  return [...items].sort(byAllocationOrder) as readonly PayableItem[] as AllocationOrder;
}

function byAllocationOrder(a: PayableItem, b: PayableItem): number {
  return kindRank[a.kind] - kindRank[b.kind] || compareIsoDates(a.order, b.order) || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0);
}

/**
 * Art. 6:44 lid 1 BW: a payment goes first to the costs, then to the interest, then to the
 * principal; across claims the oldest first (art. 6:43 lid 2, domain.md §6). Read as one order for
 * the whole case: all costs (oldest charge first), then the interest of every claim, then the
 * principal of every claim (both by due date, then claim ID); each item takes what is left of the
 * payment up to what it owes, and what is left when everything is paid is a credit, never a
 * negative item. `payment` is whole cents, at least 0; returns the credit.
 *
 * The one implementation of the rule: allocatePayment and deriveLedger (shared/track/ledger.ts)
 * both run on it. It works on the caller's items in place, with Decimals throughout, because
 * deriveLedger applies every payment of a track to dozens of claims, and reading and writing each
 * amount as text per payment was most of its time (bench/legal-core.ts).
 */
export function allocateToItems(payment: Decimal, items: AllocationOrder): Decimal {
  let left = payment;
  for (const item of items) {
    if (left.lte(0)) break;
    const owed = item.owed();
    const inFull = !left.lt(owed);
    const paid = inFull ? owed : left;
    if (paid.lte(0)) continue;
    item.pay(paid, inFull);
    left = left.minus(paid);
  }
  return left;
}

/** Whole cents, at least 0: anything else cannot be split into lines that add up exactly. */
function centsAmount(value: MoneyString | Decimal, what: string): Decimal {
  const amount = money(value);
  if (amount.isNegative() && !amount.isZero()) throw new RangeError(`${what} cannot be negative (got ${amount.toString()})`);
  if (amount.decimalPlaces() > 2) throw new RangeError(`${what} must be in whole cents (got ${amount.toString()})`);
  return amount;
}

function requireUnique(refs: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const ref of refs) {
    if (seen.has(ref)) throw new RangeError(`${what} ${ref} is listed twice`);
    seen.add(ref);
  }
}

/**
 * A payment allocated to open items given as text (allocateToItems' order, art. 6:44 BW), with a
 * line per item paid. The lines plus the credit always add up to the payment exactly. Amounts are
 * whole cents, at least 0; costs refs and claim IDs are unique.
 */
export function allocatePayment(payment: MoneyString | Decimal, open: OpenItems): PaymentAllocation {
  return allocateOpenItems(centsAmount(payment, 'a payment'), open);
}

/** An item of allocatePayment's input: what is still open of it, and a line for each payment to it. */
class OpenItem implements PayableItem {
  constructor(
    readonly kind: AllocationKind,
    readonly ref: string,
    readonly order: IsoDate,
    public open: Decimal,
    private readonly lines: AllocationLine[],
  ) {}
  owed(): Decimal {
    return this.open;
  }
  pay(paid: Decimal): void {
    this.open = this.open.minus(paid);
    this.lines.push({ kind: this.kind, ref: this.ref, amount: formatMoney(paid) });
  }
}

function allocateOpenItems(payment: Decimal, open: OpenItems): PaymentAllocation {
  requireUnique(open.costs.map((c) => c.ref), 'costs');
  requireUnique(open.claims.map((c) => c.claimId), 'claim');
  const lines: AllocationLine[] = [];
  const item = (kind: AllocationKind, ref: string, order: IsoDate, amount: Decimal) => new OpenItem(kind, ref, order, amount, lines);
  const costs = open.costs.map((c) => ({ costs: c, due: item('costs', c.ref, parseIsoDate(c.chargedOn), centsAmount(c.amount, `costs ${c.ref}`)) }));
  const claims = open.claims.map((c) => ({
    claim: c,
    interest: item('interest', c.claimId, parseIsoDate(c.dueDate), centsAmount(c.interest, `interest of ${c.claimId}`)),
    principal: item('principal', c.claimId, c.dueDate, centsAmount(c.principal, `principal of ${c.claimId}`)),
  }));
  const credit = allocateToItems(payment, inAllocationOrder([...costs.map((c) => c.due), ...claims.flatMap((c) => [c.interest, c.principal])]));
  return {
    lines,
    remaining: {
      costs: costs.filter((c) => c.due.open.gt(0)).map((c) => ({ ...c.costs, amount: formatMoney(c.due.open) })),
      claims: claims
        .filter((c) => c.interest.open.gt(0) || c.principal.open.gt(0))
        .map((c) => ({ ...c.claim, interest: formatMoney(c.interest.open), principal: formatMoney(c.principal.open) })),
    },
    credit: formatMoney(credit),
  };
}
