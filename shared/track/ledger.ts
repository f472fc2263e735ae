import { Decimal } from 'decimal.js';
import { addDays, addYears, compareIsoDates, minIsoDate, type IsoDate } from '../calendar/iso-date.js';
import { allocatePayment, type OpenItems } from '../legal/payment-allocation.js';
import { statutoryInterestRates } from '../legal/statutory-interest-rates.js';
import { interestSegments } from '../legal/statutory-interest.js';
import { formatMoney, money, sumMoney, toCents, type MoneyString } from '../money.js';
import type { Balance, CostCharge } from './balance.js';

export interface LedgerClaim {
  readonly invoiceRef: string;
  readonly amount: MoneyString;
  readonly dueDate: IsoDate;
}

export interface LedgerPayment {
  readonly transactionId: string;
  readonly amount: MoneyString;
  readonly bookedOn: IsoDate;
}

export interface LedgerClaimState {
  readonly invoiceRef: string;
  readonly amount: MoneyString;
  readonly dueDate: IsoDate;
  /** Principal still open (with interest capitalized on anniversaries of default). */
  readonly open: MoneyString;
  readonly openInterest: MoneyString;
}

export interface Ledger {
  readonly balance: Balance;
  readonly claims: readonly LedgerClaimState[];
  /** True when interest ran past the published rate table and used the last known rate. */
  readonly provisionalInterest: boolean;
}

interface ClaimAccount {
  readonly claim: LedgerClaim;
  readonly defaultFrom: IsoDate;
  principal: Decimal;
  accrued: Decimal;
  capitalized: Decimal;
  interestPaid: Decimal;
}

/**
 * The balance of a track at a date, derived from scratch from its claims, payments and charged
 * costs: interest accrues per claim from the day after its due date (art. 6:119 BW, compounding on
 * each anniversary of default), and every payment is allocated on its booking date to costs,
 * then interest, then principal, oldest first (art. 6:44 BW). Deriving rather than mutating means
 * a late or reversed payment simply re-derives everything.
 */
export function deriveLedger({
  claims,
  payments,
  costCharges,
  asOf,
  interestPauses = [],
}: {
  claims: readonly LedgerClaim[];
  payments: readonly LedgerPayment[];
  costCharges: readonly CostCharge[];
  asOf: IsoDate;
  /**
   * Periods without interest: from a WSNP or bankruptcy ruling on (open-ended), and a kept payment
   * arrangement from its acceptance (the corporation's waiver, which lapses on a breach, so a
   * breached one is not passed here).
   */
  interestPauses?: readonly InterestPause[];
}): Ledger {
  const accounts: ClaimAccount[] = [...claims]
    .sort((a, b) => compareIsoDates(a.dueDate, b.dueDate) || (a.invoiceRef < b.invoiceRef ? -1 : 1))
    .map((claim) => ({
      claim,
      defaultFrom: addDays(claim.dueDate, 1),
      principal: money(claim.amount),
      accrued: money(0),
      capitalized: money(0),
      interestPaid: money(0),
    }));
  const costsOpen = new Map<string, { order: IsoDate; amount: Decimal }>();
  let credit = money(0);
  let provisionalInterest = false;

  // Event dates: bookings, charges, and every anniversary of default up to asOf.
  const clamp = (date: IsoDate) => minIsoDate(date, asOf);
  const dates = new Set<IsoDate>([asOf]);
  for (const p of payments) dates.add(clamp(p.bookedOn));
  for (const c of costCharges) if (compareIsoDates(c.chargedOn, asOf) <= 0) dates.add(c.chargedOn);
  for (const a of accounts) {
    for (let year = 1; ; year++) {
      const anniversary = addYears(a.defaultFrom, year);
      if (compareIsoDates(anniversary, asOf) > 0) break;
      dates.add(anniversary);
    }
  }
  const ordered = [...dates].sort(compareIsoDates);

  let previous: IsoDate | null = null;
  for (const date of ordered) {
    for (const a of accounts) {
      const from = previous === null || compareIsoDates(previous, a.defaultFrom) < 0 ? a.defaultFrom : previous;
      if (compareIsoDates(from, date) >= 0 || a.principal.lte(0)) continue;
      for (const [start, end] of outsidePauses(from, date, interestPauses)) {
        if (compareIsoDates(addDays(end, -1), statutoryInterestRates.knownThrough) > 0) provisionalInterest = true;
        for (const segment of interestSegments(a.principal, start, end, { beyondKnown: 'carry-last-rate' })) {
          a.accrued = a.accrued.plus(segment.interest);
        }
      }
    }
    for (const a of accounts) {
      if (date !== a.defaultFrom && compareIsoDates(date, a.defaultFrom) > 0 && isAnniversary(a.defaultFrom, date)) {
        const added = toCents(a.accrued);
        a.principal = a.principal.plus(added);
        a.capitalized = a.capitalized.plus(added);
        a.accrued = money(0);
      }
    }
    for (const charge of costCharges) {
      if (charge.chargedOn === date) costsOpen.set(charge.letterId, { order: date, amount: money(charge.collectionCosts).plus(charge.vat) });
    }
    const paidToday = sumMoney(payments.filter((p) => clamp(p.bookedOn) === date).map((p) => p.amount));
    const available = credit.plus(paidToday);
    if (available.gt(0)) credit = allocate(available, accounts, costsOpen);
    previous = date;
  }

  const principal = sumMoney(claims.map((c) => c.amount));
  const charged = costCharges.filter((c) => compareIsoDates(c.chargedOn, asOf) <= 0);
  const isBailiffFee = (c: CostCharge) => c.kind === 'bailiff_fee';
  const costs = sumMoney(charged.filter((c) => !isBailiffFee(c)).map((c) => c.collectionCosts));
  const bailiffFees = sumMoney(charged.filter(isBailiffFee).map((c) => c.collectionCosts));
  const vat = sumMoney(charged.map((c) => c.vat));
  const paid = sumMoney(payments.map((p) => p.amount));
  const outstanding = sumMoney([
    ...accounts.map((a) => a.principal.plus(toCents(a.accrued))),
    ...[...costsOpen.values()].map((c) => c.amount),
  ]);
  // Interest as the figure that makes the balance add up exactly: principal + costs + bailiff
  // fees + VAT + interest − paid = outstanding − credit.
  const interest = outstanding.minus(credit).plus(paid).minus(principal).minus(costs).minus(bailiffFees).minus(vat);
  return {
    balance: {
      principal: formatMoney(principal),
      collectionCosts: formatMoney(costs),
      bailiffFees: formatMoney(bailiffFees),
      vat: formatMoney(vat),
      interest: formatMoney(Decimal.max(interest, 0)),
      paid: formatMoney(paid),
      outstanding: formatMoney(outstanding),
      credit: formatMoney(credit),
    },
    claims: accounts.map((a) => ({
      invoiceRef: a.claim.invoiceRef,
      amount: a.claim.amount,
      dueDate: a.claim.dueDate,
      open: formatMoney(a.principal),
      openInterest: formatMoney(toCents(a.accrued)),
    })),
    provisionalInterest,
  };
}

