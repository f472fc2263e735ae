import { z } from 'zod';
import { businessDateSchema } from '../../../shared/calendar/plausible-dates.js';
import type { CollectionCosts } from '../../../shared/legal/collection-costs.js';
import type { StatutoryInterestResult } from '../../../shared/legal/statutory-interest.js';
import type { WikLetterTerm } from '../../../shared/legal/wik-letter-term.js';
import { moneyString } from '../../../shared/money.js';
import { wholeNumberOr } from './query-fields.js';
import { dateField, moneyField } from './response-fields.js';
import { defineRoute, describesEveryField, errorResponse, responseSchema } from './route-contract.js';

const booleanQuery = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const collectionCostsQuerySchema = z.object({ principal: moneyString, vatSurcharge: booleanQuery.default(false) });
export const deadlineQuerySchema = z.object({ posted: businessDateSchema, days: wholeNumberOr(1, 90, 14), deliveryDays: wholeNumberOr(0, 10, 2) });
export const statutoryInterestQuerySchema = z
  .object({ principal: moneyString, from: businessDateSchema, to: businessDateSchema })
  .refine((q) => q.from <= q.to, { message: '`to` may not be before `from`', path: ['to'] });

const collectionCostsSchema = responseSchema('CollectionCosts', describesEveryField<CollectionCosts>()(z.object({ principal: moneyField, collectionCosts: moneyField, vat: moneyField, total: moneyField })));
const deadlineSchema = responseSchema('WikLetterTerm', describesEveryField<WikLetterTerm>()(z.object({ delivered: dateField, termStart: dateField, deadline: dateField, costsDueFrom: dateField })));
const statutoryInterestSchema = responseSchema(
  'StatutoryInterest',
  describesEveryField<StatutoryInterestResult>()(z.object({
    principal: moneyField,
    from: dateField,
    to: dateField,
    interest: moneyField,
    capitalized: z.array(z.object({ on: dateField, amount: moneyField })).meta({ description: 'interest added to the principal on each anniversary of from' }),
    segments: z.array(z.looseObject({ from: dateField, to: dateField, days: z.number().int(), rate: z.string(), base: moneyField, interest: z.string() })),
  })),
);

const outsideLegalData = (what: string) => errorResponse(`${what}: the date lies outside the legal data the system holds`);

export const calculationContracts = {
  collectionCosts: defineRoute({
    operationId: 'collectionCosts',
    method: 'get',
    path: '/v1/calculations/collection-costs',
    access: 'any-key',
    scope: 'none',
    audit: 'none',
    summary: 'BIK collection costs over a principal (any role)',
    query: collectionCostsQuerySchema,
    responses: { 200: { description: 'the costs', schema: collectionCostsSchema } },
  }),
  deadline: defineRoute({
    operationId: 'deadline',
    method: 'get',
    path: '/v1/calculations/deadline',
    access: 'any-key',
    scope: 'none',
    audit: 'none',
    summary: 'Presumed delivery and the 14-day term by the Algemene termijnenwet (any role)',
    query: deadlineQuerySchema,
    responses: { 200: { description: 'the dates', schema: deadlineSchema }, 422: outsideLegalData('calendar_not_covered') },
  }),
  statutoryInterest: defineRoute({
    operationId: 'statutoryInterest',
    method: 'get',
    path: '/v1/calculations/statutory-interest',
    access: 'any-key',
    scope: 'none',
    audit: 'none',
    summary: 'Statutory interest art. 6:119 BW, from inclusive to exclusive (any role)',
    query: statutoryInterestQuerySchema,
    responses: { 200: { description: 'the interest', schema: statutoryInterestSchema }, 422: outsideLegalData('interest_rates_not_covered or calendar_not_covered') },
  }),
} as const;
