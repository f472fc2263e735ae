import type { IsoDate } from '../calendar/iso-date.js';
import type { MoneyString } from '../money.js';

/**
 * What a track is owed, in money: the balance the ledger derives and the status shows, and the
 * costs charged on top of the claims. Below both ledger.ts and track-status.ts, which use them.
 */

export interface Balance {
  readonly principal: MoneyString;
  readonly collectionCosts: MoneyString;
  /** Btag fees for the bailiff's official acts (writ, service of judgment, eviction). */
  readonly bailiffFees: MoneyString;
  readonly vat: MoneyString;
  readonly interest: MoneyString;
  readonly paid: MoneyString;
  readonly outstanding: MoneyString;
  /** An overpayment: never a negative claim (art. 6:44 BW allocation leaves a credit). */
  readonly credit: MoneyString;
}

/**
 * Costs owed from a date: the collection costs of one 14-day letter (from the day after its
 * term), or a bailiff's fee for an official act. Both are "costs" in the art. 6:44 order.
 */
export interface CostCharge {
  readonly kind?: 'collection_costs' | 'bailiff_fee';
  /** The letter, or the bailiff's act, the charge belongs to. */
  readonly letterId: string;
  readonly chargedOn: IsoDate;
  readonly collectionCosts: MoneyString;
  readonly vat: MoneyString;
}
