import type { Kysely } from 'kysely';
import { claimsOfCase, type StoredClaim } from '../../../infra/db/case-store.js';
import type { Database } from '../../../infra/db/database.js';
import type { TrackStatus } from '../../../shared/track/track-status.js';
import { statusOrStoredCase } from '../case-read-model.js';
import { deliveryColumns, deliveryOf, type LetterDelivery } from '../letter-delivery.js';
import type { TrackClient } from '../../track-client/track-client.js';

export interface DossierLetter {
  readonly letterId: string;
  readonly kind: string;
  readonly channel: string;
  readonly template: string;
  readonly postedOn: string;
  readonly dispatchedAt: Date | null;
  readonly dispatchAttempts: number;
  readonly sha256: string | null;
  readonly pages: number | null;
  readonly delivery: LetterDelivery;
  readonly body: string;
  readonly pdf: Buffer | null;
}

/** Everything a court may ask of a case, from Postgres and the track's own record. */
export interface DossierData {
  readonly caseId: string;
  readonly contractRef: string;
  readonly corporationName: string;
  readonly debtor: { readonly name: string; readonly street: string; readonly postalCode: string; readonly city: string };
  readonly paymentReference: string | null;
  readonly claims: readonly StoredClaim[];
  readonly payments: readonly { transactionId: string; amount: string; bookedOn: string; reversedOn: string | null; reversalReason: string | null }[];
  readonly letters: readonly DossierLetter[];
  readonly tasks: readonly { kind: string; openedOn: string; status: string; outcome: string | null; promisedOn: string | null; completedBy: string | null }[];
  readonly earlyWarning: readonly { signalDate: string; municipalityCode: string | null; arrears: string; receipt: string }[];
  /** Null when the engine could not be reached: the dossier then says it holds the database's record only. */
  readonly track: TrackStatus | null;
}

export async function dossierData(db: Kysely<Database>, tracks: TrackClient, caseId: string): Promise<DossierData> {
  const row = await db
    .selectFrom('collection_case')
    .innerJoin('corporation', 'corporation.corporation_id', 'collection_case.corporation_id')
    .innerJoin('debtor', 'debtor.case_id', 'collection_case.case_id')
    .select(['collection_case.case_id', 'collection_case.workflow_id', 'collection_case.contract_ref', 'corporation.name as corporation_name', 'debtor.name', 'debtor.street', 'debtor.postal_code', 'debtor.city'])
    .where('collection_case.case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  const [claims, payments, letters, tasks, signals, reference] = await Promise.all([
    claimsOfCase(db, caseId),
    db.selectFrom('payment').select(['transaction_id', 'amount', 'booked_on', 'reversed_on', 'reversal_reason']).where('case_id', '=', caseId).orderBy('booked_on').orderBy('transaction_id').execute(),
    db
      .selectFrom('letter')
      .select([...deliveryColumns, 'template', 'sha256', 'pages', 'body', 'pdf', 'dispatch_attempts'])
      .where('case_id', '=', caseId)
      .orderBy('posted_on')
      .orderBy('created_at')
      .execute(),
    db.selectFrom('task').select(['kind', 'opened_on', 'status', 'outcome', 'promised_on', 'completed_by']).where('case_id', '=', caseId).orderBy('opened_on').orderBy('task_id').execute(),
    db.selectFrom('early_warning_signal').select(['signal_date', 'municipality_code', 'arrears', 'receipt']).where('case_id', '=', caseId).orderBy('signal_date').execute(),
    db.selectFrom('payment_reference').select('reference').where('case_id', '=', caseId).executeTakeFirst(),
  ]);
  const status = await statusOrStoredCase(db, tracks, row);
  return {
    caseId,
    contractRef: row.contract_ref,
    corporationName: row.corporation_name,
    debtor: { name: row.name, street: row.street, postalCode: row.postal_code, city: row.city },
    paymentReference: reference?.reference ?? null,
    claims,
    payments: payments.map((p) => ({ transactionId: p.transaction_id, amount: p.amount, bookedOn: p.booked_on, reversedOn: p.reversed_on, reversalReason: p.reversal_reason })),
    letters: letters.map((l) => ({
      letterId: l.letter_id,
      kind: l.kind,
      channel: l.channel,
      template: l.template,
      postedOn: l.posted_on,
      dispatchedAt: l.dispatched_at,
      dispatchAttempts: l.dispatch_attempts,
      sha256: l.sha256,
      pages: l.pages,
      delivery: deliveryOf(l),
      body: l.body,
      pdf: l.pdf,
    })),
    tasks: tasks.map((t) => ({ kind: t.kind, openedOn: t.opened_on, status: t.status, outcome: t.outcome, promisedOn: t.promised_on, completedBy: t.completed_by })),
    earlyWarning: signals.map((s) => ({ signalDate: s.signal_date, municipalityCode: s.municipality_code, arrears: s.arrears, receipt: s.receipt })),
    track: 'stale' in status ? null : status,
  };
}
