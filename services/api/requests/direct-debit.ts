import { z } from 'zod';
import { bicField, ibanField } from './bank-account-fields.js';
import { businessDateSchema } from '../../../shared/calendar/plausible-dates.js';
import { moneyString, nonNegativeMoneyString } from '../../../shared/money.js';
import { isValidCreditorIdentifier } from '../../../shared/sepa/creditor-identifier.js';
import { isSepaSafeId } from '../../../shared/sepa/sepa-characters.js';
import { idPartPattern } from '../../../shared/track/workflow-id.js';
import { singleLineText } from '../../../shared/validation/text.js';
import { dateField, instantField, moneyField } from './response-fields.js';
import { defineRoute, errorResponse, responseSchema } from './route-contract.js';

// ---------------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------------

const creditorIdentifierField = z
  .string()
  .max(40)
  .transform((value) => value.replace(/\s+/g, '').toUpperCase())
  .refine((id) => isValidCreditorIdentifier(id), 'not a valid creditor identifier (incassant-ID: country, mod-97 check digits, business code, national id)')
  .meta({ description: 'the incassant-ID, such as NL69ZZZ123456780000; its check digits are verified' });
export const monthField = z
  .string()
  .regex(/^(20[0-9]{2})-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM (2000–2099)')
  .meta({ description: 'a calendar month, YYYY-MM' });
/** A SEPA mandate reference: at most 35 characters of the SEPA character set, no leading slash. */
const mandateIdField = z
  .string()
  .refine((id) => isSepaSafeId(id, 35), 'a mandate id: 1–35 characters of the SEPA set (letters, digits, / - ? : ( ) . , \' +), no leading or trailing /, no //')
  .meta({ description: 'the mandate reference (MndtId), 1–35 SEPA characters' });
const idParam = z.string().regex(idPartPattern, 'an id: letters, digits, . _ - (at most 80, starting with a letter or digit)');

export const creditorParamsSchema = z.object({ creditorId: idParam });
export const occupancyParamsSchema = z.object({ occupancyId: idParam });
export const runParamsSchema = z.object({ runId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/) });

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

export const creditorRequestSchema = z.object({
  /** The client whose occupants are debited. */
  corporationId: z.string().regex(idPartPattern),
  name: singleLineText(70).meta({ description: 'Cdtr/Nm: the account holder the mandates are in the name of (the provider, or in client_account mode the client)' }),
  initiatingPartyName: singleLineText(70)
    .optional()
    .meta({ description: 'InitgPty/Nm: the provider that submits the files; defaults to name (the same party in provider_account mode)' }),
  creditorIdentifier: creditorIdentifierField,
  iban: ibanField.meta({ description: 'the account credited; mod-97 checked' }),
  bic: bicField.nullable().default(null),
  accountMode: z.enum(['provider_account', 'client_account']).meta({
    description: "provider_account: the provider's own creditor identifier and account (fully autonomous); client_account: the client's identifier and account, collected by the provider (service company)",
  }),
  painVersion: z.enum(['pain.008.001.08', 'pain.008.001.02']).default('pain.008.001.08'),
  collectionDay: z.number().int().min(1).max(28).meta({ description: 'day of the month the advances are collected (1–28)' }),
  collectionDayShift: z.enum(['earlier', 'later']).default('later').meta({ description: 'which TARGET2 business day a collection day that is none moves to' }),
  prenoticeDays: z.number().int().min(1).max(60).default(14).meta({ description: 'calendar days between the pre-notification and the collection date (SEPA default 14)' }),
  runIntervalDays: z.number().int().min(2).max(15).default(7).meta({ description: "TARGET2 business days between the month's runs (the later runs take retries and split excess)" }),
  limits: z.object({
    maxPerDebit: moneyString.meta({ description: 'the bank contract: the largest single debit (per occupant per month)' }),
    maxRunTotal: moneyString.meta({ description: 'the bank contract: the largest total of one run' }),
    runsPerMonth: z.number().int().min(2).max(4).meta({ description: 'runs the contract allows each month (at least 2, so a failed debit can be tried once more)' }),
  }),
});
export type CreditorRequest = z.output<typeof creditorRequestSchema>;

