import type { IsoDate } from '../calendar/iso-date.js';
import type { MoneyString } from '../money.js';

/**
 * Bailiff fees for official acts (Besluit tarieven ambtshandelingen gerechtsdeurwaarders, art. 2),
 * per calendar year: they are indexed every 1 January. Data: a new year is one more column.
 */
export const bailiffActs = ['writ_of_summons', 'service_of_judgment', 'forced_eviction'] as const;
export type BailiffAct = (typeof bailiffActs)[number];

export const bailiffFeesByYear: Readonly<Record<number, Readonly<Record<BailiffAct, MoneyString>>>> = {
  2025: { writ_of_summons: '119.40', service_of_judgment: '130.00', forced_eviction: '306.75' },
  2026: { writ_of_summons: '125.57', service_of_judgment: '136.71', forced_eviction: '322.59' },
};

export function bailiffFee(act: BailiffAct, on: IsoDate): MoneyString {
  const year = Number(on.slice(0, 4));
  const fees = bailiffFeesByYear[year];
  if (!fees) {
    throw new Error(`no bailiff fees known for ${year}; add that year to shared/legal/bailiff-fees.ts`);
  }
  return fees[act];
}
