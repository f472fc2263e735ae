import { Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../infra/db/database.js';
import { isoDateSchema } from '../../../shared/calendar/iso-date.js';
import { arrangementRequestSchema, proposeArrangementUpdate } from '../../../shared/arrangement/arrangement-messages.js';
import { bailiffEventSchema, bailiffEventUpdate, bailiffPhaseWorkflowId } from '../../../shared/track/bailiff-messages.js';
import { decisions, exceptionKinds } from '../../../shared/track/decisions.js';
import {
  approveDecisionUpdate,
  confirmSegmentUpdate,
  proposeDecisionUpdate,
  registerExceptionUpdate,
  resolveExceptionUpdate,
  reversePaymentUpdate,
} from '../../../shared/track/messages.js';
import { segments } from '../../../shared/track/stages.js';
import { notFound, parseInput } from '../../http/errors.js';
import { allow, callerOf, forbidden } from '../auth.js';
import { caseIdParamsSchema } from '../case-requests.js';
import type { TrackClient } from '../track-client.js';
import { findCase } from '../find-case.js';

export interface DecisionRoutesDeps {
  readonly db: Kysely<Database>;
  readonly tracks: TrackClient;
  readonly today: () => Promise<string>;
}

const segmentBody = z.object({ segment: z.enum(segments) });
const exceptionBody = z.object({ kind: z.enum(exceptionKinds), note: z.string().trim().max(2000).optional(), since: isoDateSchema.optional() });
const resolveQuery = z.object({ outcome: z.enum(['resume', 'write_off']).default('resume') });
const proposalBody = z.object({ decision: z.enum(decisions) });
const approvalBody = z.object({ decision: z.enum(decisions), proposalId: z.string().min(1).max(100) });
const arrangementBody = z.object({ instalments: arrangementRequestSchema.shape.instalments });
const reversalBody = z.object({ reversedOn: isoDateSchema, reasonCode: z.string().regex(/^[A-Z0-9]{4}$/, 'a SEPA reason code such as MD06') });

/**
 * What people and bailiff offices do to a running track: confirm the segment, register and
 * resolve exceptions, propose and approve (four-eyes) decisions, reverse a payment, report
 * bailiff events. Free text (an exception's note) goes to Postgres, never into the workflow.
 */
export function caseDecisionRoutes({ db, tracks, today }: DecisionRoutesDeps): Router {
  const router = Router();

  router.post('/v1/cases/:caseId/segment', allow('operator'), async (req, res) => {
    const { caseId } = parseInput(caseIdParamsSchema, req.params, 'path');
    const { segment } = parseInput(segmentBody, req.body, 'segment');
    const row = await findCase(db, caseId);
    res.json(await tracks.update(row.workflow_id, confirmSegmentUpdate, [{ segment, actor: callerOf(res.locals).actor }]));
  });

  router.post('/v1/cases/:caseId/exceptions', allow('operator'), async (req, res) => {
    const { caseId } = parseInput(caseIdParamsSchema, req.params, 'path');
    const body = parseInput(exceptionBody, req.body, 'exception');
    const row = await findCase(db, caseId);
    const actor = callerOf(res.locals).actor;
    const result = await tracks.update(row.workflow_id, registerExceptionUpdate, [{ kind: body.kind, since: body.since ?? (await today()), actor }]);
    if (body.note) await db.insertInto('case_note').values({ case_id: caseId, topic: `exception:${body.kind}`, actor, note: body.note }).execute();
    res.status(result.added ? 201 : 200).json(result);
  });

  router.delete('/v1/cases/:caseId/exceptions/:kind', allow('operator'), async (req, res) => {
    const { caseId, kind } = parseInput(caseIdParamsSchema.extend({ kind: z.enum(exceptionKinds) }), req.params, 'path');
    const { outcome } = parseInput(resolveQuery, req.query, 'query');
    const row = await findCase(db, caseId);
    res.json(await tracks.update(row.workflow_id, resolveExceptionUpdate, [{ kind, outcome, actor: callerOf(res.locals).actor }]));
  });

  router.post('/v1/cases/:caseId/proposals', allow('operator', 'approver'), async (req, res) => {
    const { caseId } = parseInput(caseIdParamsSchema, req.params, 'path');
    const { decision } = parseInput(proposalBody, req.body, 'proposal');
    const row = await findCase(db, caseId);
    res.status(201).json(await tracks.update(row.workflow_id, proposeDecisionUpdate, [{ decision, actor: callerOf(res.locals).actor }]));
  });

  router.post('/v1/cases/:caseId/approvals', allow('approver'), async (req, res) => {
    const { caseId } = parseInput(caseIdParamsSchema, req.params, 'path');
    const body = parseInput(approvalBody, req.body, 'approval');
    const row = await findCase(db, caseId);
    res.json(await tracks.update(row.workflow_id, approveDecisionUpdate, [{ ...body, actor: callerOf(res.locals).actor }], `approval-${body.proposalId}-${callerOf(res.locals).actor}`));
  });

  router.post('/v1/cases/:caseId/arrangements', allow('operator'), async (req, res) => {
    const { caseId } = parseInput(caseIdParamsSchema, req.params, 'path');
    const body = parseInput(arrangementBody, req.body, 'arrangement');
    const row = await findCase(db, caseId);
    res.json(await tracks.update(row.workflow_id, proposeArrangementUpdate, [{ instalments: body.instalments, actor: callerOf(res.locals).actor }]));
  });

  router.post('/v1/cases/:caseId/payments/:transactionId/reversal', allow('billing'), async (req, res) => {
    const { caseId, transactionId } = parseInput(caseIdParamsSchema.extend({ transactionId: z.string().min(1).max(100) }), req.params, 'path');
    const body = parseInput(reversalBody, req.body, 'reversal');
    const row = await findCase(db, caseId);
    const result = await tracks.update(row.workflow_id, reversePaymentUpdate, [{ transactionId, ...body }], `reversal-${transactionId}`);
    res.status(202).json({ transactionId, ...result });
  });

  router.post('/v1/bailiff/cases/:caseId/events', allow('bailiff'), async (req, res) => {
    const { caseId } = parseInput(caseIdParamsSchema, req.params, 'path');
    const event = parseInput(bailiffEventSchema, req.body, 'bailiff event');
    const row = await findCase(db, caseId);
    if (!row.bailiff_office_id || row.bailiff_office_id !== callerOf(res.locals).bailiffOfficeId) throw forbidden('this case is not handed to your office');
    const result = await tracks.update(bailiffPhaseWorkflowId(row.workflow_id), bailiffEventUpdate, [event], `bailiff-${event.eventId}`);
    res.status(202).json({ eventId: event.eventId, ...result });
  });

  return router;
}

