import type { Kysely } from 'kysely';
import type { Database } from './database.js';

/** A case's keys: what reaches its track, and what a key's corporation or a bailiff's office is checked against. */
export function caseKeys(db: Kysely<Database>, caseId: string) {
  return db
    .selectFrom('collection_case')
    .select(['case_id', 'corporation_id', 'workflow_id', 'bailiff_office_id'])
    .where('case_id', '=', caseId)
    .executeTakeFirst();
}

/** A claim as billing sent it (the track computes the rest). */
export interface StoredClaim {
  readonly invoiceRef: string;
  readonly description: string;
  readonly amount: string;
  readonly dueDate: string;
}

/** A case's claims, oldest due first; only those of `invoiceRefs` when given. */
export async function claimsOfCase(db: Kysely<Database>, caseId: string, invoiceRefs?: readonly string[]): Promise<StoredClaim[]> {
  // An empty IN list is no SQL: asked for no invoices, there are none.
  if (invoiceRefs?.length === 0) return [];
  const rows = await db
    .selectFrom('claim')
    .select(['invoice_ref', 'description', 'amount', 'due_date'])
    .where('case_id', '=', caseId)
    .$if(invoiceRefs !== undefined, (qb) => qb.where('invoice_ref', 'in', invoiceRefs!))
    .orderBy('due_date')
    .orderBy('invoice_ref')
    .execute();
  return rows.map((c) => ({ invoiceRef: c.invoice_ref, description: c.description, amount: c.amount, dueDate: c.due_date }));
}
