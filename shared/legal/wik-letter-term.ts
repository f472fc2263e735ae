import { statutoryTermEnd } from '../calendar/algemene-termijnenwet.js';
import { addDays, type IsoDate } from '../calendar/iso-date.js';
import { presumedDeliveryDate } from '../calendar/presumed-delivery.js';

/** The general rule for a term of n days, also used for the bailiff's summons terms. */
export { statutoryTermEnd } from '../calendar/algemene-termijnenwet.js';

/** Art. 6:96 lid 6 BW: "binnen een termijn van veertien dagen". */
export const wikLetterTermDays = 14;

export interface WikLetterTerm {
  /** Delivery: the record's date, or presumed on the `deliveryDays`-th delivery day after posting. */
  readonly delivered: IsoDate;
  /** The day after delivery: the term starts "de dag na aanmaning" (HR 25-11-2016, ECLI:NL:HR:2016:2704). */
  readonly termStart: IsoDate;
  /**
   * The last day to pay: `delivered + days`, extended by the Algemene termijnenwet. Whether the
   * Atw applies to this term is unsettled (domain.md §3); applying it is the conservative choice.
   */
  readonly deadline: IsoDate;
  /** Collection costs are owed from the day after the deadline. */
  readonly costsDueFrom: IsoDate;
}

/** The WIK letter rule from a known delivery date (a delivery receipt or tracked-post record). */
export function wikLetterTermAfterDelivery({ delivered, days = wikLetterTermDays }: { delivered: IsoDate; days?: number }): WikLetterTerm {
  const termStart = addDays(delivered, 1);
  const deadline = statutoryTermEnd(termStart, days);
  return { delivered, termStart, deadline, costsDueFrom: addDays(deadline, 1) };
}

/**
 * The WIK letter rule (the 14-day letter, art. 6:96 lid 6 BW) from the posting date, delivery
 * presumed: api.md `GET /v1/calculations/deadline`. Posted 2026-04-23 with 2 delivery days:
 * delivered 2026-04-25, term from 2026-04-26, plain last day Saturday 2026-05-09, deadline Monday
 * 2026-05-11, costs due from 2026-05-12.
 */
export function wikLetterTerm({ posted, days = wikLetterTermDays, deliveryDays }: { posted: IsoDate; days?: number; deliveryDays: number }): WikLetterTerm {
  return wikLetterTermAfterDelivery({ delivered: presumedDeliveryDate(posted, deliveryDays), days });
}
