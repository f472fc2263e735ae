import type { Decimal } from 'decimal.js';
import { addDays, addYears, compareIsoDates, daysBetween, minIsoDate, type IsoDate } from '../calendar/iso-date.js';
import { formatMoney, money, toCents, type MoneyString } from '../money.js';
import { statutoryInterestRates, type StatutoryRateTable } from './statutory-interest-rates.js';

export class RateTableNotCoveredError extends Error {}

/**
 * What to do past the table's `knownThrough`: refuse (the calculations API, a letter) or carry the
 * last known rate forward (a running track's balance, flagged as provisional).
 */
export type BeyondKnownRates = 'refuse' | 'carry-last-rate';

export interface InterestSegment {
  readonly from: IsoDate;
  /** Exclusive. */
  readonly to: IsoDate;
  readonly days: number;
  readonly rate: string;
  readonly base: MoneyString;
  /** Unrounded interest of this segment, as a decimal string. */
  readonly interest: string;
}

/**
 * Simple interest on a constant base from `from` (inclusive) to `to` (exclusive), split where the
 * rate changes; actual days over 365 (leap years too: the statute sets no day count, and /365 is
 * what Dutch practice and the common calculators use). Unrounded: rounding happens once, where a
 * legal amount is fixed (an anniversary, the final figure).
 */
export function interestSegments(
  base: string | Decimal,
  from: IsoDate,
  to: IsoDate,
  options: { rates?: StatutoryRateTable; beyondKnown?: BeyondKnownRates } = {},
): InterestSegment[] {
  const table = options.rates ?? statutoryInterestRates;
  const first = table.rates[0];
  if (!first || compareIsoDates(from, first.from) < 0) {
    throw new RateTableNotCoveredError(`no statutory interest rate known before ${first?.from ?? 'any date'} (asked from ${from})`);
  }
  if (compareIsoDates(to, from) <= 0) return [];
  const lastInterestDay = addDays(to, -1);
  if ((options.beyondKnown ?? 'refuse') === 'refuse' && compareIsoDates(lastInterestDay, table.knownThrough) > 0) {
    throw new RateTableNotCoveredError(
      `statutory interest rates are known through ${table.knownThrough}; extend shared/legal/statutory-interest-rates.ts to compute up to ${to}`,
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
      base: formatMoney(base),
      interest: money(base).times(current.rate).times(days).dividedBy(365).toString(),
    });
  }
  return segments;
}

export interface StatutoryInterestResult {
  readonly interest: MoneyString;
  /** Interest added to the principal on each anniversary of default. */
  readonly capitalized: ReadonlyArray<{ readonly on: IsoDate; readonly amount: MoneyString }>;
  readonly segments: readonly InterestSegment[];
}

/**
 * Statutory interest (art. 6:119 BW, consumers) on a principal in default from `from` (first day
 * of default, inclusive) to `to` (exclusive). On each anniversary of `from` the year's interest,
 * rounded half-up to cents, is added to the principal (lid 2: compounding per full year of
 * default, not per calendar year). The result is the total interest, rounded half-up to cents.
 */
export function statutoryInterest({
  principal,
  from,
  to,
  rates,
  beyondKnown,
}: {
  principal: string;
  from: IsoDate;
  to: IsoDate;
  rates?: StatutoryRateTable;
  beyondKnown?: BeyondKnownRates;
}): StatutoryInterestResult {
  let base = money(principal);
  let total = money(0);
  const capitalized: { on: IsoDate; amount: MoneyString }[] = [];
  const segments: InterestSegment[] = [];
  let yearStart = from;
  for (let year = 1; compareIsoDates(yearStart, to) < 0; year++) {
    const anniversary = addYears(from, year);
    const yearEnd = minIsoDate(anniversary, to);
    const yearSegments = interestSegments(base, yearStart, yearEnd, { rates, beyondKnown });
    segments.push(...yearSegments);
    const yearInterest = yearSegments.reduce<Decimal>((sum, s) => sum.plus(s.interest), money(0));
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
