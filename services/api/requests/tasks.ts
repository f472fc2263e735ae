import { z } from 'zod';
import { businessDateSchema } from '../../../shared/calendar/plausible-dates.js';
import { taskKinds, taskOutcomes, taskStatuses } from '../../../shared/track/task-messages.js';
import { idPartPattern } from '../../../shared/track/workflow-id.js';
import { multiLineNote, wellFormedId } from '../../../shared/validation/text.js';
import { keysetCursor } from './keyset-cursor.js';
import { wholeNumberOr } from './query-fields.js';
import { caseIdParamsSchema } from './cases.js';
import { dateField, instantField, moneyField } from './response-fields.js';
import { defineRoute, engineUnavailable, errorResponse, responseSchema } from './route-contract.js';

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/** The position after the last task of a page: its expiry date and id. */
export const taskCursor = keysetCursor({ expiresOn: businessDateSchema, taskId: wellFormedId(300) }, 1000);

export const worklistQuerySchema = z.object({
  kind: z.enum(taskKinds).optional(),
  corporationId: z.string().regex(idPartPattern, 'a corporation id').optional(),
  status: z.enum(taskStatuses).default('open'),
  limit: wholeNumberOr(1, 200, 50),
  cursor: taskCursor.schema.optional(),
});

export const taskIdParamsSchema = z.object({ taskId: wellFormedId(300).meta({ description: 'URL-encoded (it contains slashes)' }) });

export const taskOutcomeRequestSchema = z
  .object({
    outcome: z.enum(taskOutcomes),
    /** What the caller or visitor learned; stays in Postgres, never in the workflow. */
    note: multiLineNote(2000).optional(),
    /** Required for promise_to_pay: the day the tenant promised to pay by (today or later, within a year). */
    promisedOn: businessDateSchema.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.outcome === 'promise_to_pay' && !body.promisedOn) ctx.addIssue({ code: 'custom', path: ['promisedOn'], message: 'a promise to pay needs promisedOn' });
    if (body.outcome !== 'promise_to_pay' && body.promisedOn) ctx.addIssue({ code: 'custom', path: ['promisedOn'], message: 'promisedOn goes only with promise_to_pay' });
  });

export const earlyWarningObjectionRequestSchema = z.object({
  /** The day the tenant objected; today when absent. */
  objectedOn: businessDateSchema.optional(),
  note: multiLineNote(2000).optional(),
});

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/** A task as the API shows it; the personal-data export shows the same fields. */
export const taskFields = {
  taskId: z.string(),
  caseId: z.uuid(),
  corporationId: z.string(),
  kind: z.enum(taskKinds),
  status: z.enum(taskStatuses),
  openedOn: dateField,
  expiresOn: dateField,
  arrears: moneyField,
  outcome: z.string().nullable(),
  promisedOn: dateField.nullable(),
  note: z.string().nullable(),
  completedBy: z.string().nullable(),
  completedAt: instantField.nullable(),
  closedOn: dateField.nullable(),
};

const taskSchema = responseSchema('Task', z.object(taskFields));

const taskListSchema = responseSchema(
  'TaskList',
  z.object({
    tasks: z.array(
      z.object({
        ...taskFields,
        contractRef: z.string(),
        debtor: z
          .object({
            name: z.string(),
            phone: z.string().nullable(),
            email: z.string().nullable(),
            address: z.object({ street: z.string().nullable(), postalCode: z.string().nullable(), city: z.string().nullable() }),
          })
          .nullable()
          .meta({ description: 'null when the debtor was erased (AVG) or never recorded' }),
      }),
    ),
    nextCursor: z.string().nullable(),
  }),
);

const earlyWarningObjectionResultSchema = responseSchema('EarlyWarningObjectionResult', z.object({ recorded: z.boolean(), signalSent: z.boolean() }));

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

export const taskContracts = {
  worklist: defineRoute({
    operationId: 'worklist',
    method: 'get',
    path: '/v1/tasks',
    access: ['operator'],
    scope: 'listing',
    audit: 'personal-data-read',
    summary: "The call-round and home-visit worklist with the tenant's name, phone and address, soonest expiry first",
    query: worklistQuerySchema,
    responses: { 200: { description: 'one page of tasks', schema: taskListSchema } },
  }),
  recordTaskOutcome: defineRoute({
    operationId: 'recordTaskOutcome',
    method: 'post',
    path: '/v1/tasks/:taskId/outcome',
    access: ['operator'],
    scope: 'task',
    audit: 'decision',
    summary: "Record the outcome of an open call or visit task and pass it to the track; the note stays in the database. A repeat of the outcome that stands answers as the first call did",
    params: taskIdParamsSchema,
    body: { schema: taskOutcomeRequestSchema, name: 'task outcome' },
    responses: {
      200: { description: 'the completed task', schema: taskSchema },
      404: errorResponse('not_found: no such task'),
      409: errorResponse("conflict: the task is no longer open (details name its status)"),
      503: engineUnavailable,
    },
  }),
  objectToEarlyWarning: defineRoute({
    operationId: 'objectToEarlyWarning',
    method: 'post',
    path: '/v1/cases/:caseId/early-warning-objection',
    access: ['operator'],
    scope: 'case',
    audit: 'decision',
    summary: 'The tenant objected to the early-warning signal to the municipality; the note stays in the database',
    params: caseIdParamsSchema,
    body: { schema: earlyWarningObjectionRequestSchema, name: 'early-warning objection', optional: true },
    responses: {
      200: { description: 'recorded', schema: earlyWarningObjectionResultSchema },
      404: errorResponse('not_found: no such case'),
      409: errorResponse('conflict: the track is closed'),
      503: engineUnavailable,
    },
  }),
} as const;
