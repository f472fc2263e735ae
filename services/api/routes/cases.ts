import { Router } from 'express';
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../../infra/db/database.js';
import { money } from '../../../shared/money.js';
import { trackWorkflowId } from '../../../shared/track/workflow-id.js';
import { conflict, notFound, parseInput, unprocessable } from '../../http/errors.js';
import { allow, callerOf, forbidden } from '../auth.js';
import { caseIdParamsSchema, openCaseRequestSchema, paymentRequestSchema, type OpenCaseRequest } from '../case-requests.js';
import type { TrackClient } from '../track-client.js';
import { findCase } from '../find-case.js';

export interface CaseRoutesDeps {
  readonly db: Kysely<Database>;
  readonly tracks: TrackClient;
}

/**
 * Stores the case, its debtor and its claims, refusing a claim that repeats an invoiceRef with
 * other content: billing may repeat a call, not change history.
 */
export async function recordCase(db: Kysely<Database>, request: OpenCaseRequest) {
  const workflowId = trackWorkflowId(request.corporationId, request.contractRef);
  return db.transaction().execute(async (trx) => {
    const corporation = await trx
      .selectFrom('corporation')
      .select('corporation_id')
      .where('corporation_id', '=', request.corporationId)
      .executeTakeFirst();
    if (!corporation) throw unprocessable('unknown_corporation', `corporation ${request.corporationId} is not configured`);

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
    const { case_id: caseId } = await trx
      .selectFrom('collection_case')
      .select('case_id')
      .where('corporation_id', '=', request.corporationId)
      .where('contract_ref', '=', request.contractRef)
      .forUpdate()
      .executeTakeFirstOrThrow();

    const debtor = {
      name: request.debtor.name,
      street: request.debtor.address.street,
      postal_code: request.debtor.address.postalCode,
      city: request.debtor.address.city,
      email: request.debtor.email ?? null,
      phone: request.debtor.phone ?? null,
      iban: request.debtor.iban ?? null,
      bsn: request.debtor.bsn ?? null,
    };
    await trx
      .insertInto('debtor')
      .values({ case_id: caseId, ...debtor })
      .onConflict((oc) => oc.column('case_id').doUpdateSet({ ...debtor, updated_at: new Date() }))
      .execute();

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
    return { caseId, workflowId };
  });
}

export function caseRoutes({ db, tracks }: CaseRoutesDeps): Router {
  const router = Router();

  router.post('/v1/cases', allow('billing'), async (req, res) => {
    const request = parseInput(openCaseRequestSchema, req.body, 'case');
    const { caseId, workflowId } = await recordCase(db, request);
    const { opened } = await tracks.openOrExtend(
      { caseId, corporationId: request.corporationId, workflowId },
      request.segment,
      request.claims.map(({ invoiceRef, amount, dueDate }) => ({ invoiceRef, amount, dueDate })),
      { tenantDeparted: request.tenantDeparted, ...(request.municipalityCode ? { municipalityCode: request.municipalityCode } : {}) },
    );
    res.status(opened ? 201 : 200).json({ caseId, workflowId });
  });

  router.get('/v1/cases/:caseId', allow('billing', 'operator', 'approver', 'admin', 'bailiff'), async (req, res) => {
    const { caseId } = parseInput(caseIdParamsSchema, req.params, 'path');
    const row = await findCase(db, caseId);
    // A bailiff office sees only the cases handed over to it.
    const caller = callerOf(res.locals);
    if (caller.role === 'bailiff' && (row.bailiff_office_id === null || row.bailiff_office_id !== caller.bailiffOfficeId)) {
      throw forbidden('this case is not handed to your office');
    }
    const status = await tracks.status(row.workflow_id);
    const descriptions = await db
      .selectFrom('claim')
      .select(['invoice_ref', 'description'])
      .where('case_id', '=', caseId)
      .execute();
    const describe = new Map(descriptions.map((d) => [d.invoice_ref, d.description]));
    res.json({
      ...status,
      workflowId: row.workflow_id,
      claims: status.claims.map((c) => ({ ...c, description: describe.get(c.invoiceRef) ?? null })),
    });
  });

  router.post('/v1/cases/:caseId/payments', allow('billing'), async (req, res) => {
    const { caseId } = parseInput(caseIdParamsSchema, req.params, 'path');
    const payment = parseInput(paymentRequestSchema, req.body, 'payment');
    const row = await findCase(db, caseId);
    const inserted = await db
      .insertInto('payment')
      .values({ transaction_id: payment.transactionId, case_id: caseId, amount: payment.amount, booked_on: payment.bookedOn })
      .onConflict((oc) => oc.column('transaction_id').doNothing())
      .returning('transaction_id')
      .executeTakeFirst();
    if (!inserted) {
      const previous = await db.selectFrom('payment').selectAll().where('transaction_id', '=', payment.transactionId).executeTakeFirstOrThrow();
      if (previous.case_id !== caseId || !money(previous.amount).equals(payment.amount) || previous.booked_on !== payment.bookedOn) {
        throw conflict(`transaction ${payment.transactionId} is already registered with other details`);
      }
    }
    try {
      const result = await tracks.deliverPayment(row.workflow_id, payment);
      res.status(202).json({ transactionId: payment.transactionId, ...result });
    } catch (error) {
      // A repeat of a payment the (now closed) track already took answers as the first call did.
      if (!inserted && error instanceof Error && 'status' in error && (error as { status: number }).status === 409) {
        res.status(202).json({ transactionId: payment.transactionId, duplicate: true, outstanding: null, closed: true });
        return;
      }
      throw error;
    }
  });

  return router;
}
