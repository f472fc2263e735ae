import { z } from 'zod';
import { arrangementRefusals, arrangementRequestSchema, type ArrangementAccepted } from '../../../shared/arrangement/arrangement-messages.js';
import { businessDateSchema } from '../../../shared/calendar/plausible-dates.js';
import { bailiffEventSchema, type BailiffEventResult } from '../../../shared/track/bailiff-messages.js';
import { decisions, exceptionKinds, type Proposal } from '../../../shared/track/decisions.js';
import { segments, stages } from '../../../shared/track/stages.js';
import { multiLineNote, wellFormedId } from '../../../shared/validation/text.js';
import { caseIdParamsSchema } from './cases.js';
import { dateField, moneyField } from './response-fields.js';
import { defineRoute, describesEveryField, engineUnavailable, errorResponse, responseSchema } from './route-contract.js';

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

export const segmentRequestSchema = z.object({ segment: z.enum(segments) });
export const registerExceptionRequestSchema = z.object({ kind: z.enum(exceptionKinds), note: multiLineNote(2000).optional(), since: businessDateSchema.optional() });
export const exceptionParamsSchema = caseIdParamsSchema.extend({ kind: z.enum(exceptionKinds) });
export const resolveExceptionQuerySchema = z.object({ outcome: z.enum(['resume', 'write_off']).default('resume') });
export const proposalRequestSchema = z.object({ decision: z.enum(decisions) });
export const approvalRequestSchema = z.object({ decision: z.enum(decisions), proposalId: wellFormedId(100) });
export const arrangementProposalSchema = z.object({ instalments: arrangementRequestSchema.shape.instalments });
export const reversalParamsSchema = caseIdParamsSchema.extend({ transactionId: wellFormedId(100) });
export const reversalRequestSchema = z.object({ reversedOn: businessDateSchema, reasonCode: z.string().regex(/^[A-Z0-9]{4}$/, 'a SEPA reason code such as MD06') });
export { bailiffEventSchema };

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

const stageField = z.enum(stages);

const proposalSchema = responseSchema(
  'Proposal',
  describesEveryField<Proposal>()(z.object({
    proposalId: z.string(),
    decision: z.enum(decisions),
    proposedBy: z.string(),
    proposedAt: z.string(),
    status: z.enum(['pending', 'approved', 'withdrawn']),
    approvedBy: z.string().nullable(),
  })),
);

const arrangementAcceptedSchema = responseSchema(
  'ArrangementAccepted',
  describesEveryField<ArrangementAccepted>()(z.object({
    accepted: z.literal(true),
    arrangementId: z.string(),
    total: moneyField,
    instalments: z.array(z.object({ dueDate: dateField, amount: moneyField })),
    firstDueDate: dateField,
    lastDueDate: dateField,
  })),
);

const segmentConfirmedSchema = responseSchema('SegmentConfirmed', z.object({ segment: z.enum(segments) }));
const exceptionRegisteredSchema = responseSchema('ExceptionRegistered', z.object({ added: z.boolean(), stage: stageField }));
const exceptionResolvedSchema = responseSchema('ExceptionResolved', z.object({ stage: stageField, proposalId: z.string().nullable() }));
const reversalResultSchema = responseSchema('ReversalResult', z.object({ transactionId: z.string(), reversed: z.boolean(), outstanding: moneyField }));
const bailiffEventResultSchema = responseSchema(
  'BailiffEventResult',
  describesEveryField<BailiffEventResult>()(z.object({ eventId: z.string(), duplicate: z.boolean().meta({ description: 'the event was reported before: nothing changed' }), stage: stageField })),
);

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

const noCase = errorResponse('not_found: no such case');
const trackRefuses = errorResponse("conflict: the track's state does not allow it (closed, wrong stage)");

