import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import type { DeliveryBasis } from '../../../shared/letters/delivery.js';
import { HttpError } from '../../http/errors.js';

/** The tables whose rows are dispatched (infra/db/dispatch-columns.ts): letters and direct-debit pre-notifications. */
export type DispatchedTable = 'letter' | 'direct_debit_prenotice';

/** What a carrier reports once it has taken a letter. */
export interface Dispatched {
  readonly provider: 'smtp' | 'mailhouse' | 'sms-gateway';
  /** The e-mail's Message-ID, the mail house's batch (posting day), the gateway's message id. */
  readonly reference: string;
  /** Set when taking it is the delivery we can show (SMTP or gateway acceptance); null: presumed, or reported later. */
  readonly deliveredOn: string | null;
  readonly basis: DeliveryBasis | null;
}

/**
 * How long a claimed send is left alone before another attempt may take it over: longer than a
 * carrier takes to answer (nodemailer's and the gateway client's timeouts are shorter), shorter
 * than the activity's retries take to come back.
 */
export const sendingLeaseSeconds = 60;

/**
 * Dispatches a stored letter exactly once, as a state machine in its row:
 *
 *   pending ──claim──▶ sending ──carrier accepted──▶ sent
 *
 * 1. Claim: one UPDATE moves `pending` (or a `sending` whose lease ran out: its sender died) to
 *    `sending`, counting the attempt, and commits. Only one caller wins; a concurrent retry finds
 *    the lease held and gets 503 (the activity retries), a later one finds `sent` and sends nothing.
 * 2. Hand the letter to its carrier, under the letter's own id (the e-mail's Message-ID, the
 *    gateway's message id, the PDF's name in the mail house's batch).
 * 3. Record `sent` with the carrier's reference and, where the carrier's acceptance is the proof,
 *    the delivery.
 *
 * A failure the carrier reports puts the row back to `pending`. If the process dies between the
 * carrier's acceptance and step 3, the row stays `sending`; after the lease the retry sends again
 * under the same id. The carrier sees a repeat it can recognise (the gateway answers it as a
 * duplicate, the batch replaces the file and its manifest line, the mail relay gets the same
 * Message-ID and our local server keeps one .eml), and `dispatch_attempts` = 2 records that it
 * happened. So: at most one letter as the tenant sees it, exactly one `sent` record.
 */
export async function dispatchOnce(db: Kysely<Database>, letterId: string, send: () => Promise<Dispatched>, table: DispatchedTable = 'letter'): Promise<void> {
  // Both tables carry the same DispatchColumns and key them by letter_id; Kysely cannot type a
  // query over "either table", so the letter table's name stands for both.
  const rows = table as 'letter';
  const claimed = await db
    .updateTable(rows)
    .set({ dispatch_state: 'sending', sending_since: sql<Date>`now()`, dispatch_attempts: sql<number>`dispatch_attempts + 1` })
    .where('letter_id', '=', letterId)
    .where((eb) =>
      eb.or([eb('dispatch_state', '=', 'pending'), eb.and([eb('dispatch_state', '=', 'sending'), eb('sending_since', '<', sql<Date>`now() - make_interval(secs => ${sendingLeaseSeconds})`)])]),
    )
    .returning('dispatch_attempts')
    .executeTakeFirst();
  if (!claimed) {
    const row = await db.selectFrom(rows).select('dispatch_state').where('letter_id', '=', letterId).executeTakeFirstOrThrow();
    if (row.dispatch_state === 'sent') return;
    throw new HttpError(503, 'dispatch_in_progress', `letter ${letterId} is being handed to its carrier; ask again shortly`, [], { 'retry-after': '5' });
  }
  let dispatched: Dispatched;
  try {
    dispatched = await send();
  } catch (error) {
    await db.updateTable(rows).set({ dispatch_state: 'pending', sending_since: null }).where('letter_id', '=', letterId).where('dispatch_state', '=', 'sending').execute();
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(503, 'carrier_unavailable', `letter ${letterId} could not be handed to its carrier: ${reason}`, [], { 'retry-after': '10' });
  }
  await db
    .updateTable(rows)
    .set({
      dispatch_state: 'sent',
      sending_since: null,
      dispatched_at: sql<Date>`now()`,
      provider: dispatched.provider,
      provider_reference: dispatched.reference,
      ...(dispatched.deliveredOn ? { delivered_on: dispatched.deliveredOn, delivery_basis: dispatched.basis } : {}),
    })
    .where('letter_id', '=', letterId)
    .execute();
}
