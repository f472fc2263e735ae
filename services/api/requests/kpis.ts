import { z } from 'zod';
import { compareIsoDates, daysBetween } from '../../../shared/calendar/iso-date.js';
import { businessDateSchema } from '../../../shared/calendar/plausible-dates.js';
import { idPartPattern } from '../../../shared/track/workflow-id.js';
import { dateField, moneyField } from './response-fields.js';
import { defineRoute, errorResponse, responseSchema } from './route-contract.js';

export const kpiQuerySchema = z
  .object({ corporationId: z.string().regex(idPartPattern), from: businessDateSchema, to: businessDateSchema })
  .refine((q) => compareIsoDates(q.from, q.to) <= 0, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => daysBetween(q.from, q.to) <= 5 * 366, { message: 'a period of at most five years', path: ['to'] });

/** A figure the read model cannot give yet, and why. */
const unavailable = z.object({ value: z.null(), reason: z.string() });
const perUnit = z.union([z.number(), unavailable]);
const countAndAmount = z.object({ count: z.number().int(), amount: moneyField });

/** The headline figures; further ones may be added without notice. */
const kpisSchema = responseSchema(
  'Kpis',
  z.looseObject({
    corporationId: z.string(),
    from: dateField,
    to: dateField,
    rentedUnits: z.number().int().nullable(),
    writeOffs: countAndAmount,
    arrangementsPerUnit: perUnit,
    arrangements: z.object({ accepted: z.number().int(), kept: z.number().int(), breached: z.number().int() }),
    arrangementsKeptPercent: z.number().nullable(),
    casesAtBailiff: z.number().int(),
    firstRemindersPerUnit: perUnit,
    averageDaysToPay: z.number().nullable(),
    collectionCostsCharged: moneyField,
    paymentsReceived: countAndAmount,
    directDebitsPerUnit: perUnit.meta({ description: 'KPI 2: direct debits (sent to the bank, due in the period) per rented unit' }),
    directDebits: z.object({ count: z.number().int(), amount: moneyField, rejected: z.number().int(), returned: z.number().int(), refunded: z.number().int() }),
    reversalsPerDirectDebit: z
      .union([z.number(), z.null(), unavailable])
      .meta({ description: 'KPI 14: returned and refunded debits over the direct debits of the period (null when there were none)' }),
    directDebitReversals: z.number().int(),
    periodDays: z.number().int(),
  }),
);

export const kpiContracts = {
  kpis: defineRoute({
    operationId: 'kpis',
    method: 'get',
    path: '/v1/kpis',
    access: ['operator', 'approver', 'admin'],
    scope: 'corporation-in-query',
    audit: 'none',
    summary:
      "The reference process's KPIs (domain.md §10) for a corporation over [from, to], from the read model of case events; figures the system cannot know yet are { value: null, reason }",
    query: kpiQuerySchema,
    responses: { 200: { description: 'the KPIs', schema: kpisSchema }, 404: errorResponse('not_found: no such corporation') },
  }),
} as const;
