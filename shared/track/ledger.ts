import { Decimal } from 'decimal.js';
import { addYears, compareIsoDates, fromEpochDay, minIsoDate, toEpochDay, type IsoDate } from '../calendar/iso-date.js';
import { allocateToItems, inAllocationOrder, type PayableItem } from '../legal/payment-allocation.js';
import { firstDayOfDefault } from '../legal/first-day-of-default.js';
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
  readonly defaultDay: number;
  /** Every anniversary of default up to asOf: the days its interest is added to the principal. */
  readonly anniversaries: ReadonlySet<IsoDate>;
  principal: Decimal;
  accrued: Decimal;
  capitalized: Decimal;
}

/**
 * The balance of a track at a date, derived from scratch from its claims, payments and charged
 * costs: interest accrues per claim from the day after its due date (art. 6:119 BW, compounding on
 * each anniversary of default), and every payment is allocated on its booking date to costs,
 * then interest, then principal, oldest first (art. 6:44 BW, allocateToItems). Deriving rather
 * than mutating means a late or reversed payment simply re-derives everything.
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
    .map((claim) => {
      const defaultFrom = firstDayOfDefault(claim.dueDate);
      const anniversaries = new Set<IsoDate>();
      for (let year = 1; ; year++) {
        const anniversary = addYears(defaultFrom, year);
        if (compareIsoDates(anniversary, asOf) > 0) break;
        anniversaries.add(anniversary);
      }
      return { claim, defaultFrom, defaultDay: toEpochDay(defaultFrom), anniversaries, principal: money(claim.amount), accrued: money(0), capitalized: money(0) };
    });
  const claimItems = [...accounts.map((a) => new InterestDue(a)), ...accounts.map((a) => new PrincipalDue(a))];
  // By letter: a later charge under the same letterId replaces what was left of the earlier one.
  const costsOpen = new Map<string, PayableItem>();
  let payable = inAllocationOrder(claimItems);
  let credit = money(0);
  let provisionalInterest = false;

  // Event dates: bookings, charges, and every anniversary of default up to asOf.
  const clamp = (date: IsoDate) => minIsoDate(date, asOf);
  const dates = new Set<IsoDate>([asOf]);
  const paidOn = new Map<IsoDate, Decimal>();
  for (const p of payments) {
    const date = clamp(p.bookedOn);
    dates.add(date);
    paidOn.set(date, (paidOn.get(date) ?? money(0)).plus(p.amount));
  }
  for (const c of costCharges) if (compareIsoDates(c.chargedOn, asOf) <= 0) dates.add(c.chargedOn);
  for (const a of accounts) for (const anniversary of a.anniversaries) dates.add(anniversary);
  const ordered = [...dates].sort(compareIsoDates);
  const pauses = interestPauses.map((pause) => ({ from: toEpochDay(pause.from), until: pause.until === null ? Infinity : toEpochDay(pause.until) }));

  let previousDay: number | null = null;
  for (const date of ordered) {
    const day = toEpochDay(date);
    for (const a of accounts) {
      const from = previousDay === null || previousDay < a.defaultDay ? a.defaultDay : previousDay;
      if (from >= day || a.principal.lte(0)) continue;
      for (const [start, end] of outsidePauses(from, day, pauses)) {
        if (end - 1 > knownThroughDay) provisionalInterest = true;
        a.accrued = accrueInterest(a.accrued, a.principal, start, end);
      }
    }
    for (const a of accounts) {
      if (a.anniversaries.has(date)) {
        const added = toCents(a.accrued);
        a.principal = a.principal.plus(added);
        a.capitalized = a.capitalized.plus(added);
        a.accrued = money(0);
      }
    }
    let costsChanged = false;
    for (const charge of costCharges) {
      if (charge.chargedOn !== date) continue;
      costsOpen.set(charge.letterId, new CostsDue(charge.letterId, date, money(charge.collectionCosts).plus(charge.vat)));
      costsChanged = true;
    }
    if (costsChanged) payable = inAllocationOrder([...costsOpen.values(), ...claimItems]);
    const paidToday = paidOn.get(date);
    const available = paidToday ? credit.plus(paidToday) : credit;
    if (available.gt(0)) credit = allocateToItems(toCents(available), payable);
    previousDay = day;
  }

  const principal = sumMoney(claims.map((c) => c.amount));
  const charged = costCharges.filter((c) => compareIsoDates(c.chargedOn, asOf) <= 0);
  const isBailiffFee = (c: CostCharge) => c.kind === 'bailiff_fee';
  const costs = sumMoney(charged.filter((c) => !isBailiffFee(c)).map((c) => c.collectionCosts));
  const bailiffFees = sumMoney(charged.filter(isBailiffFee).map((c) => c.collectionCosts));
  const vat = sumMoney(charged.map((c) => c.vat));
  const paid = sumMoney(payments.map((p) => p.amount));
  const outstanding = sumMoney([...accounts.map((a) => a.principal.plus(toCents(a.accrued))), ...Array.from(costsOpen.values(), (c) => c.owed())]);
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

/** The parts of [from, to) that no pause covers, in order (epoch days; an open pause runs to Infinity). */
function outsidePauses(from: number, to: number, pauses: readonly { from: number; until: number }[]): [number, number][] {
  let parts: [number, number][] = [[from, to]];
  for (const pause of pauses) {
    parts = parts.flatMap(([start, end]): [number, number][] => {
      const pauseEnd = Math.min(pause.until, end);
      if (pauseEnd <= start || pause.from >= end) return [[start, end]];
      const kept: [number, number][] = [];
      if (start < pause.from) kept.push([start, pause.from]);
      if (pauseEnd < end) kept.push([pauseEnd, end]);
      return kept;
    });
  }
  return parts;
}