const addressSchema = z.object({ street: singleLineText(70), postalCode: singleLineText(16), city: singleLineText(35) });

export const occupancyRequestSchema = z.object({
  creditorId: idParam,
  corporationId: z.string().regex(idPartPattern),
  /** The tenancy contract whose collection track takes what stays unpaid. */
  contractRef: z.string().regex(idPartPattern),
  unitRef: singleLineText(40),
  occupant: z.object({
    name: singleLineText(70),
    address: addressSchema,
    email: z.email().max(254).nullable().default(null),
    iban: ibanField.nullable().default(null),
  }),
  movedInOn: businessDateSchema,
  mandate: z.object({ mandateId: mandateIdField, signedOn: businessDateSchema, iban: ibanField, bic: bicField.nullable().default(null) }),
  advance: z.object({ amount: nonNegativeMoneyString, from: monthField }),
});
export type OccupancyRequest = z.output<typeof occupancyRequestSchema>;

export const advanceRequestSchema = z.object({
  amount: nonNegativeMoneyString.meta({ description: 'the monthly advance from that month on (0.00: nothing is debited)' }),
  from: monthField,
  requestedBy: z.enum(['client', 'occupant']).meta({ description: 'who asked: the client, or the occupant (voorschot op maat)' }),
});

export const advanceMonthParamsSchema = z.object({ occupancyId: idParam, month: monthField });

/**
 * What an operator records of one month's advance. One action so far: paid another way (cash, a
 * transfer, set off against the settlement), which takes the month out of the direct-debit runs.
 */
export const advanceMonthActionSchema = z.object({
  action: z.literal('paid_otherwise').meta({ description: 'the advance was paid another way than by this direct debit' }),
  paidOn: businessDateSchema.meta({ description: 'the day it was paid; not more than a week after today' }),
  reference: singleLineText(140).meta({ description: 'where the payment can be found: a bank booking, a receipt number' }),
});
export type AdvanceMonthAction = z.output<typeof advanceMonthActionSchema>;

export const runsQuerySchema = z.object({ creditorId: idParam });

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

const creditorSchema = responseSchema(
  'Creditor',
  z.object({
    creditorId: z.string(),
    corporationId: z.string(),
    name: z.string(),
    initiatingPartyName: z.string(),
    creditorIdentifier: z.string(),
    iban: z.string(),
    bic: z.string().nullable(),
    accountMode: z.enum(['provider_account', 'client_account']),
    painVersion: z.string(),
    collectionDay: z.number().int(),
    collectionDayShift: z.enum(['earlier', 'later']),
    prenoticeDays: z.number().int(),
    runIntervalDays: z.number().int(),
    limits: z.object({ maxPerDebit: moneyField, maxRunTotal: moneyField, runsPerMonth: z.number().int() }),
    workflowId: z.string().meta({ description: 'the per-creditor workflow that runs the monthly collections' }),
  }),
);

const mandateChangeSchema = z
  .object({
    mandateId: z.object({ from: z.string(), to: z.string() }).optional(),
    iban: z.object({ from: z.string(), to: z.string() }).optional(),
    changedBank: z.boolean().optional(),
  })
  .nullable()
  .meta({ description: 'what this version changed; the next debit carries it as an amendment (AmdmntInd)' });

const occupancyStoredSchema = responseSchema(
  'OccupancyStored',
  z.object({
    occupancyId: z.string(),
    workflowId: z.string(),
    mandateVersion: z.number().int(),
    amended: mandateChangeSchema,
  }),
);

const advanceSchema = responseSchema(
  'OccupancyAdvance',
  z.object({ occupancyId: z.string(), from: z.string(), amount: moneyField, requestedBy: z.enum(['client', 'occupant']), recordedBy: z.string() }),
);

export const monthStatuses = ['scheduled', 'prenotified', 'submitted', 'collected', 'rejected', 'returned', 'refunded', 'withheld', 'retrying', 'paid_otherwise', 'unpaid'] as const;

