import { z } from 'zod';
import { deliveryBases } from '../../../shared/letters/delivery.js';
import { municipalityCodeSchema } from '../../../shared/policy/collection-policy.js';
import { closedReasons, segments, stages } from '../../../shared/track/stages.js';
import { registerPaymentRequestSchema, trackClaimSchema } from '../../../shared/track/track-input.js';
import { idPartPattern } from '../../../shared/track/workflow-id.js';
import type { TrackStatus } from '../../../shared/track/track-status.js';
import type { RegisterPaymentResult } from '../../../shared/track/track-input.js';
import { singleLineText } from '../../../shared/validation/text.js';
import { ibanField } from './bank-account-fields.js';
import { keysetCursor } from './keyset-cursor.js';
import { wholeNumberOr } from './query-fields.js';
import { dateField, instantField, moneyField } from './response-fields.js';
import type { StoredCase } from '../case-read-model.js';
import { defineRoute, describesEveryField, engineUnavailable, errorResponse, responseSchema } from './route-contract.js';

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

const idPart = (what: string) =>
  z.string().regex(idPartPattern, `${what}: letters, digits, '.', '_' or '-', starting with a letter or digit (max 80)`);

export const caseIdParamsSchema = z.object({ caseId: z.string().uuid('caseId is a UUID') });

/**
 * The debtor's details are printed in letters: a line break in a name or street would print as a
 * line of its own in the address block (where it could pass for a payment instruction).
 */
export const debtorSchema = z.object({
  name: singleLineText(200),
  address: z.object({
    street: singleLineText(200),
    postalCode: singleLineText(7).regex(/^[1-9][0-9]{3} ?[A-Za-z]{2}$/, 'a Dutch postal code such as "1234 AB"'),
    city: singleLineText(100),
  }),
  // RFC 5321 caps an address at 254 characters.
  email: z.string().max(254).email().optional(),
  phone: singleLineText(30, 6).optional(),
  iban: ibanField.optional().meta({ description: 'the account the debtor pays from, as people write it (spaces allowed); stored without spaces, mod-97 checked' }),
  bsn: z.string().regex(/^[0-9]{9}$/, 'nine digits').optional(),
});

/** PUT /v1/cases/:caseId/debtor: the debtor's details as a whole, as POST /v1/cases sends them. */
export const caseDebtorRequestSchema = debtorSchema;

export const caseClaimSchema = trackClaimSchema.extend({
  description: singleLineText(200),
});

export const openCaseRequestSchema = z.object({
  corporationId: idPart('corporationId'),
  contractRef: idPart('contractRef'),
  debtor: debtorSchema,
  segment: z.enum(segments).default('unknown'),
  /** The tenant has left the dwelling: collection asks for payment only, never eviction. */
  tenantDeparted: z.boolean().default(false),
  /** CBS code of the tenant's municipality (GM + 4 digits): picks the early-warning agreement. */
  municipalityCode: municipalityCodeSchema.optional(),
  claims: z.array(caseClaimSchema).min(1).max(500),
});
export type OpenCaseRequest = z.infer<typeof openCaseRequestSchema>;

export const paymentRequestSchema = registerPaymentRequestSchema;

/** Up to the year 9999: a forged cursor never reaches Postgres as an out-of-range timestamp. */
const maxMicros = 253_402_300_799_999_999n;

/**
 * The position after the last case of a page: its created_at in microseconds since the epoch (a
 * JS Date would drop the microseconds Postgres keeps, and cases made in one millisecond would be
 * skipped) and its id.
 */
export const caseCursor = keysetCursor(
  {
    createdMicros: z
      .string()
      .regex(/^\d{1,18}$/)
      .refine((micros) => BigInt(micros) <= maxMicros),
    caseId: z.string().uuid(),
  },
  200,
);

export const caseSearchQuerySchema = z.object({
  corporationId: z.string().regex(idPartPattern, 'a corporation id').optional(),
  contractRef: z.string().regex(idPartPattern, 'a contract reference').optional(),
  stage: z.enum(stages).optional(),
  limit: wholeNumberOr(1, 200, 50),
  cursor: caseCursor.schema.optional(),
});

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

const openedCaseSchema = responseSchema('OpenedCase', z.object({ caseId: z.uuid(), workflowId: z.string() }));

