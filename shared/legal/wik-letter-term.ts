import { statutoryTermEnd } from '../calendar/algemene-termijnenwet.js';
import { addDays, type IsoDate } from '../calendar/iso-date.js';
import { presumedDeliveryDate } from '../calendar/presumed-delivery.js';

export interface WikLetterTerm {
  /** Presumed delivery: the `deliveryDays`-th delivery day after posting. */
  readonly delivered: IsoDate;
  /** The term runs from the day after delivery (art. 6:96 lid 6 BW; HR 25-11-2016). */
  readonly termStart: IsoDate;
  /** The last day to pay, extended by the Algemene termijnenwet (applied: the conservative choice). */
  readonly deadline: IsoDate;
  /** Collection costs are owed from the day after the deadline. */
  readonly costsDueFrom: IsoDate;
}

/** The WIK letter rule: when the 14-day letter's term starts and ends. */
export function wikLetterTerm({ posted, days = 14, deliveryDays }: { posted: IsoDate; days?: number; deliveryDays: number }): WikLetterTerm {
  const delivered = presumedDeliveryDate(posted, deliveryDays);
  const termStart = addDays(delivered, 1);
  const deadline = statutoryTermEnd(termStart, days);
  return { delivered, termStart, deadline, costsDueFrom: addDays(deadline, 1) };
}
