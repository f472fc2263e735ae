import { z } from 'zod';
import { segments } from '../../../shared/track/stages.js';
// The hold request schemas live with the rest of the holds (services/api/holds/): the query
// language they parse is there. This module adds the responses and the routes' contracts.
import { createHoldRequestSchema, holdIdParamsSchema, holdListQuerySchema } from '../holds/hold-requests.js';
import type { HoldView } from '../holds/hold-view.js';
import type { BatchJobState } from '../holds/signal-delivery.js';
import { dateField, instantField } from './response-fields.js';
import { defineRoute, describesEveryField, errorResponse, responseSchema } from './route-contract.js';

export { createHoldRequestSchema, holdIdParamsSchema, holdListQuerySchema };

const holdFields = {
  holdId: z.string(),
  corporationId: z.string(),
  segment: z.enum(segments).nullable(),
  query: z.string().nullable().meta({ description: 'the extra filter, as rebuilt by the API' }),
  reason: z.string().nullable(),
  status: z.enum(['active', 'released']),
  from: dateField,
  releasedOn: dateField.nullable(),
  createdBy: z.string(),
  createdAt: instantField,
  releasedBy: z.string().nullable(),
  batchJobId: z.string().nullable().meta({ description: 'the batch operation that carried the start signal' }),
  matched: z.number().int().nullable().meta({ description: 'tracks signalled one by one, where the server has no batch operations' }),
  releaseBatchJobId: z.string().nullable(),
  releaseMatched: z.number().int().nullable(),
  signalled: z.object({ start: z.boolean(), release: z.boolean() }).meta({ description: 'whether the start (release) signal went out; false after a failure: repeat the call' }),
};

const holdSchema = responseSchema('Hold', describesEveryField<HoldView>()(z.object(holdFields)));
const holdListSchema = responseSchema('HoldList', z.object({ holds: z.array(holdSchema) }));

const batchJobSchema = responseSchema(
  'BatchJob',
  describesEveryField<BatchJobState>()(z.object({
    jobId: z.string(),
    state: z.enum(['running', 'completed', 'failed', 'unspecified']),
    total: z.number().int(),
    completed: z.number().int(),
    failed: z.number().int(),
    startedAt: instantField.nullable(),
    closedAt: instantField.nullable(),
  })),
);
const holdWithBatchesSchema = responseSchema('HoldWithBatches', z.object({ ...holdFields, batches: z.object({ start: batchJobSchema.nullable(), release: batchJobSchema.nullable() }) }));

const noHold = errorResponse('not_found: no such hold');
const signalNotSent = errorResponse('signal_not_sent: the hold is stored but its signal could not be sent; repeat the call');
const readers = ['operator', 'approver', 'admin'] as const;

export const holdContracts = {
  createHold: defineRoute({
    operationId: 'createHold',
    method: 'post',
    path: '/v1/holds',
    access: ['operator'],
    scope: 'corporation-in-body',
    audit: 'decision',
    summary:
      'Hold every running track of a corporation, one segment, or those an extra query picks: one batch signal; the tracks add the days of the hold to their terms. ' +
      "query: comparisons of CollectionStage, DebtorSegment, OutstandingCents, NextDeadline, BailiffOffice, ParkedReason, ArrangementStatus with = != < <= > >= IN, IS [NOT] NULL, AND, OR and parentheses, e.g. CollectionStage IN ('reminder', 'wik_letter') AND OutstandingCents > 50000. " +
      'A repeat with the same holdId answers the stored hold (200)',
    body: { schema: createHoldRequestSchema, name: 'hold' },
    responses: {
      201: { description: 'the hold is stored and its start signal sent', schema: holdSchema },
      200: { description: 'the hold already exists', schema: holdSchema },
      409: errorResponse('conflict: a hold with this holdId exists for other tracks'),
      422: errorResponse('unknown_corporation: the corporation is not configured'),
      501: errorResponse('not_implemented: the server can neither batch nor list, and the hold has a query'),
      503: signalNotSent,
    },
  }),
  listHolds: defineRoute({
    operationId: 'listHolds',
    method: 'get',
    path: '/v1/holds',
    access: readers,
    scope: 'listing',
    audit: 'none',
    summary: 'The holds, active first, then the newest',
    query: holdListQuerySchema,
    responses: { 200: { description: 'the holds', schema: holdListSchema } },
  }),
  getHold: defineRoute({
    operationId: 'getHold',
    method: 'get',
    path: '/v1/holds/:holdId',
    access: readers,
    scope: 'hold',
    audit: 'none',
    summary: 'One hold, with the state of its batch jobs where the Temporal server can describe them',
    params: holdIdParamsSchema,
    responses: { 200: { description: 'the hold', schema: holdWithBatchesSchema }, 404: noHold },
  }),
  releaseHold: defineRoute({
    operationId: 'releaseHold',
    method: 'delete',
    path: '/v1/holds/:holdId',
    access: ['operator'],
    scope: 'hold',
    audit: 'decision',
    summary: 'Release the hold: signals the release to every running track of the corporation; a repeat answers the same',
    params: holdIdParamsSchema,
    responses: { 200: { description: 'released', schema: holdSchema }, 404: noHold, 503: signalNotSent },
  }),
} as const;
