import type { Decimal } from 'decimal.js';
import { addDays, addYears, compareIsoDates, daysBetween, isIsoDate, minIsoDate, parseIsoDate, type IsoDate } from '../calendar/iso-date.js';
import { formatMoney, money, sumMoney, toCents, type MoneyString } from '../money.js';
import { statutoryInterestRates, type StatutoryRateTable } from './statutory-interest-rates.js';

/** A date before the first rate or after `knownThrough`: the message names the data to extend. */
export class RateTableNotCoveredError extends Error {
  override readonly name = 'RateTableNotCoveredError';
}

/**
 * What to do past the table's `knownThrough`: refuse (the calculations API, a letter) or carry the
 * last known rate forward (a running track's balance, which the caller flags as provisional).
 */
export type BeyondKnownRates = 'refuse' | 'carry-last-rate';

export interface InterestSegment {
  readonly from: IsoDate;
  /** Exclusive. */
  readonly to: IsoDate;
  readonly days: number;
  /** A fraction: "0.04" is 4%. */
  readonly rate: string;
  /** The principal the interest runs over (with earlier years' interest added). */
  readonly base: MoneyString;
  /** Exact, unrounded interest of the segment as a decimal string; rounding happens per year. */
  readonly interest: string;
}

export interface InterestOptions {
  readonly rates?: StatutoryRateTable;
  readonly beyondKnown?: BeyondKnownRates;
}

const checkedTables = new WeakSet<StatutoryRateTable>();

/** A table passed in (a corporation's, a test's) must be as well-formed as ours. */
function requireWellFormed(table: StatutoryRateTable): void {
  if (checkedTables.has(table)) return;
  if (table.rates.length === 0) throw new RangeError('the statutory interest rate table is empty');
  let previous: IsoDate | null = null;
  for (const { from, rate } of table.rates) {
    if (!isIsoDate(from)) throw new RangeError(`statutory interest rate table: ${JSON.stringify(from)} is not a date`);
    if (previous !== null && compareIsoDates(previous, from) >= 0) throw new RangeError(`statutory interest rate table: ${from} is not after ${previous}`);
    if (!/^\d+(\.\d+)?$/.test(rate)) throw new RangeError(`statutory interest rate table: rate ${JSON.stringify(rate)} from ${from} is not a fraction such as "0.04"`);
    previous = from;
  }
  if (!isIsoDate(table.knownThrough) || compareIsoDates(table.knownThrough, previous!) < 0) {
    throw new RangeError(`statutory interest rate table: knownThrough ${JSON.stringify(table.knownThrough)} must be a date on or after ${previous}`);
  }
  checkedTables.add(table);
}

/**
 * Simple interest on a constant base from `from` (inclusive) to `to` (exclusive), split where the
 * rate changes (a running period switches rate on the change date, domain.md §5). Day count:
 * actual days over 365, also in leap years: art. 6:119 sets a yearly rate and no day count, and
 * actual/365 is what Dutch practice and the common calculators use. Unrounded: rounding happens
 * once, where a legal amount is fixed (an anniversary, the final figure).
 */