const balanceSchema = responseSchema(
  'Balance',
  z.object({
    principal: moneyField,
    collectionCosts: moneyField,
    bailiffFees: moneyField.meta({ description: "Btag fees for the bailiff's official acts" }),
    vat: moneyField,
    interest: moneyField,
    paid: moneyField,
    outstanding: moneyField,
    credit: moneyField.meta({ description: 'an overpayment: never a negative claim' }),
  }),
);

const letterSchema = z.looseObject({
  letterId: z.string(),
  kind: z.string(),
  date: dateField,
  channel: z.string(),
  deliveredAt: z.string().nullable(),
  presumedDelivery: dateField.optional(),
  deadline: dateField.optional(),
  costsDueFrom: dateField.optional(),
  invoiceRefs: z.array(z.string()),
  deliveredOn: dateField.nullable().meta({ description: 'delivered (reported or accepted by the carrier) or presumed delivered on this day; null when unknown' }),
  deliveryBasis: z.enum(deliveryBases).meta({ description: 'what deliveredOn rests on: presumed, registered_post, smtp_accepted, gateway_accepted' }),
});

/** GET /v1/cases/:caseId from the track: api.md's shape; the deeper parts are described loosely. */
const caseStatusSchema = responseSchema(
  'CaseStatus',
  describesEveryField<TrackStatus>()(z.looseObject({
    caseId: z.uuid(),
    corporationId: z.string(),
    workflowId: z.string(),
    stage: z.enum(stages),
    closedReason: z.enum(closedReasons).nullable(),
    segment: z.object({ proposed: z.enum(segments), confirmed: z.enum(segments).nullable() }),
    asOf: dateField,
    balance: balanceSchema,
    interestProvisional: z.boolean(),
    nextDeadline: z.object({ kind: z.string(), date: dateField }).nullable(),
    claims: z.array(
      z.object({ invoiceRef: z.string(), description: z.string().nullable(), amount: moneyField, dueDate: dateField, open: moneyField, wikLetterId: z.string().nullable() }),
    ),
    payments: z.array(z.object({ transactionId: z.string(), amount: moneyField, bookedOn: dateField, reversedOn: dateField.optional() })),
    letters: z.array(letterSchema),
    arrangement: z
      .looseObject({ arrangementId: z.string(), status: z.enum(['accepted', 'active', 'breached', 'completed', 'cancelled']), total: moneyField, paid: moneyField })
      .nullable(),
    arrangements: z.number().int(),
    tasks: z.array(z.looseObject({ taskId: z.string(), kind: z.string(), status: z.string() })),
    earlyWarning: z.looseObject({ sentOn: dateField }).nullable(),
    earlyWarningObjection: z.object({ on: dateField, by: z.string() }).nullable(),
    holds: z.array(z.object({ holdId: z.string(), from: dateField, releasedOn: dateField.nullable() })),
    policyVersion: z.number().int().nullable(),
    claimFilings: z.array(z.looseObject({})),
    promisedUntil: dateField.nullable(),
    exceptions: z.array(z.string()),
    parkedSince: dateField.nullable(),
    proposals: z.array(z.looseObject({ proposalId: z.string(), decision: z.string(), status: z.string() })),
    bailiff: z.looseObject({ officeId: z.string() }).nullable(),
    costCharges: z.array(z.looseObject({})),
    timeline: z.array(z.object({ at: z.string(), event: z.string() })),
    run: z.number().int(),
    paymentReference: z.string().nullable().meta({ description: 'the betalingskenmerk tenants pay with (printed on every letter that asks for money)' }),
  })),
);

/** GET /v1/cases/:caseId while the engine is away: the case as Postgres holds it. */
const storedCaseSchema = responseSchema(
  'StoredCase',
  describesEveryField<StoredCase>()(z.object({
    caseId: z.uuid(),
    corporationId: z.string(),
    contractRef: z.string(),
    workflowId: z.string(),
    engine: z.literal('unavailable'),
    stale: z.literal(true),
    claims: z.array(z.object({ invoiceRef: z.string(), description: z.string(), amount: moneyField, dueDate: dateField })),
  })),
);

const caseOrStoredCaseSchema = responseSchema('CaseStatusOrStoredCase', z.union([caseStatusSchema, storedCaseSchema]));

const caseListSchema = responseSchema(
  'CaseList',
  z.object({
    cases: z.array(
      z.object({
        caseId: z.uuid(),
        corporationId: z.string(),
        contractRef: z.string(),
        workflowId: z.string(),
        stage: z.enum(stages).nullable().meta({ description: 'the stage the track last recorded; null until it has' }),
        closedReason: z.string().nullable(),
        bailiffOfficeId: z.string().nullable(),
        handedOverOn: dateField.nullable(),
        createdAt: instantField,
      }),
    ),
    nextCursor: z.string().nullable(),
  }),
);