export const caseDecisionContracts = {
  confirmSegment: defineRoute({
    operationId: 'confirmSegment',
    method: 'post',
    path: '/v1/cases/:caseId/segment',
    access: ['operator'],
    scope: 'case',
    audit: 'decision',
    summary: "Confirm the case's segment (the one billing sent is a proposal until an operator confirms it)",
    params: caseIdParamsSchema,
    body: { schema: segmentRequestSchema, name: 'segment' },
    responses: { 200: { description: 'confirmed', schema: segmentConfirmedSchema }, 404: noCase, 409: trackRefuses, 503: engineUnavailable },
  }),
  registerException: defineRoute({
    operationId: 'registerException',
    method: 'post',
    path: '/v1/cases/:caseId/exceptions',
    access: ['operator'],
    scope: 'case',
    audit: 'decision',
    summary: 'Register an exception (WSNP, MSNP, GKB, bankruptcy, estate, dispute) that parks the track; the note stays in the database',
    params: caseIdParamsSchema,
    body: { schema: registerExceptionRequestSchema, name: 'exception' },
    responses: {
      201: { description: 'registered', schema: exceptionRegisteredSchema },
      200: { description: 'already registered: nothing changed', schema: exceptionRegisteredSchema },
      404: noCase,
      409: trackRefuses,
      503: engineUnavailable,
    },
  }),
  resolveException: defineRoute({
    operationId: 'resolveException',
    method: 'delete',
    path: '/v1/cases/:caseId/exceptions/:kind',
    access: ['operator'],
    scope: 'case',
    audit: 'decision',
    summary: 'Resolve an exception: the track resumes, or a write-off is proposed',
    params: exceptionParamsSchema,
    query: resolveExceptionQuerySchema,
    responses: {
      200: { description: 'resolved', schema: exceptionResolvedSchema },
      404: errorResponse('not_found: no such case, or the case has no such exception'),
      409: trackRefuses,
      503: engineUnavailable,
    },
  }),
  proposeDecision: defineRoute({
    operationId: 'proposeDecision',
    method: 'post',
    path: '/v1/cases/:caseId/proposals',
    access: ['operator', 'approver'],
    scope: 'case',
    audit: 'decision',
    summary: 'Propose a decision (hand-over, eviction, write-off) for a second person to approve',
    params: caseIdParamsSchema,
    body: { schema: proposalRequestSchema, name: 'proposal' },
    responses: { 201: { description: 'proposed', schema: proposalSchema }, 404: noCase, 409: trackRefuses, 503: engineUnavailable },
  }),
  approveDecision: defineRoute({
    operationId: 'approveDecision',
    method: 'post',
    path: '/v1/cases/:caseId/approvals',
    access: ['approver'],
    scope: 'case',
    audit: 'decision',
    summary: 'Approve a proposed decision (four-eyes: refused when the same person proposed it, whichever key they used)',
    params: caseIdParamsSchema,
    body: { schema: approvalRequestSchema, name: 'approval' },
    responses: {
      200: { description: 'approved', schema: proposalSchema },
      404: errorResponse('not_found: no such case or proposal'),
      409: errorResponse('conflict: the proposal is no longer pending, or the track does not allow it; same_person: the approver is the person who proposed it'),
      503: engineUnavailable,
    },
  }),
  proposeArrangement: defineRoute({
    operationId: 'proposeArrangement',
    method: 'post',
    path: '/v1/cases/:caseId/arrangements',
    access: ['operator'],
    scope: 'case',
    audit: 'decision',
    summary: 'Propose a payment arrangement: accepted (confirmation letter, monitored instalments) or 422 with the rule it breaks as the error code',
    params: caseIdParamsSchema,
    body: { schema: arrangementProposalSchema, name: 'arrangement' },
    responses: {
      200: { description: 'accepted', schema: arrangementAcceptedSchema },
      404: noCase,
      409: errorResponse('conflict: an arrangement is running, or the track does not allow one'),
      422: errorResponse(`the rule the arrangement breaks, as the code: ${arrangementRefusals.join(', ')}`),
      503: engineUnavailable,
    },
  }),
  reversePayment: defineRoute({
    operationId: 'reversePayment',
    method: 'post',
    path: '/v1/cases/:caseId/payments/:transactionId/reversal',
    access: ['billing'],
    scope: 'case',
    audit: 'decision',
    summary: 'Reverse a booked payment (a SEPA R-transaction); a repeat answers the state as it is now',
    params: reversalParamsSchema,
    body: { schema: reversalRequestSchema, name: 'reversal' },
    responses: {
      202: { description: 'reversed (or already reversed)', schema: reversalResultSchema },
      404: errorResponse('not_found: no such case or payment'),
      409: errorResponse('conflict: the payment was reversed with other content, or the track is closed'),
      503: engineUnavailable,
    },
  }),
  reportBailiffEvent: defineRoute({
    operationId: 'reportBailiffEvent',
    method: 'post',
    path: '/v1/bailiff/cases/:caseId/events',
    access: ['bailiff'],
    scope: 'case',
    audit: 'decision',
    summary: "A bailiff office reports what happened on a case handed to it; deduplicated by eventId. A case not handed to this key's office answers 404, as one that does not exist",
    params: caseIdParamsSchema,
    body: { schema: bailiffEventSchema, name: 'bailiff event' },
    responses: {
      202: { description: 'applied (or a repeat: duplicate)', schema: bailiffEventResultSchema },
      404: errorResponse("not_found: no such case, or not one handed to the key's office (the same answer)"),
      409: trackRefuses,
      422: errorResponse('bailiff_event_refused: the event does not fit the phase'),
      503: errorResponse('engine_unavailable, or the bailiff phase is being handed over: send the event again after Retry-After'),
    },
  }),
} as const;
