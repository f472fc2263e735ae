import type { Decimal } from 'decimal.js';
import type { IsoDate } from '../calendar/iso-date.js';
import { formatMoney, money, toCents, type MoneyString } from '../money.js';

/**
 * Extrajudicial collection costs (art. 6:96 BW, Besluit vergoeding buitengerechtelijke
 * incassokosten art. 2): marginal bands over the principal only, never over interest.
 */
export const collectionCostBands: ReadonlyArray<{ readonly upTo: string | null; readonly rate: string }> = [
  { upTo: '2500', rate: '0.15' },
  { upTo: '5000', rate: '0.10' },
  { upTo: '10000', rate: '0.05' },
  { upTo: '200000', rate: '0.01' },
  { upTo: null, rate: '0.005' },
];
export const collectionCostsMinimum = '40.00';
export const collectionCostsMaximum = '6775.00';

/** VAT on the costs, by date (Wet OB general rate). */
export const vatRates: ReadonlyArray<{ readonly from: IsoDate; readonly rate: string }> = [{ from: '2012-10-01', rate: '0.21' }];

export function vatRateOn(date: IsoDate): string {
  const rate = vatRates.filter((r) => r.from <= date).at(-1);
  if (!rate) throw new Error(`no VAT rate known for ${date}`);
  return rate.rate;
}

/** The costs over a principal, before VAT: the bands, then the floor and the cap, half-up to cents. */
export function collectionCostsOver(principal: string | Decimal): Decimal {
  const base = money(principal);
  if (base.isNegative()) throw new Error('a principal cannot be negative');
  let remaining = base;
  let lowerBound = money(0);
  let costs = money(0);
  for (const band of collectionCostBands) {
    if (remaining.lte(0)) break;
    const width = band.upTo === null ? remaining : money(band.upTo).minus(lowerBound);
    const inBand = remaining.lt(width) ? remaining : width;
    costs = costs.plus(inBand.times(band.rate));
    remaining = remaining.minus(inBand);
    if (band.upTo !== null) lowerBound = money(band.upTo);
  }
  const rounded = toCents(costs);
  if (rounded.lt(collectionCostsMinimum)) return money(collectionCostsMinimum);
  if (rounded.gt(collectionCostsMaximum)) return money(collectionCostsMaximum);
  return rounded;
}

export interface CollectionCosts {
  readonly principal: MoneyString;
  readonly collectionCosts: MoneyString;
  readonly vat: MoneyString;
  readonly total: MoneyString;
}

/**
 * Costs plus VAT. VAT only when the corporation uses an outside VAT-charging service and cannot
 * deduct that VAT (`vatSurcharge`, a per-corporation setting); an in-house department adds none.
 */
export function collectionCosts({ principal, vatSurcharge, on = '2026-01-01' }: { principal: string; vatSurcharge: boolean; on?: IsoDate }): CollectionCosts {
  const costs = collectionCostsOver(principal);
  const vat = vatOnCosts(costs, vatSurcharge, on);
  return {
    principal: formatMoney(principal),
    collectionCosts: formatMoney(costs),
    vat: formatMoney(vat),
    total: formatMoney(costs.plus(vat)),
  };
}

/** VAT on collection costs: only under the corporation's `vatSurcharge` setting (domain.md §2). */
export function vatOnCosts(costs: string | Decimal, vatSurcharge: boolean, on: IsoDate): Decimal {
  return vatSurcharge ? toCents(money(costs).times(vatRateOn(on))) : money(0);
}

/** The largest principal whose costs are the minimum of the lowest band (40.00 / 15% = 266.67). */
export const lowestBandCeiling: MoneyString = formatMoney(money(collectionCostsMinimum).dividedBy(collectionCostBands[0]!.rate));
