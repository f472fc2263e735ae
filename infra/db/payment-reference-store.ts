import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { makeBetalingskenmerk } from '../../shared/bank/betalingskenmerk.js';

/**
 * The case's betalingskenmerk: one per case, stable, numbered from `payment_reference_seq`. Issued
 * by the case intake in the case's own transaction (services/case-intake/record-case.ts), so a new
 * track needs no call to the bank service; the bank service's `POST /payment-references` issues it
 * for a case that has none yet (tracks opened before intake did this).
 */

/** The next number of the sequence, as text: a column of an insert's RETURNING takes it without a round trip of its own. */
export const nextPaymentReferenceNumber = sql<string>`nextval('payment_reference_seq')::text`;

/** The reference the sequence's number `n` makes: a leading 5 marks references issued by this system. */
export function paymentReferenceNumbered(n: string): string {
  return makeBetalingskenmerk(`5${n.padStart(14, '0')}`);
}

/**
 * The case's reference, issued when it has none; a concurrent issuer's reference wins and is the
 * one returned. `issued` says whether it had none when asked.
 */
export async function ensurePaymentReference(db: Kysely<Database>, caseId: string): Promise<{ reference: string; issued: boolean }> {
  const known = await db.selectFrom('payment_reference').select('reference').where('case_id', '=', caseId).executeTakeFirst();
  if (known) return { reference: known.reference, issued: false };
  const { rows } = await sql<{ n: string }>`select ${nextPaymentReferenceNumber} as n`.execute(db);
  await db
    .insertInto('payment_reference')
    .values({ case_id: caseId, reference: paymentReferenceNumbered(rows[0]!.n) })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .execute();
  const stored = await db.selectFrom('payment_reference').select('reference').where('case_id', '=', caseId).executeTakeFirstOrThrow();
  return { reference: stored.reference, issued: true };
}
