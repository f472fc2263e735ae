import { parseIsoDate, type IsoDate } from '../calendar/iso-date.js';
import type { MoneyString } from '../money.js';

/**
 * Bailiff fees for official acts (Besluit tarieven ambtshandelingen gerechtsdeurwaarders, art. 2),
 * per calendar year: they are indexed every 1 January (domain.md §9). Data: a new year is one
 * more entry.
 */
export const bailiffActs = ['writ_of_summons', 'service_of_judgment', 'forced_eviction'] as const;
export type BailiffAct = (typeof bailiffActs)[number];

export const bailiffFeesByYear: Readonly<Record<number, Readonly<Record<BailiffAct, MoneyString>>>> = {
  2025: { writ_of_summons: '119.40', service_of_judgment: '130.00', forced_eviction: '306.75' },
  2026: { writ_of_summons: '125.57', service_of_judgment: '136.71', forced_eviction: '322.59' },
};

/** A year whose Btag fees are not in the data. */
export class BailiffFeesNotKnownError extends Error {
  override readonly name = 'BailiffFeesNotKnownError';
}

/** The fee for an act done on `on`: the tariff of that calendar year; throws for a year not in the data. */
export function bailiffFee(act: BailiffAct, on: IsoDate): MoneyString {
  const year = Number(parseIsoDate(on).slice(0, 4));
  const fees = bailiffFeesByYear[year];
  if (!fees) throw new BailiffFeesNotKnownError(`no bailiff fees known for ${year}; add that year to shared/legal/bailiff-fees.ts`);
  return fees[act];
}

/**
 * For a bailiff's report of an act already done: the fee of the act's year, or, when that year's
 * fees are not yet in the data, the latest known year's fee marked provisional. A real-world act
 * is never refused for our missing data; the provisional flag says the figure needs a check.
 */
export function bailiffFeeForReportedAct(act: BailiffAct, on: IsoDate): { amount: MoneyString; year: number; provisional: boolean } {
  const year = Number(parseIsoDate(on).slice(0, 4));
  const fees = bailiffFeesByYear[year];
  if (fees) return { amount: fees[act], year, provisional: false };
  const known = Object.keys(bailiffFeesByYear).map(Number).filter((y) => y <= year);
  if (known.length === 0) throw new BailiffFeesNotKnownError(`no bailiff fees known for ${year} or earlier`);
  const latest = Math.max(...known);
  return { amount: bailiffFeesByYear[latest]![act], year: latest, provisional: true };
}