/**
 * The rate table in epoch days, its rates as Decimals, parsed once: the ledger asks for the
 * interest of every open claim between every two event dates (a 36-claim track thousands of times
 * per derivation), where interestSegments' dates as text, its checks and its breakdown for letters
 * were most of the time (bench/legal-core.ts).
 */
const rateSpans = statutoryInterestRates.rates.map((rate, i, rates) => ({
  from: toEpochDay(rate.from),
  until: i + 1 < rates.length ? toEpochDay(rates[i + 1]!.from) : Infinity,
  rate: money(rate.rate),
}));
const knownThroughDay = toEpochDay(statutoryInterestRates.knownThrough);

/**
 * `accrued` plus the interest on `principal` over [start, end): the sum interestSegments gives
 * (carrying the last rate past the table), computed the way it computes it, segment by segment
 * (principal × rate × days / 365, unrounded), so the figures are the same to the last digit.
 */
function accrueInterest(accrued: Decimal, principal: Decimal, start: number, end: number): Decimal {
  // Before the table's first rate interestSegments refuses, with the message that says what to add.
  if (start < rateSpans[0]!.from) interestSegments(principal, fromEpochDay(start), fromEpochDay(end), { beyondKnown: 'carry-last-rate' });
  let sum = accrued;
  for (const span of rateSpans) {
    const from = Math.max(start, span.from);
    const to = Math.min(end, span.until);
    if (from >= to) continue;
    sum = sum.plus(principal.times(span.rate).times(to - from).dividedBy(365));
  }
  return sum;
}

/*
 * The ledger's open items as the allocation's payable items (allocateToItems in
 * shared/legal/payment-allocation.ts, the art. 6:44 order), paid in place on the ledger's own
 * Decimals. Classes rather than objects of closures: deriveLedger makes two per claim every time
 * it runs, and closures cost more to make (bench/legal-core.ts).
 */

class CostsDue implements PayableItem {
  readonly kind = 'costs';
  constructor(
    /** The letter, or the bailiff's act. */
    readonly ref: string,
    readonly order: IsoDate,
    private open: Decimal,
  ) {}
  owed(): Decimal {
    return this.open;
  }
  pay(paid: Decimal): void {
    this.open = this.open.minus(paid);
  }
}

/** A claim's interest or principal: ordered by its due date, then its invoice number. */
abstract class ClaimItemDue {
  readonly ref: string;
  readonly order: IsoDate;
  constructor(protected readonly account: ClaimAccount) {
    this.ref = account.claim.invoiceRef;
    this.order = account.claim.dueDate;
  }
}

/** What a claim owes in interest: its accrued interest, rounded to cents. */
class InterestDue extends ClaimItemDue implements PayableItem {
  readonly kind = 'interest';
  owed(): Decimal {
    return this.account.accrued.isZero() ? this.account.accrued : toCents(this.account.accrued);
  }
  pay(paid: Decimal, inFull: boolean): void {
    // Paying the rounded interest in full clears the sub-cent remainder too.
    this.account.accrued = inFull ? money(0) : this.account.accrued.minus(paid);
  }
}

class PrincipalDue extends ClaimItemDue implements PayableItem {
  readonly kind = 'principal';
  owed(): Decimal {
    return this.account.principal;
  }
  pay(paid: Decimal): void {
    this.account.principal = this.account.principal.minus(paid);
  }
}