export function interestSegments(base: MoneyString | Decimal, from: IsoDate, to: IsoDate, options: InterestOptions = {}): InterestSegment[] {
  const table = options.rates ?? statutoryInterestRates;
  requireWellFormed(table);
  const order = compareIsoDates(parseIsoDate(from), parseIsoDate(to));
  if (order > 0) throw new RangeError(`interest cannot run backwards, from ${from} to ${to}`);
  if (order === 0) return [];
  const amount = money(base);
  if (amount.isNegative()) throw new RangeError(`interest runs over a principal of at least 0.00 (got ${amount.toString()})`);
  const first = table.rates[0]!;
  if (compareIsoDates(from, first.from) < 0) {
    throw new RateTableNotCoveredError(`no statutory interest rate is known before ${first.from} (asked from ${from}); add the earlier rates to shared/legal/statutory-interest-rates.ts`);
  }
  const lastInterestDay = addDays(to, -1);
  if ((options.beyondKnown ?? 'refuse') === 'refuse' && compareIsoDates(lastInterestDay, table.knownThrough) > 0) {
    throw new RateTableNotCoveredError(
      `statutory interest rates are known through ${table.knownThrough}; to compute through ${lastInterestDay}, add the newer rates to shared/legal/statutory-interest-rates.ts and move knownThrough`,
    );
  }
  const segments: InterestSegment[] = [];
  for (let i = 0; i < table.rates.length; i++) {
    const current = table.rates[i]!;
    const next = table.rates[i + 1];
    const segmentFrom = compareIsoDates(from, current.from) > 0 ? from : current.from;
    const segmentTo = next ? minIsoDate(to, next.from) : to;
    if (compareIsoDates(segmentFrom, segmentTo) >= 0) continue;
    const days = daysBetween(segmentFrom, segmentTo);
    segments.push({
      from: segmentFrom,
      to: segmentTo,
      days,
      rate: current.rate,
      base: formatMoney(amount),
      interest: amount.times(current.rate).times(days).dividedBy(365).toString(),
    });
  }
  return segments;
}

export interface StatutoryInterestResult {
  /** All interest from `from` to `to`, half-up to cents. */
  readonly interest: MoneyString;
  /** Each full year's interest, rounded half-up to cents, added to the principal on the anniversary. */
  readonly capitalized: ReadonlyArray<{ readonly on: IsoDate; readonly amount: MoneyString }>;
  /** The breakdown for letters and audit; `base` grows after each anniversary. */
  readonly segments: readonly InterestSegment[];
}

/**
 * Statutory interest (art. 6:119 BW, consumers) on a principal in default from `from` (the first
 * day of default, inclusive: the day after the due date) to `to` (exclusive); api.md
 * `GET /v1/calculations/statutory-interest`.
 *
 * Compounding (lid 2): on each anniversary of `from` (addYears; a default from 29 February
 * compounds on 28 February in common years) the year's interest is added to the principal.
 * Rounding, our choice where the statute is silent: within a year the exact interest of the
 * segments is summed, and rounded half-up to cents once, on the anniversary (the amount added to
 * the principal, which must be a cent amount); the interest of the last, incomplete year is summed
 * exactly as well, and the total is rounded half-up to cents once at the end. So the result never
 * depends on how many rate changes a year holds, and grows with `to`.
 */
export function statutoryInterest({
  principal,
  from,
  to,
  rates,
  beyondKnown,
}: {
  principal: MoneyString | Decimal;
  from: IsoDate;
  to: IsoDate;
  rates?: StatutoryRateTable;
  beyondKnown?: BeyondKnownRates;
}): StatutoryInterestResult {
  if (compareIsoDates(parseIsoDate(from), parseIsoDate(to)) > 0) throw new RangeError(`interest cannot run backwards, from ${from} to ${to}`);
  const options: InterestOptions = { ...(rates ? { rates } : {}), ...(beyondKnown ? { beyondKnown } : {}) };
  let base = money(principal);
  let total = money(0);
  const capitalized: { on: IsoDate; amount: MoneyString }[] = [];
  const segments: InterestSegment[] = [];
  let yearStart = from;
  for (let year = 1; compareIsoDates(yearStart, to) < 0; year++) {
    const anniversary = addYears(from, year);
    const yearEnd = minIsoDate(anniversary, to);
    const yearSegments = interestSegments(base, yearStart, yearEnd, options);
    segments.push(...yearSegments);
    const yearInterest = sumMoney(yearSegments.map((s) => s.interest));
    if (yearEnd === anniversary) {
      const added = toCents(yearInterest);
      capitalized.push({ on: anniversary, amount: formatMoney(added) });
      base = base.plus(added);
      total = total.plus(added);
    } else {
      total = total.plus(yearInterest);
    }
    yearStart = anniversary;
  }
  return { interest: formatMoney(total), capitalized, segments };
}
