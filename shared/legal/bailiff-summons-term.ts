import { statutoryTermEnd } from '../calendar/algemene-termijnenwet.js';
import { addDays, type IsoDate } from '../calendar/iso-date.js';
import { presumedDeliveryDate } from '../calendar/presumed-delivery.js';

/**
 * The bailiff's summons letters in the amicable phase (Van Roon practice, domain.md §1 B.1): the
 * first with an 8-day term, the second with a 5-day term. Counted like the 14-day letter: from
 * the day after presumed delivery, extended by the Algemene termijnenwet (the conservative choice,
 * since these are not statutory terms in the strict sense).
 */
export const firstSummonsDays = 8;
export const secondSummonsDays = 5;

export function summonsTerm({ posted, days, deliveryDays }: { posted: IsoDate; days: number; deliveryDays: number }) {
  const delivered = presumedDeliveryDate(posted, deliveryDays);
  const deadline = statutoryTermEnd(addDays(delivered, 1), days);
  return { delivered, deadline, expiresAfter: addDays(deadline, 1) };
}
