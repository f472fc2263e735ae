import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { corporationExists } from '../../infra/db/corporation-store.js';
import type { Database } from '../../infra/db/database.js';
import { money } from '../../shared/money.js';
import { anonymisedMarker } from '../../shared/retention/anonymised.js';
import { ensurePaymentReference, nextPaymentReferenceNumber, paymentReferenceNumbered } from '../../infra/db/payment-reference-store.js';
import { trackWorkflowId } from '../../shared/track/workflow-id.js';
import { conflict, unprocessable } from '../http/errors.js';
import type { CaseIntake } from './case-intake.js';
import { debtorDetails, debtorDifferences, debtorDiffers, storeDebtorVersion } from './debtor-versions.js';

export interface RecordCaseOptions {
  /** Who recorded the debtor's first version. */
  readonly changedBy?: string;
  /**
   * `must_match` (billing): a repeat with other debtor details is refused, billing may repeat a
   * call, not change history. `keep_recorded` (the collection service): the case's debtor stays
   * as recorded and only the claims are added; the occupant's details become the debtor only of
   * a contract that has no case yet. The occupancy's copy of a tenant's details is not the place
   * that corrects billing's (PUT /v1/cases/:caseId/debtor is).
   */
  readonly debtor?: 'must_match' | 'keep_recorded';
  /**
   * Issue the case's betalingskenmerk in the same transaction when it has none (openCase does):
   * the track gets it in its start input and needs no call to the bank service.
   */
  readonly issuePaymentReference?: boolean;
}

export interface RecordedCase {
  readonly caseId: string;
  readonly workflowId: string;
  /** The case's betalingskenmerk, when it was asked to issue one (issuePaymentReference). */
  readonly paymentReference?: string;
}

/**
 * Stores the case, its debtor and its claims, refusing a claim that repeats an invoiceRef with
 * other content. A claim it knows with the same content is left as it is, so a repeat is a no-op.
 */
export async function recordCase(db: Kysely<Database>, request: CaseIntake, options: RecordCaseOptions | string = {}): Promise<RecordedCase> {
  const { changedBy = 'billing', debtor: debtorRule = 'must_match', issuePaymentReference = false } = typeof options === 'string' ? { changedBy: options } : options;
  const workflowId = trackWorkflowId(request.corporationId, request.contractRef);
  return db.transaction().execute(async (trx) => {
    if (!(await corporationExists(trx, request.corporationId))) throw unprocessable('unknown_corporation', `corporation ${request.corporationId} is not configured`);

    const inserted = await trx
      .insertInto('collection_case')
      .values({
        case_id: randomUUID(),
        corporation_id: request.corporationId,
        contract_ref: request.contractRef,
        workflow_id: workflowId,
        proposed_segment: request.segment,
      })
      .onConflict((oc) => oc.columns(['corporation_id', 'contract_ref']).doNothing())
      .returning(['case_id', 'workflow_id'])
      // The reference's number comes with the new case's row, without a round trip of its own.
      .$if(issuePaymentReference, (insert) => insert.returning(nextPaymentReferenceNumber.as('reference_number')))
      .executeTakeFirst();
    // A contract new to collection (most of a month's intake): nothing is on record to compare
    // with, so its debtor, claims and payment reference go in without looking first. Five statements instead of a
    // dozen round trips in the request (bench/intake.ts measures it). Claims that repeat an
    // invoiceRef within the request take the general way below, which keeps the first.
    if (inserted && new Set(request.claims.map((c) => c.invoiceRef)).size === request.claims.length) {
      const details = debtorDetails(request.debtor);
      await trx.insertInto('debtor_version').values({ case_id: inserted.case_id, version: 1, ...details, changed_by: changedBy }).execute();
      await trx.insertInto('debtor').values({ case_id: inserted.case_id, ...details, version: 1 }).execute();
      await trx
        .insertInto('claim')
        .values(request.claims.map((claim) => ({ case_id: inserted.case_id, invoice_ref: claim.invoiceRef, description: claim.description, amount: claim.amount, due_date: claim.dueDate })))
        .execute();
      if (!issuePaymentReference) return { caseId: inserted.case_id, workflowId: inserted.workflow_id };
      const paymentReference = paymentReferenceNumbered(inserted.reference_number!);
      await trx.insertInto('payment_reference').values({ case_id: inserted.case_id, reference: paymentReference }).execute();
      return { caseId: inserted.case_id, workflowId: inserted.workflow_id, paymentReference };
    }
    // The id the case was recorded with: a case opened under an older id format keeps its track.
    const { case_id: caseId, workflow_id: recordedWorkflowId } = await trx
      .selectFrom('collection_case')
      .select(['case_id', 'workflow_id'])
      .where('corporation_id', '=', request.corporationId)
      .where('contract_ref', '=', request.contractRef)
      .forUpdate()
      .executeTakeFirstOrThrow();

    // The debtor is recorded once; a repeat may not change it (PUT /v1/cases/:caseId/debtor does, with history).
    const debtor = debtorDetails(request.debtor);
    const recordedDebtor = await trx.selectFrom('debtor').selectAll().where('case_id', '=', caseId).executeTakeFirst();
    // Anonymised after its retention period: a new cycle on the contract records the debtor afresh.
    if (recordedDebtor && recordedDebtor.name !== anonymisedMarker) {
      const differing = debtorDifferences(recordedDebtor, debtor);
      if (differing.length > 0 && debtorRule === 'must_match') throw debtorDiffers(caseId, differing);
    } else {
      await storeDebtorVersion(trx, caseId, debtor, changedBy);
    }

    const known = await trx
      .selectFrom('claim')
      .select(['invoice_ref', 'amount', 'due_date'])
      .where('case_id', '=', caseId)
      .execute();
    for (const claim of request.claims) {
      const previous = known.find((k) => k.invoice_ref === claim.invoiceRef);
      if (previous) {
        if (!money(previous.amount).equals(claim.amount) || previous.due_date !== claim.dueDate) {
          throw conflict(`claim ${claim.invoiceRef} is already registered with amount ${previous.amount} due ${previous.due_date}`);
        }
        continue;
      }
      await trx
        .insertInto('claim')
        .values({ case_id: caseId, invoice_ref: claim.invoiceRef, description: claim.description, amount: claim.amount, due_date: claim.dueDate })
        .execute();
    }
    if (!issuePaymentReference) return { caseId, workflowId: recordedWorkflowId };
    return { caseId, workflowId: recordedWorkflowId, paymentReference: (await ensurePaymentReference(trx, caseId)).reference };
  });
}