const paymentResultSchema = responseSchema(
  'PaymentResult',
  describesEveryField<RegisterPaymentResult>()(z.object({
    transactionId: z.string(),
    duplicate: z.boolean().meta({ description: 'the transaction was booked before: nothing changed' }),
    outstanding: moneyField,
    closed: z.boolean().meta({ description: 'the payment settled the case and the track closed' }),
  })),
);

const debtorChangeSchema = responseSchema('DebtorChange', z.object({ caseId: z.uuid(), debtorVersion: z.number().int(), changed: z.boolean() }));

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

const noCase = errorResponse('not_found: no such case');

export const caseContracts = {
  openCase: defineRoute({
    operationId: 'openCase',
    method: 'post',
    path: '/v1/cases',
    access: ['billing'],
    scope: 'corporation-in-body',
    audit: 'decision',
    summary: 'Start a collection track, or add claims to the running one',
    body: { schema: openCaseRequestSchema, name: 'case' },
    responses: {
      201: { description: 'track started', schema: openedCaseSchema },
      200: { description: 'the track already runs; new claims were added', schema: openedCaseSchema },
      409: errorResponse('conflict: a claim repeats an invoiceRef with other content, or debtor_differs: other debtor details are on record (change them with PUT /v1/cases/{caseId}/debtor)'),
      404: errorResponse("not_found: the corporation is not one the key holds"),
      422: errorResponse('unknown_corporation: the corporation is not configured'),
      503: engineUnavailable,
    },
  }),
  searchCases: defineRoute({
    operationId: 'searchCases',
    method: 'get',
    path: '/v1/cases',
    access: ['billing', 'operator', 'approver', 'admin', 'bailiff'],
    scope: 'listing',
    audit: 'none',
    summary:
      'Find cases by contract reference and stage, oldest first, a page at a time (a bailiff sees the cases handed to its office). ' +
      'From the database only; stage is the one the track last recorded (null until it has)',
    query: caseSearchQuerySchema,
    responses: { 200: { description: 'one page of cases', schema: caseListSchema } },
  }),
  caseStatus: defineRoute({
    operationId: 'caseStatus',
    method: 'get',
    path: '/v1/cases/:caseId',
    access: ['billing', 'operator', 'approver', 'admin', 'bailiff'],
    scope: 'case',
    audit: 'personal-data-read',
    summary: 'Where the case stands (a bailiff only for the cases handed to its office: another answers 404); while the engine is away, the case as the database holds it (stale: true)',
    params: caseIdParamsSchema,
    responses: {
      200: { description: 'the case', schema: caseOrStoredCaseSchema },
      404: errorResponse("not_found: no such case, or one of a corporation the key does not hold (a bailiff key: not handed to its office)"),
    },
  }),
  deliverPayment: defineRoute({
    operationId: 'deliverPayment',
    method: 'post',
    path: '/v1/cases/:caseId/payments',
    access: ['billing'],
    scope: 'case',
    audit: 'none',
    summary: 'Deliver a payment, deduplicated by transactionId; allocated costs → interest → principal (art. 6:44 BW)',
    params: caseIdParamsSchema,
    body: { schema: paymentRequestSchema, name: 'payment' },
    responses: {
      202: { description: 'booked (or a repeat: duplicate)', schema: paymentResultSchema },
      404: noCase,
      409: errorResponse('conflict: the transactionId is booked with other content, or the case is closed'),
      503: engineUnavailable,
    },
  }),
  changeDebtor: defineRoute({
    operationId: 'changeDebtor',
    method: 'put',
    path: '/v1/cases/:caseId/debtor',
    access: ['billing', 'operator'],
    scope: 'case',
    audit: 'decision',
    summary:
      "Change the debtor's details of a case: a new version when they differ, kept with who changed them; letters record the version they were addressed with. " +
      'The same details again change nothing. A repeated POST /v1/cases with other details answers 409 debtor_differs naming the fields',
    params: caseIdParamsSchema,
    body: { schema: caseDebtorRequestSchema, name: 'debtor' },
    responses: { 200: { description: 'the version in force', schema: debtorChangeSchema }, 404: noCase },
  }),
} as const;
