import { Decimal } from 'decimal.js';
import { addDays, compareIsoDates, type IsoDate } from '../calendar/iso-date.js';
import { formatMoney, money, sumMoney, type MoneyString } from '../money.js';
import { collectionCostsOver, lowestBandCeiling } from './collection-costs.js';

export interface OpenClaim {
  readonly invoiceRef: string;
  readonly dueDate: IsoDate;
  readonly open: MoneyString;
}

export interface EarlierWikLetter {
  readonly postedOn: IsoDate;
  readonly invoiceRefs: readonly string[];
  readonly principal: MoneyString;
  readonly collectionCosts: MoneyString;
}

/**
 * Art. 6:96 lid 8 BW (since 1 Oct 2024): for instalments in the lowest band, the warnings of the
 * previous months count together. Unsettled in detail (domain.md §2), so both numbers are
 * settings: the look-back in months and a cap on the costs within it (reported effect: 140.00 per
 * 6 months per lease).
 */
export interface SmallInstalmentRule {
  readonly lookbackMonths: number;
  readonly capWithinLookback: MoneyString;
}

export const defaultSmallInstalmentRule: SmallInstalmentRule = { lookbackMonths: 6, capWithinLookback: '140.00' };

export interface NextWikLetter {
  readonly invoiceRefs: string[];
  readonly principal: MoneyString;
  /** Before VAT. */
  readonly collectionCosts: MoneyString;
}

function monthsBefore(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/**
 * The "one letter for all" rule (art. 6:96 lid 7 BW): every claim in default (from the day after
 * its due date) that no earlier 14-day letter held goes into the next letter, and the costs are
 * computed once over their sum. Claims that fell due after an earlier letter may get a letter of
 * their own, which is what this gives. `null` when no claim qualifies.
 *
 * Small instalments: when the new letter's principal is in the lowest band, the lowest-band
 * letters of the look-back window and this one together cost no more than one letter over their
 * combined principal would, and never more than the cap.
 */
export function nextWikLetter({
  openClaims,
  earlierLetters,
  today,
  smallInstalments = defaultSmallInstalmentRule,
}: {
  openClaims: readonly OpenClaim[];
  earlierLetters: readonly EarlierWikLetter[];
  today: IsoDate;
  smallInstalments?: SmallInstalmentRule;
}): NextWikLetter | null {
  const inEarlierLetter = new Set(earlierLetters.flatMap((l) => l.invoiceRefs));
  const claims = openClaims
    .filter((c) => money(c.open).gt(0) && compareIsoDates(addDays(c.dueDate, 1), today) <= 0 && !inEarlierLetter.has(c.invoiceRef))
    .sort((a, b) => compareIsoDates(a.dueDate, b.dueDate) || (a.invoiceRef < b.invoiceRef ? -1 : 1));
  if (claims.length === 0) return null;
  const principal = sumMoney(claims.map((c) => c.open));
  let costs: Decimal = collectionCostsOver(principal);

  if (principal.lte(lowestBandCeiling)) {
    const windowStart = monthsBefore(today, smallInstalments.lookbackMonths);
    const inWindow = earlierLetters.filter((l) => l.postedOn > windowStart && money(l.principal).lte(lowestBandCeiling));
    if (inWindow.length > 0) {
      const already = sumMoney(inWindow.map((l) => l.collectionCosts));
      const combined = collectionCostsOver(sumMoney(inWindow.map((l) => l.principal)).plus(principal));
      const room = Decimal.min(combined.minus(already), money(smallInstalments.capWithinLookback).minus(already));
      costs = Decimal.max(money(0), Decimal.min(costs, room));
    }
  }
  return { invoiceRefs: claims.map((c) => c.invoiceRef), principal: formatMoney(principal), collectionCosts: formatMoney(costs) };
}
