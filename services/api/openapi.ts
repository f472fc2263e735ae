import { z } from 'zod';
import { roles } from './auth.js';
import { corporationRequestSchema, openCaseRequestSchema, paymentRequestSchema } from './case-requests.js';
import { earlyWarningObjectionBodySchema, taskOutcomeRequestSchema, taskStatuses } from './routes/tasks.js';
import { createHoldRequestSchema } from './holds.js';
import { arrangementRequestSchema } from '../../shared/arrangement/arrangement-messages.js';
import { collectionPolicySchema } from '../../shared/policy/collection-policy.js';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const json = (s: z.ZodType | Record<string, unknown>) => ({
  'application/json': { schema: s instanceof z.ZodType ? schema(s) : s },
});
const errorResponse = { description: 'error', content: json({ $ref: '#/components/schemas/Error' }) };
const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse, 422: errorResponse };
const moneyProp = { type: 'string', pattern: '^-?\\d+\\.\\d{2}$' };

/** The OpenAPI document served at GET /v1/openapi.json; request bodies come from the zod schemas the API validates with. */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'huurincasso API', version: '0.1.0', description: 'Rent-arrears collection tracks on Temporal. Money is a decimal string with two decimals; dates are YYYY-MM-DD.' },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: `one role per key: ${roles.join(', ')}` } },
      schemas: {
        Error: {
          type: 'object',
          properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array' } }, required: ['code', 'message', 'details'] } },
          required: ['error'],
        },
        Balance: {
          type: 'object',
          properties: Object.fromEntries(['principal', 'collectionCosts', 'vat', 'interest', 'paid', 'outstanding', 'credit'].map((k) => [k, moneyProp])),
        },
        Hold: {
          type: 'object',
          properties: {
            holdId: { type: 'string' }, corporationId: { type: 'string' }, segment: { type: ['string', 'null'] }, query: { type: ['string', 'null'], description: 'the extra filter, as rebuilt by the API' },
            reason: { type: ['string', 'null'] }, status: { type: 'string', enum: ['active', 'released'] }, from: { type: 'string', format: 'date' }, releasedOn: { type: ['string', 'null'], format: 'date' },
            createdBy: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' }, releasedBy: { type: ['string', 'null'] },
            batchJobId: { type: ['string', 'null'], description: 'the batch operation that carried the start signal' }, matched: { type: ['integer', 'null'], description: 'tracks signalled one by one, where the server has no batch operations' },
            releaseBatchJobId: { type: ['string', 'null'] }, releaseMatched: { type: ['integer', 'null'] },
            signalled: { type: 'object', properties: { start: { type: 'boolean' }, release: { type: 'boolean' } } },
          },
        },
        StoredPolicy: {
          type: 'object',
          properties: { corporationId: { type: 'string' }, version: { type: 'integer' }, policy: schema(collectionPolicySchema), createdAt: { type: ['string', 'null'], format: 'date-time' }, createdBy: { type: ['string', 'null'] } },
        },
        BatchJob: {
          type: ['object', 'null'],
          properties: {
            jobId: { type: 'string' }, state: { type: 'string', enum: ['running', 'completed', 'failed', 'unspecified'] }, total: { type: 'integer' }, completed: { type: 'integer' }, failed: { type: 'integer' },
            startedAt: { type: ['string', 'null'], format: 'date-time' }, closedAt: { type: ['string', 'null'], format: 'date-time' },
          },
        },
      },
    },
    security: [{ apiKey: [] }],
    paths: {
      '/healthz': { get: { security: [], summary: 'Temporal and database health', responses: { 200: { description: 'healthy' }, 503: { description: 'a dependency is down' } } } },
      '/v1/cases': {
        post: {
          summary: 'Start a collection track, or add claims to the running one (billing)',
          requestBody: { required: true, content: json(openCaseRequestSchema) },
          responses: { 201: { description: 'track started', content: json({ type: 'object', properties: { caseId: { type: 'string' }, workflowId: { type: 'string' } } }) }, 200: { description: 'track already runs; new claims added' }, ...errors },
        },
      },
      '/v1/cases/{caseId}': {
        get: {
          summary: 'Where the case stands (billing, operator, approver, admin; bailiff for its own cases)',
          parameters: [{ name: 'caseId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: { 200: { description: 'the case', content: json({ type: 'object', properties: { caseId: { type: 'string' }, stage: { type: 'string' }, balance: { $ref: '#/components/schemas/Balance' } } }) }, ...errors },
        },
      },
      '/v1/cases/{caseId}/payments': {
        post: {
          summary: 'Deliver a payment, deduplicated by transactionId (billing); allocated costs → interest → principal',
          parameters: [{ name: 'caseId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          requestBody: { required: true, content: json(paymentRequestSchema) },
          responses: { 202: { description: 'accepted' }, ...errors },
        },
      },
      '/v1/tasks': {
        get: {
          summary: 'The call-round and home-visit worklist with the tenant\'s name, phone and address, soonest expiry first (operator)',
          parameters: [
            { name: 'kind', in: 'query', required: false, schema: { type: 'string', enum: ['call', 'visit'] } },
            { name: 'corporationId', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: [...taskStatuses], default: 'open' } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
            { name: 'cursor', in: 'query', required: false, schema: { type: 'string' }, description: 'nextCursor of the previous page' },
          ],
          responses: {
            200: {
              description: 'one page of tasks',
              content: json({
                type: 'object',
                properties: {
                  tasks: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        taskId: { type: 'string' }, caseId: { type: 'string' }, corporationId: { type: 'string' }, contractRef: { type: 'string' },
                        kind: { type: 'string' }, status: { type: 'string' }, openedOn: { type: 'string', format: 'date' }, expiresOn: { type: 'string', format: 'date' },
                        arrears: moneyProp, outcome: { type: ['string', 'null'] }, promisedOn: { type: ['string', 'null'] }, note: { type: ['string', 'null'] },
                        debtor: { type: ['object', 'null'], properties: { name: { type: 'string' }, phone: { type: ['string', 'null'] }, email: { type: ['string', 'null'] }, address: { type: 'object' } } },
                      },
                    },
                  },
                  nextCursor: { type: ['string', 'null'] },
                },
              }),
            },
            ...errors,
          },
        },
      },
      '/v1/tasks/{taskId}/outcome': {
        post: {
          summary: 'Record the outcome of an open call or visit task and pass it to the track; the note stays in the database (operator). 409 with the task\'s status when it is no longer open',
          parameters: [{ name: 'taskId', in: 'path', required: true, schema: { type: 'string' }, description: 'URL-encoded (it contains slashes)' }],
          requestBody: { required: true, content: json(taskOutcomeRequestSchema) },
          responses: { 200: { description: 'the completed task' }, ...errors },
        },
      },
      '/v1/cases/{caseId}/early-warning-objection': {
        post: {
          summary: 'The tenant objected to the early-warning signal to the municipality (operator); the note stays in the database',
          parameters: [{ name: 'caseId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          requestBody: { required: false, content: json(earlyWarningObjectionBodySchema) },
          responses: { 200: { description: 'recorded', content: json({ type: 'object', properties: { recorded: { type: 'boolean' }, signalSent: { type: 'boolean' } } }) }, ...errors },
        },
      },
      '/v1/holds': {
        post: {
          summary:
            'Hold every running track of a corporation, one segment, or those an extra query picks (operator): one batch signal; the tracks add the days of the hold to their terms. ' +
            "query: comparisons of CollectionStage, DebtorSegment, OutstandingCents, NextDeadline, BailiffOffice, ParkedReason, ArrangementStatus with = != < <= > >= IN, IS [NOT] NULL, AND, OR and parentheses, e.g. CollectionStage IN ('reminder', 'wik_letter') AND OutstandingCents > 50000. " +
            'A repeat with the same holdId answers the stored hold (200). 501 when the server can neither batch nor list and the hold has a query',
          requestBody: { required: true, content: json(createHoldRequestSchema) },
          responses: { 201: { description: 'hold stored and its start signal sent', content: json({ $ref: '#/components/schemas/Hold' }) }, 200: { description: 'the hold already exists' }, 501: errorResponse, 503: errorResponse, ...errors },
        },
        get: {
          summary: 'The holds, active first, then the newest (operator, approver, admin)',
          parameters: [
            { name: 'corporationId', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ['active', 'released'] } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
          ],
          responses: { 200: { description: 'holds', content: json({ type: 'object', properties: { holds: { type: 'array', items: { $ref: '#/components/schemas/Hold' } } } }) }, ...errors },
        },
      },
      '/v1/holds/{holdId}': {
        get: {
          summary: 'One hold, with the state of its batch jobs where the Temporal server can describe them (operator, approver, admin)',
          parameters: [{ name: 'holdId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: {
              description: 'the hold',
              content: json({
                allOf: [
                  { $ref: '#/components/schemas/Hold' },
                  { type: 'object', properties: { batches: { type: 'object', properties: { start: { $ref: '#/components/schemas/BatchJob' }, release: { $ref: '#/components/schemas/BatchJob' } } } } },
                ],
              }),
            },
            ...errors,
          },
        },
        delete: {
          summary: 'Release the hold: signals the release to every running track of the corporation; a repeat answers the same (operator)',
          parameters: [{ name: 'holdId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'released', content: json({ $ref: '#/components/schemas/Hold' }) }, 503: errorResponse, ...errors },
        },
      },
      '/v1/corporations/{corporationId}': {
        put: {
          summary: 'Create or update a corporation and its collection settings (admin)',
          parameters: [{ name: 'corporationId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: json(corporationRequestSchema) },
          responses: { 200: { description: 'stored' }, ...errors },
        },
      },
      '/v1/corporations/{corporationId}/policy': {
        put: {
          summary: 'Store a new version of the collection policy (admin); the same policy again stores nothing and answers 200 with the version in force',
          parameters: [{ name: 'corporationId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: json(collectionPolicySchema) },
          responses: { 201: { description: 'new version', content: json({ $ref: '#/components/schemas/StoredPolicy' }) }, 200: { description: 'unchanged' }, ...errors },
        },
        get: {
          summary: 'The policy in force (version 0: the built-in default) (operator, approver, admin)',
          parameters: [{ name: 'corporationId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'policy', content: json({ $ref: '#/components/schemas/StoredPolicy' }) }, ...errors },
        },
      },
      '/v1/corporations/{corporationId}/policy/versions/{version}': {
        get: {
          summary: 'One version of the policy, as a track recorded it (operator, approver, admin)',
          parameters: [
            { name: 'corporationId', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
          ],
          responses: { 200: { description: 'policy', content: json({ $ref: '#/components/schemas/StoredPolicy' }) }, ...errors },
        },
      },
      '/v1/cases/{caseId}/arrangements': {
        post: {
          summary: 'Propose a payment arrangement (operator): accepted (confirmation letter, monitored instalments) or 422 with the rule it breaks as the error code',
          parameters: [{ name: 'caseId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          requestBody: { required: true, content: json(z.object({ instalments: arrangementRequestSchema.shape.instalments })) },
          responses: {
            200: {
              description: 'accepted',
              content: json({
                type: 'object',
                properties: { accepted: { const: true }, arrangementId: { type: 'string' }, total: moneyProp, firstDueDate: { type: 'string', format: 'date' }, lastDueDate: { type: 'string', format: 'date' }, instalments: { type: 'array' } },
              }),
            },
            ...errors,
          },
        },
      },
      '/v1/kpis': {
        get: {
          summary: "The reference process's KPIs (domain.md §10) for a corporation over [from, to], from the read model of case events (operator, approver, admin); figures the system cannot know yet are { value: null, reason }",
          parameters: [
            { name: 'corporationId', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
            { name: 'to', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
          ],
          responses: { 200: { description: 'KPIs' }, ...errors },
        },
      },
      '/v1/calculations/collection-costs': {
        get: {
          summary: 'BIK collection costs over a principal (any role)',
          parameters: [
            { name: 'principal', in: 'query', required: true, schema: moneyProp },
            { name: 'vatSurcharge', in: 'query', required: false, schema: { type: 'boolean' } },
          ],
          responses: { 200: { description: 'costs' }, ...errors },
        },
      },
      '/v1/calculations/deadline': {
        get: {
          summary: 'Presumed delivery and the 14-day term by the Algemene termijnenwet (any role)',
          parameters: [
            { name: 'posted', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
            { name: 'days', in: 'query', required: false, schema: { type: 'integer', default: 14 } },
            { name: 'deliveryDays', in: 'query', required: false, schema: { type: 'integer', default: 2 } },
          ],
          responses: { 200: { description: 'dates' }, ...errors },
        },
      },
      '/v1/calculations/statutory-interest': {
        get: {
          summary: 'Statutory interest art. 6:119 BW, from inclusive to exclusive (any role)',
          parameters: [
            { name: 'principal', in: 'query', required: true, schema: moneyProp },
            { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
            { name: 'to', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
          ],
          responses: { 200: { description: 'interest' }, ...errors },
        },
      },
      '/v1/simulation/now': { get: { summary: 'Simulated clock (SIMULATION=1 only; 404 otherwise)', responses: { 200: { description: 'now' }, 404: errorResponse } } },
      '/v1/simulation/advance': {
        post: {
          summary: 'Advance the simulated clock, letting every track act on the way (admin, SIMULATION=1 only)',
          requestBody: { required: true, content: json({ type: 'object', properties: { days: { type: 'integer', minimum: 1 } }, required: ['days'] }) },
          responses: { 200: { description: 'new now' }, ...errors },
        },
      },
      '/v1/openapi.json': { get: { security: [], summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } } },
    },
  };
}