const monthAttemptSchema = z.object({
  attempt: z.number().int(),
  endToEndId: z.string(),
  runId: z.string(),
  collectionDate: dateField,
  amount: moneyField,
  status: z.string(),
  reasonCode: z.string().nullable(),
});

const occupancyViewSchema = responseSchema(
  'Occupancy',
  z.object({
    occupancyId: z.string(),
    creditorId: z.string(),
    corporationId: z.string(),
    contractRef: z.string(),
    unitRef: z.string(),
    movedInOn: dateField,
    movedOutOn: dateField.nullable(),
    mandate: z.object({ mandateId: z.string(), signedOn: dateField, version: z.number().int(), amended: mandateChangeSchema }),
    advances: z.array(z.object({ from: z.string(), amount: moneyField, requestedBy: z.string(), recordedBy: z.string(), recordedAt: instantField })),
    months: z.array(
      z.object({
        month: z.string(),
        amount: moneyField,
        status: z.enum(monthStatuses),
        collectionDate: dateField.nullable(),
        endToEndId: z.string().nullable(),
        reasonCode: z.string().nullable(),
        amendment: z.boolean().meta({ description: 'the debit carried a mandate amendment' }),
        final: z.boolean().meta({ description: 'collected and past the 8-week refund window (MD06); MD01 can still reverse it for 13 months' }),
        handedToTrack: z.boolean().meta({ description: 'unpaid: a claim on the collection track of the contract' }),
        attempts: z.array(monthAttemptSchema),
      }),
    ),
  }),
);

const advanceMonthActionResultSchema = responseSchema(
  'AdvanceMonthPaidOtherwise',
  z.object({
    occupancyId: z.string(),
    month: z.string(),
    status: z.literal('paid_otherwise'),
    amount: moneyField,
    paidOn: dateField,
    reference: z.string(),
    recordedBy: z.string(),
    withdrawnDebits: z.array(z.string()).meta({ description: 'end-to-end ids of debits of the month that were planned and are now not sent' }),
    settledOnTrack: z.boolean().meta({ description: 'the month had already been handed to the collection track: the payment is booked there' }),
  }),
);

const runSummarySchema = responseSchema(
  'DirectDebitRun',
  z.object({ runId: z.string(), collectionDate: dateField, count: z.number().int(), total: moneyField, status: z.string(), sequence: z.number().int(), month: z.string(), messageId: z.string() }),
);

const runListSchema = responseSchema('DirectDebitRunList', z.array(runSummarySchema));

const taskListSchema = responseSchema(
  'DirectDebitTaskList',
  z.array(
    z.object({
      taskId: z.string(),
      occupancyId: z.string(),
      month: z.string(),
      endToEndId: z.string().nullable(),
      kind: z.enum(['over_max_per_debit', 'over_max_run_total', 'no_mandate']),
      amount: moneyField,
      limit: moneyField.nullable(),
      message: z.string().meta({ description: 'why the debit was not sent, and what to do' }),
      status: z.enum(['open', 'done']),
      createdAt: instantField,
    }),
  ),
);

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

