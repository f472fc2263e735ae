import { Router } from 'express';
import type { Kysely } from 'kysely';
import { claimsOfCase } from '../../../infra/db/case-store.js';
import type { Database } from '../../../infra/db/database.js';
import { noteAudit } from '../audit-trail.js';
import { callerOf } from '../auth.js';
import { caseContracts } from '../requests/cases.js';
import { mountRoute } from './mount-route.js';
import type { TrackClient } from '../../track-client/track-client.js';
import { findCase } from '../find-case.js';
import { requirePlausibleDates } from '../date-checks.js';
import { dateHorizonDays } from '../../../shared/calendar/plausible-dates.js';
import { statusOrStoredCase } from '../case-read-model.js';
import { deliveriesOfCase } from '../letter-delivery.js';
import { openCase } from '../../case-intake/open-case.js';

/** Stores a case as POST /v1/cases does (tests seed cases with it). */
export { recordCase } from '../../case-intake/record-case.js';

export interface CaseRoutesDeps {
  readonly db: Kysely<Database>;
  readonly tracks: TrackClient;
  /** Today's Amsterdam date: the real clock, or the simulation's. */
  readonly today: () => Promise<string>;
}

export function caseRoutes({ db, tracks, today }: CaseRoutesDeps): Router {
  const router = Router();

  mountRoute(router, caseContracts.openCase, async ({ body: request }, res) => {
    const { caseId, workflowId, opened } = await openCase(db, tracks, request, { changedBy: callerOf(res.locals).actor, onRecorded: (id) => noteAudit(res, { caseId: id }) });
    res.status(opened ? 201 : 200).json({ caseId, workflowId });
  });

  mountRoute(router, caseContracts.caseStatus, async ({ params: { caseId } }, res) => {
    // The contract's scope let through only a case the key holds (a bailiff: one handed to its office).
    const row = await findCase(db, caseId);
    const status = await statusOrStoredCase(db, tracks, row);
    if ('stale' in status) return void res.json(status);
    const describe = new Map((await claimsOfCase(db, caseId)).map((c) => [c.invoiceRef, c.description]));
    const reference = await db.selectFrom('payment_reference').select('reference').where('case_id', '=', caseId).executeTakeFirst();
    // Proof of delivery lives with the letters (the mail house reports it to the API, not the track).
    const deliveries = await deliveriesOfCase(db, caseId);
    res.json({
      ...status,
      letters: status.letters.map((l) => ({ ...l, ...(deliveries.get(l.letterId) ?? { deliveredOn: l.deliveredAt, deliveryBasis: 'presumed' }) })),
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