export interface InterestPause {
  readonly from: IsoDate;
  /** Exclusive; null while the pause lasts. */
  readonly until: IsoDate | null;
}

/** The parts of [from, to) that no pause covers, in order. */
function outsidePauses(from: IsoDate, to: IsoDate, pauses: readonly InterestPause[]): [IsoDate, IsoDate][] {
  let parts: [IsoDate, IsoDate][] = [[from, to]];
  for (const pause of pauses) {
    parts = parts.flatMap(([start, end]): [IsoDate, IsoDate][] => {
      const pauseEnd = pause.until ?? end;
      if (compareIsoDates(pauseEnd, start) <= 0 || compareIsoDates(pause.from, end) >= 0) return [[start, end]];
      const kept: [IsoDate, IsoDate][] = [];
      if (compareIsoDates(start, pause.from) < 0) kept.push([start, pause.from]);
      if (compareIsoDates(pauseEnd, end) < 0) kept.push([pauseEnd, end]);
      return kept;
    });
  }
  return parts;
}

function isAnniversary(defaultFrom: IsoDate, date: IsoDate): boolean {
  for (let year = 1; ; year++) {
    const anniversary = addYears(defaultFrom, year);
    if (anniversary === date) return true;
    if (compareIsoDates(anniversary, date) > 0) return false;
  }
}

/** Applies money to the open items (art. 6:44 BW) and returns what is left as credit. */
function allocate(amount: Decimal, accounts: ClaimAccount[], costsOpen: Map<string, { order: IsoDate; amount: Decimal }>): Decimal {
  const open: OpenItems = {
    costs: [...costsOpen.entries()].map(([ref, c]) => ({ ref, chargedOn: c.order, amount: formatMoney(c.amount) })),
    claims: accounts.map((a) => ({ claimId: a.claim.invoiceRef, dueDate: a.claim.dueDate, interest: formatMoney(toCents(a.accrued)), principal: formatMoney(a.principal) })),
  };
  const allocation = allocatePayment(formatMoney(amount), open);
  for (const line of allocation.lines) {
    if (line.kind === 'costs') {
      const open = costsOpen.get(line.ref)!;
      open.amount = open.amount.minus(line.amount);
      if (open.amount.lte(0)) costsOpen.delete(line.ref);
      continue;
    }
    const account = accounts.find((a) => a.claim.invoiceRef === line.ref)!;
    if (line.kind === 'interest') {
      const roundedOpen = toCents(account.accrued);
      // Paying the rounded interest in full clears the sub-cent remainder too.
      account.accrued = money(line.amount).gte(roundedOpen) ? money(0) : account.accrued.minus(line.amount);
      account.interestPaid = account.interestPaid.plus(line.amount);
    } else {
      account.principal = account.principal.minus(line.amount);
    }
  }
  return money(allocation.credit);
}