export const directDebitContracts = {
  putCreditor: defineRoute({
    operationId: 'putCreditor',
    method: 'put',
    path: '/v1/creditors/:creditorId',
    access: ['admin'],
    scope: 'corporation-in-body',
    audit: 'decision',
    summary: "Create or update a creditor (who collects the advances, on whose account, within which bank limits) and start its monthly collection runs",
    params: creditorParamsSchema,
    body: { schema: creditorRequestSchema, name: 'creditor' },
    responses: {
      200: { description: 'stored', schema: creditorSchema },
      409: errorResponse('conflict: the creditor collects for another corporation'),
      422: errorResponse("schedule_overlaps: a month's last run would be submitted after the next month's pre-notification"),
    },
  }),
  putOccupancy: defineRoute({
    operationId: 'putOccupancy',
    method: 'put',
    path: '/v1/occupancies/:occupancyId',
    access: ['billing'],
    scope: 'corporation-in-body',
    audit: 'decision',
    summary: 'Create or update an occupancy: occupant, mandate (a new IBAN or mandate id is recorded as an amendment) and advance; starts its advance account',
    params: occupancyParamsSchema,
    body: { schema: occupancyRequestSchema, name: 'occupancy' },
    responses: {
      201: { description: 'a new occupancy', schema: occupancyStoredSchema },
      200: { description: 'updated', schema: occupancyStoredSchema },
      409: errorResponse('conflict: the occupancy belongs to another creditor, corporation or contract'),
      422: errorResponse('unknown_creditor: no such creditor for this corporation'),
    },
  }),
  postAdvance: defineRoute({
    operationId: 'postOccupancyAdvance',
    method: 'post',
    path: '/v1/occupancies/:occupancyId/advance',
    access: ['billing'],
    scope: 'occupancy',
    audit: 'decision',
    summary: 'Change the monthly advance from a month on, at the request of the client or the occupant',
    params: occupancyParamsSchema,
    body: { schema: advanceRequestSchema, name: 'advance' },
    responses: {
      201: { description: 'recorded', schema: advanceSchema },
      422: errorResponse('month_already_announced: that month is pre-notified or collected already; change it from a later month'),
    },
  }),
  postAdvanceMonth: defineRoute({
    operationId: 'postOccupancyAdvanceMonth',
    method: 'post',
    path: '/v1/occupancies/:occupancyId/advances/:month',
    access: ['operator'],
    scope: 'occupancy',
    audit: 'decision',
    summary:
      "Record that a month's advance was paid another way: it leaves the direct-debit runs (no retry, no hand-over to the track), or, when it was already handed over, the payment is booked on the track",
    params: advanceMonthParamsSchema,
    body: { schema: advanceMonthActionSchema, name: 'advance month action' },
    responses: {
      200: { description: 'recorded (a repeat with the same details answers the same)', schema: advanceMonthActionResultSchema },
      409: errorResponse('debit_at_bank: the month is in a file at the bank or collected; or it is recorded already with other details'),
      422: errorResponse('no_advance: no advance is in force for that month; paid_on_beyond_horizon: the date lies more than a week ahead'),
    },
  }),
  getOccupancy: defineRoute({
    operationId: 'getOccupancy',
    method: 'get',
    path: '/v1/occupancies/:occupancyId',
    access: ['billing', 'operator'],
    scope: 'occupancy',
    audit: 'none',
    summary: "The occupancy's advances month by month: scheduled, pre-notified, submitted, collected, rejected, returned, refunded, paid otherwise or unpaid (handed to the track)",
    params: occupancyParamsSchema,
    responses: { 200: { description: 'the occupancy', schema: occupancyViewSchema } },
  }),
  listRuns: defineRoute({
    operationId: 'listDirectDebitRuns',
    method: 'get',
    path: '/v1/direct-debit/runs',
    access: ['operator'],
    scope: 'creditor-in-query',
    audit: 'none',
    summary: "A creditor's collection runs, newest first",
    query: runsQuerySchema,
    responses: { 200: { description: 'the runs', schema: runListSchema } },
  }),
  listTasks: defineRoute({
    operationId: 'listDirectDebitTasks',
    method: 'get',
    path: '/v1/direct-debit/tasks',
    access: ['operator'],
    scope: 'creditor-in-query',
    audit: 'none',
    summary: "A creditor's operator tasks: debits withheld over the bank's limits, and why; newest first",
    query: runsQuerySchema,
    responses: { 200: { description: 'the tasks', schema: taskListSchema } },
  }),
  getRunFile: defineRoute({
    operationId: 'getDirectDebitRunFile',
    method: 'get',
    path: '/v1/direct-debit/runs/:runId/pain.008',
    access: ['operator'],
    scope: 'direct-debit-run',
    audit: 'personal-data-read',
    summary: 'The pain.008 file of a run, as submitted to the bank (application/xml)',
    params: runParamsSchema,
    responses: {
      200: { description: 'the pain.008 XML', mediaType: 'application/xml' },
      409: errorResponse('not_submitted: the run has no file (yet)'),
    },
  }),
} as const;
