import { z } from 'zod';
import { bicField, ibanField } from './bank-account-fields.js';
import { logoField } from './logo-field.js';
import type { StoredPolicy } from '../../../infra/db/collection-policy-store.js';
import { defaultRetentionYears } from '../../../infra/db/corporation-store.js';
import { collectionPolicySchema } from '../../../shared/policy/collection-policy.js';
import { idPartPattern } from '../../../shared/track/workflow-id.js';
import { singleLineText, wellFormedId } from '../../../shared/validation/text.js';
import { wholeNumber } from './query-fields.js';
import { instantField } from './response-fields.js';
import { defineRoute, describesEveryField, errorResponse, requestShaped, responseSchema } from './route-contract.js';

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

export const corporationParamsSchema = z.object({ corporationId: z.string().regex(idPartPattern) });
export const policyVersionParamsSchema = corporationParamsSchema.extend({ version: wholeNumber(0, 1_000_000) });

const letterheadLines = z.array(singleLineText(120)).max(6);

export const corporationRequestSchema = z.object({
  name: singleLineText(200),
  vatSurcharge: z.boolean().default(false),
  bailiffOfficeId: wellFormedId(80).nullable().default(null),
  /** Rented units, for the KPIs per unit. */
  rentedUnits: z.number().int().min(1).max(1_000_000).nullable().default(null),
  /** AVG art. 5(1)(e): a closed case's personal data is anonymised this many years after closing. */
  retentionYears: z
    .number()
    .int()
    .min(1)
    .max(30)
    .default(defaultRetentionYears)
    .meta({ description: "years after closing that a case's personal data is kept before it is anonymised (default 7, the fiscal retention period)" }),
  /** The letterhead, printed top right on every letter. */
  addressLines: letterheadLines.default([]).meta({ description: 'postal address, a line each (printed on letters)' }),
  contactLines: letterheadLines.default([]).meta({ description: 'telephone, e-mail, opening hours, a line each (printed on letters)' }),
  iban: ibanField.nullable().default(null).meta({ description: 'the account tenants pay to, printed on every letter that asks for money; mod-97 checked' }),
  bic: bicField.nullable().default(null),
  logo: logoField.nullable().default(null),
  wikLetterRegistered: z.boolean().default(false).meta({ description: '14-day letters go as registered post (aangetekend): the mail house reports the delivery date, which then proves receipt' }),
});

export { collectionPolicySchema };

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

const corporationSchema = responseSchema(
  'Corporation',
  z.object({
    corporationId: z.string(),
    name: z.string(),
    vatSurcharge: z.boolean(),
    bailiffOfficeId: z.string().nullable(),
    rentedUnits: z.number().int().nullable(),
    retentionYears: z.number().int(),
    addressLines: z.array(z.string()),
    contactLines: z.array(z.string()),
    iban: z.string().nullable(),
    bic: z.string().nullable(),
    logo: z
      .object({ type: z.enum(['png', 'jpeg']), bytes: z.number().int() })
      .nullable()
      .meta({ description: 'the stored logo, its type as its first bytes say and its size (the image itself is not echoed)' }),
    wikLetterRegistered: z.boolean(),
  }),
);

const storedPolicySchema = responseSchema(
  'StoredPolicy',
  describesEveryField<StoredPolicy>()(z.object({
    corporationId: z.string(),
    version: z.number().int().meta({ description: '0: the built-in default, which no one stored' }),
    policy: requestShaped(collectionPolicySchema),
    createdAt: instantField.nullable(),
    createdBy: z.string().nullable(),
  })),
);

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

const noCorporation = errorResponse('not_found: no such corporation');
const readers = ['operator', 'approver', 'admin'] as const;

export const corporationContracts = {
  putCorporation: defineRoute({
    operationId: 'putCorporation',
    method: 'put',
    path: '/v1/corporations/:corporationId',
    access: ['admin'],
    scope: 'corporation-in-path',
    audit: 'decision',
    summary: 'Create or update a corporation and its collection settings',
    params: corporationParamsSchema,
    body: { schema: corporationRequestSchema, name: 'corporation' },
    responses: { 200: { description: 'stored', schema: corporationSchema }, 422: errorResponse('unknown_bailiff_office: the bailiff office is not configured') },
  }),
  putPolicy: defineRoute({
    operationId: 'putPolicy',
    method: 'put',
    path: '/v1/corporations/:corporationId/policy',
    access: ['admin'],
    scope: 'corporation-in-path',
    audit: 'decision',
    summary: 'Store a new version of the collection policy; running tracks adopt it at their next safe point. The same policy again stores nothing and answers 200 with the version in force',
    params: corporationParamsSchema,
    body: { schema: collectionPolicySchema, name: 'policy' },
    responses: {
      201: { description: 'a new version', schema: storedPolicySchema },
      200: { description: 'unchanged: the version in force', schema: storedPolicySchema },
      404: noCorporation,
    },
  }),
  getPolicy: defineRoute({
    operationId: 'getPolicy',
    method: 'get',
    path: '/v1/corporations/:corporationId/policy',
    access: readers,
    scope: 'corporation-in-path',
    audit: 'none',
    summary: 'The policy in force (version 0: the built-in default)',
    params: corporationParamsSchema,
    responses: { 200: { description: 'the policy', schema: storedPolicySchema }, 404: noCorporation },
  }),
  getPolicyVersion: defineRoute({
    operationId: 'getPolicyVersion',
    method: 'get',
    path: '/v1/corporations/:corporationId/policy/versions/:version',
    access: readers,
    scope: 'corporation-in-path',
    audit: 'none',
    summary: 'One version of the policy, as a track recorded it',
    params: policyVersionParamsSchema,
    responses: { 200: { description: 'the policy', schema: storedPolicySchema }, 404: errorResponse('not_found: no such corporation or version') },
  }),
} as const;
