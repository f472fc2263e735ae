import { Router } from 'express';
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../../infra/db/database.js';
import { money } from '../../../shared/money.js';
import { trackWorkflowId } from '../../../shared/track/workflow-id.js';
import { conflict } from '../../http/errors.js';
import { noteAudit } from '../audit-trail.js';
import { callerOf } from '../auth.js';
import { caseContracts, type OpenCaseRequest } from '../requests/cases.js';
import { mountRoute } from './mount-route.js';
import type { TrackClient } from '../track-client.js';
import { findCase } from '../find-case.js';
import { requireConfiguredCorporation } from '../configured-corporation.js';
import { requirePlausibleDates } from '../date-checks.js';
import { dateHorizonDays } from '../../../shared/calendar/plausible-dates.js';
import { statusOrStoredCase } from '../case-read-model.js';
import { debtorDetails, debtorDifferences, debtorDiffers, storeDebtorVersion } from '../debtor-versions.js';
import { anonymisedMarker } from '../../../shared/retention/anonymised.js';

export interface CaseRoutesDeps {
  readonly db: Kysely<Database>;
  readonly tracks: TrackClient;
  /** Today's Amsterdam date: the real clock, or the simulation's. */
  readonly today: () => Promise<string>;
}

/**
 * Stores the case, its debtor and its claims, refusing a claim that repeats an invoiceRef with
 * other content, and a debtor with other details: billing may repeat a call, not change history.
 * `changedBy` names who recorded the debtor's first version.
 */
export async function recordCase(db: Kysely<Database>, request: OpenCaseRequest, changedBy = 'billing') {
  const workflowId = trackWorkflowId(request.corporationId, request.contractRef);
  return db.transaction().execute(async (trx) => {
    await requireConfiguredCorporation(trx, request.corporationId);

    await trx
      .insertInto('collection_case')
      .values({
        case_id: randomUUID(),
        corporation_id: request.corporationId,
        contract_ref: request.contractRef,
        workflow_id: workflowId,
        proposed_segment: request.segment,
      })
      .onConflict((oc) => oc.columns(['corporation_id', 'contract_ref']).doNothing())
      .execute();
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
      if (differing.length > 0) throw debtorDiffers(caseId, differing);
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
    return { caseId, workflowId: recordedWorkflowId };
  });
}

export function caseRoutes({ db, tracks, today }: CaseRoutesDeps): Router {
  const router = Router();

  mountRoute(router, caseContracts.openCase, async ({ body: request }, res) => {
    const { caseId, workflowId } = await recordCase(db, request, callerOf(res.locals).actor);
    noteAudit(res, { caseId });
    const { opened } = await tracks.openOrExtend(
      { caseId, corporationId: request.corporationId, workflowId },
      request.segment,
      request.claims.map(({ invoiceRef, amount, dueDate }) => ({ invoiceRef, amount, dueDate })),
      { tenantDeparted: request.tenantDeparted, ...(request.municipalityCode ? { municipalityCode: request.municipalityCode } : {}) },
    );
    res.status(opened ? 201 : 200).json({ caseId, workflowId });
  });

  mountRoute(router, caseContracts.caseStatus, async ({ params: { caseId } }, res) => {
    // The contract's scope let through only a case the key holds (a bailiff: one handed to its office).
    const row = await findCase(db, caseId);
    const status = await statusOrStoredCase(db, tracks, row);
    if ('stale' in status) return void res.json(status);
    const descriptions = await db
      .selectFrom('claim')
      .select(['invoice_ref', 'description'])
      .where('case_id', '=', caseId)
      .execute();
    const describe = new Map(descriptions.map((d) => [d.invoice_ref, d.description]));
    const reference = await db.selectFrom('payment_reference').select('reference').where('case_id', '=', caseId).executeTakeFirst();
    res.json({
      ...status,
      workflowId: row.workflow_id,
      paymentReference: reference?.reference ?? null,
      claims: status.claims.map((c) => ({ ...c, description: describe.get(c.invoiceRef) ?? null })),
    });
  });

  mountRoute(router, caseContracts.deliverPayment, async ({ params: { caseId }, body: payment }, res) => {
    requirePlausibleDates('payment', await today(), [{ path: ['bookedOn'], date: payment.bookedOn, maxDaysAfter: dateHorizonDays.recorded }]);
    const row = await findCase(db, caseId);
    // The track books it, or refuses it; the payment table follows the track (its projection).
    const result = await tracks.deliverPayment(row.workflow_id, payment);
    res.status(202).json({ transactionId: payment.transactionId, ...result });
  });

  return router;
}
