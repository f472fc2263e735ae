import type { Kysely } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import { deliveryOffsetOn, presumedDeliveryDate } from '../../shared/calendar/presumed-delivery.js';
import type { DeliveryBasis } from '../../shared/letters/delivery.js';
import { shortChannels, type LetterChannel } from '../../shared/letters/letter-contract.js';
import { wikLetterTermAfterDelivery } from '../../shared/legal/wik-letter-term.js';

/** The columns the delivery view reads from a letter row. */
export const deliveryColumns = ['letter_id', 'kind', 'channel', 'posted_on', 'delivered_on', 'delivery_basis', 'delivery_evidence', 'tracking_code', 'provider', 'provider_reference', 'dispatch_state', 'dispatched_at', 'facts'] as const;

export interface DeliveryRow {
  readonly letter_id: string;
  readonly kind: string;
  readonly channel: string;
  readonly posted_on: string;
  readonly delivered_on: string | null;
  readonly delivery_basis: string | null;
  readonly delivery_evidence: string | null;
  readonly tracking_code: string | null;
  readonly provider: string | null;
  readonly provider_reference: string | null;
  readonly dispatch_state: string;
  readonly dispatched_at: Date | null;
  readonly facts: unknown;
}

export interface LetterDelivery {
  /** The day it was delivered: reported or accepted by its carrier, else presumed by the legal rule; null when neither applies. */
  readonly on: string | null;
  readonly basis: DeliveryBasis;
  /** The carrier's word: the track & trace code and what it reported, the Message-ID, the gateway's id, the mail house's batch. */
  readonly evidence: string | null;
}

/** For a 14-day letter: the term as the letter stated it, and as the actual delivery gives it. */
export interface WikTermEffect {
  readonly presumedDelivery: string;
  readonly deadline: string;
  /** The last day of the term counted from the reported delivery; null until a delivery is reported. */
  readonly deadlineFromDelivery: string | null;
  /** The delivery came later than presumed: the tenant's term runs longer than the letter says. */
  readonly deliveredLaterThanPresumed: boolean;
}

type Facts = { presumedDelivery?: string; deadline?: string };

/**
 * What a letter's delivery rests on (interfaces.md §3.4): what its carrier reported or accepted,
 * or for a posted letter the presumption of the legal core (the 14-day letter's own, as stated in
 * it; otherwise the default rule from the posting day). A short message or e-mail not (yet)
 * accepted has none.
 */
export function deliveryOf(row: DeliveryRow): LetterDelivery {
  const evidence = row.tracking_code ? [row.tracking_code, row.delivery_evidence].filter(Boolean).join(' · ') : row.provider_reference;
  if (row.delivered_on && row.delivery_basis) return { on: row.delivered_on, basis: row.delivery_basis as DeliveryBasis, evidence };
  const posted = !shortChannels.has(row.channel as LetterChannel) && row.channel !== 'email';
  const facts = (row.facts ?? {}) as Facts;
  const presumed = posted && row.dispatch_state === 'sent' ? (facts.presumedDelivery ?? presumedDeliveryDate(row.posted_on, deliveryOffsetOn(row.posted_on))) : null;
  // A letter from before deliveries were recorded with their basis: what it held. Proof of
  // posting (the mail house's batch) is no evidence of delivery: a presumption has none.
  if (row.delivered_on) return { on: row.delivered_on, basis: 'presumed', evidence: null };
  return { on: presumed, basis: 'presumed', evidence: null };
}

export function wikTermEffect(row: DeliveryRow): WikTermEffect | null {
  const facts = (row.facts ?? {}) as Facts;
  if (row.kind !== 'wik' || !facts.presumedDelivery || !facts.deadline) return null;
  const reported = row.delivery_basis === 'registered_post' ? row.delivered_on : null;
  return {
    presumedDelivery: facts.presumedDelivery,
    deadline: facts.deadline,
    deadlineFromDelivery: reported ? wikLetterTermAfterDelivery({ delivered: reported }).deadline : null,
    deliveredLaterThanPresumed: reported !== null && reported > facts.presumedDelivery,
  };
}

/** Each letter of a case: the day it was delivered and on what basis (for GET /v1/cases/:caseId). */
export async function deliveriesOfCase(db: Kysely<Database>, caseId: string): Promise<Map<string, { deliveredOn: string | null; deliveryBasis: DeliveryBasis }>> {
  const rows = await db.selectFrom('letter').select([...deliveryColumns]).where('case_id', '=', caseId).execute();
  return new Map(rows.map((row) => {
    const delivery = deliveryOf(row);
    return [row.letter_id, { deliveredOn: delivery.on, deliveryBasis: delivery.basis }];
  }));
}
