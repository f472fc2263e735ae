import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { dateHorizonDays } from '../../../shared/calendar/plausible-dates.js';
import { proposeArrangementUpdate } from '../../../shared/arrangement/arrangement-messages.js';
import { bailiffPhaseWorkflowId } from '../../../shared/track/workflow-id.js';
import {
  approveDecisionUpdate,
  confirmSegmentUpdate,
  proposeDecisionUpdate,
  registerExceptionUpdate,
  resolveExceptionUpdate,
  reversePaymentUpdate,
} from '../../../shared/track/messages.js';
import { callerOf } from '../auth.js';
import { deliverBailiffEvent } from '../bailiff-event-delivery.js';
import { requirePlausibleDates } from '../date-checks.js';
import { caseDecisionContracts as contracts } from '../requests/case-decisions.js';
import type { TrackClient } from '../../track-client/track-client.js';
import { findCase } from '../find-case.js';
import { mountRoute } from './mount-route.js';

export interface DecisionRoutesDeps {
  readonly db: Kysely<Database>;
  readonly tracks: TrackClient;
  readonly today: () => Promise<string>;
}

/**
 * What people and bailiff offices do to a running track: confirm the segment, register and
 * resolve exceptions, propose and approve (four-eyes) decisions, reverse a payment, report
 * bailiff events. Free text (an exception's note) goes to Postgres, never into the workflow.
 */
export function caseDecisionRoutes({ db, tracks, today }: DecisionRoutesDeps): Router {
  const router = Router();

  mountRoute(router, contracts.confirmSegment, async ({ params: { caseId }, body: { segment } }, res) => {
    const row = await findCase(db, caseId);
    res.json(await tracks.update(row.workflow_id, confirmSegmentUpdate, [{ segment, actor: callerOf(res.locals).actor }]));
  });

  mountRoute(router, contracts.registerException, async ({ params: { caseId }, body }, res) => {
    const todayDate = await today();
    requirePlausibleDates('exception', todayDate, [{ path: ['since'], date: body.since, maxDaysAfter: dateHorizonDays.recorded }]);
    const row = await findCase(db, caseId);
    const actor = callerOf(res.locals).actor;
    const result = await tracks.update(row.workflow_id, registerExceptionUpdate, [{ kind: body.kind, since: body.since ?? todayDate, actor }]);
    if (body.note) await db.insertInto('case_note').values({ case_id: caseId, topic: `exception:${body.kind}`, actor, note: body.note }).execute();
    res.status(result.added ? 201 : 200).json(result);
  });

  mountRoute(router, contracts.resolveException, async ({ params: { caseId, kind }, query: { outcome } }, res) => {
    const row = await findCase(db, caseId);
    res.json(await tracks.update(row.workflow_id, resolveExceptionUpdate, [{ kind, outcome, actor: callerOf(res.locals).actor }]));
  });

  mountRoute(router, contracts.proposeDecision, async ({ params: { caseId }, body: { decision } }, res) => {
    const row = await findCase(db, caseId);
    res.status(201).json(await tracks.update(row.workflow_id, proposeDecisionUpdate, [{ decision, actor: callerOf(res.locals).actor }]));
  });

  mountRoute(router, contracts.approveDecision, async ({ params: { caseId }, body }, res) => {
    const row = await findCase(db, caseId);
    res.json(await tracks.update(row.workflow_id, approveDecisionUpdate, [{ ...body, actor: callerOf(res.locals).actor }], `approval-${body.proposalId}-${callerOf(res.locals).actor}`));
  });

  mountRoute(router, contracts.proposeArrangement, async ({ params: { caseId }, body }, res) => {
    const row = await findCase(db, caseId);
    res.json(await tracks.update(row.workflow_id, proposeArrangementUpdate, [{ instalments: body.instalments, actor: callerOf(res.locals).actor }]));
  });

  mountRoute(router, contracts.reversePayment, async ({ params: { caseId, transactionId }, body }, res) => {
    requirePlausibleDates('reversal', await today(), [{ path: ['reversedOn'], date: body.reversedOn, maxDaysAfter: dateHorizonDays.recorded }]);
    const row = await findCase(db, caseId);
    // No update id: the track answers a repeat with the state as it is now, and refuses one that differs.
    const result = await tracks.update(row.workflow_id, reversePaymentUpdate, [{ transactionId, ...body }]);
    res.status(202).json({ transactionId, ...result });
  });

  mountRoute(router, contracts.reportBailiffEvent, async ({ params: { caseId }, body: event }, res) => {
    requirePlausibleDates('bailiff event', await today(), [
      { path: ['date'], date: event.date, maxDaysAfter: dateHorizonDays.recorded },
      { path: ['evictionDate'], date: event.evictionDate, maxDaysAfter: dateHorizonDays.scheduled },
    ]);
    // The contract's scope let through only a case handed to the key's office.
    const row = await findCase(db, caseId);
    const result = await deliverBailiffEvent(tracks, bailiffPhaseWorkflowId(row.workflow_id), event);
    res.status(202).json({ eventId: event.eventId, ...result });
  });

  return router;
}

