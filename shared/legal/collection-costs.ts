import type { Decimal } from 'decimal.js';
import { parseIsoDate, type IsoDate } from '../calendar/iso-date.js';
import { formatMoney, money, toCents, type MoneyString } from '../money.js';

/**
 * Extrajudicial collection costs (art. 6:96 BW; Besluit vergoeding voor buitengerechtelijke
 * incassokosten art. 2): marginal bands over the principal only, never over interest
 * (domain.md §2). `upTo` is the band's upper bound as a principal; null means no bound.
 */
export const collectionCostBands: ReadonlyArray<{ readonly upTo: MoneyString | null; readonly rate: string }> = [
  { upTo: '2500.00', rate: '0.15' },
  { upTo: '5000.00', rate: '0.10' },
  { upTo: '10000.00', rate: '0.05' },
  { upTo: '200000.00', rate: '0.01' },
  { upTo: null, rate: '0.005' },
];
export const collectionCostsMinimum: MoneyString = '40.00';
export const collectionCostsMaximum: MoneyString = '6775.00';

/**
 * The largest principal whose costs are the minimum: where 15% of the first band reaches 40.00,
 * 40.00 / 0.15 = 266.666…, half-up 266.67 (the figure of domain.md §2). Computed, so it follows
 * the data if the minimum or the first rate ever changes.
 */
export const lowestBandCeiling: MoneyString = formatMoney(money(collectionCostsMinimum).dividedBy(collectionCostBands[0]!.rate));

/**
 * The costs over a principal, before VAT: the bands, then the floor and the cap, half-up to
 * cents once at the end (e.g. 812.35 → 121.8525 → 121.85). A principal must be positive: with
 * nothing owed there are no costs, and 40.00 over nothing would be wrong.
 */
export function collectionCostsOver(principal: MoneyString | Decimal): Decimal {
  const base = money(principal);
  if (!base.gt(0)) throw new RangeError(`collection costs need a positive principal (got ${base.toString()})`);
  let costs = money(0);
  let lowerBound = money(0);
  for (const band of collectionCostBands) {
    const upperBound = band.upTo === null ? base : money(band.upTo);
    if (base.lte(lowerBound)) break;
    const inBand = (base.lt(upperBound) ? base : upperBound).minus(lowerBound);
    costs = costs.plus(inBand.times(band.rate));
    lowerBound = upperBound;
  }
  const rounded = toCents(costs);
  if (rounded.lt(collectionCostsMinimum)) return money(collectionCostsMinimum);
  if (rounded.gt(collectionCostsMaximum)) return money(collectionCostsMaximum);
  return rounded;
}

/** The general VAT rate (Wet op de omzetbelasting 1968) by date: data, a change is one more line. */
export const vatRates: ReadonlyArray<{ readonly from: IsoDate; readonly rate: string }> = [{ from: '2012-10-01', rate: '0.21' }];

/** The VAT rate in force on a date; without a date, the latest rate in the table. */
export function vatRateOn(date?: IsoDate): string {
  const candidates = date === undefined ? vatRates : vatRates.filter((r) => r.from <= parseIsoDate(date));
  const rate = candidates.at(-1);
  if (!rate) throw new RangeError(`no VAT rate known for ${date}; the table starts ${vatRates[0]?.from}`);
  return rate.rate;
}

/**
 * VAT on collection costs, half-up to cents. Only under the corporation's `vatSurcharge` setting:
 * the costs may be raised by VAT only when an outside VAT-charging service is used, the creditor
 * cannot deduct that VAT and says so in the letter; an in-house department adds none (domain.md §2).
 */
export function vatOnCosts(costs: MoneyString | Decimal, vatSurcharge: boolean, on?: IsoDate): Decimal {
  return vatSurcharge ? toCents(money(costs).times(vatRateOn(on))) : money(0);
}

export interface CollectionCosts {
  readonly principal: MoneyString;
  readonly collectionCosts: MoneyString;
  readonly vat: MoneyString;
  readonly total: MoneyString;
}

/**
 * api.md `GET /v1/calculations/collection-costs`: costs over the principal, VAT when
 * `vatSurcharge`, and their total. 3000.00 with VAT → 425.00 + 89.25 = 514.25. `on` picks the VAT
 * rate (the letter's date); without it, the latest rate.
 */
export function collectionCosts({ principal, vatSurcharge, on }: { principal: MoneyString | Decimal; vatSurcharge: boolean; on?: IsoDate }): CollectionCosts {
  const costs = collectionCostsOver(principal);
  const vat = vatOnCosts(costs, vatSurcharge, on);
  return {
    principal: formatMoney(principal),
    collectionCosts: formatMoney(costs),
    vat: formatMoney(vat),
    total: formatMoney(costs.plus(vat)),
  };
}
