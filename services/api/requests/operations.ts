import { z } from 'zod';
import { dateField, instantField } from './response-fields.js';
import type { Health } from '../health-checks.js';
import { defineRoute, describesEveryField, errorResponse, responseSchema } from './route-contract.js';

export const simulationAdvanceRequestSchema = z.object({ days: z.number().int().min(1).max(3660) });

const probe = z.enum(['ok', 'unavailable']);
const healthSchema = responseSchema(
  'Health',
  describesEveryField<Health>()(z.object({
    status: z.enum(['ok', 'degraded']),
    temporal: probe,
    database: probe,
    worker: z.enum(['ok', 'unavailable', 'unknown']).meta({ description: 'unknown: the server cannot say (the time-skipping server of a simulation lists no pollers)' }),
    services: z.object({ letters: probe, bank: probe, municipality: probe }),
  })),
);
const simulatedNowSchema = responseSchema('SimulatedNow', z.object({ now: instantField, today: dateField.meta({ description: 'the Europe/Amsterdam date' }) }));
const openApiDocumentSchema = responseSchema('OpenApiDocument', z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({}), paths: z.looseObject({}) }));

const simulationOff = errorResponse('not_found: simulation is off (start with SIMULATION=1)');

export const operationContracts = {
  health: defineRoute({
    operationId: 'health',
    method: 'get',
    path: '/healthz',
    access: 'public',
    scope: 'none',
    audit: 'none',
    summary: 'Temporal, the database, a worker polling the task queue and the letter, bank and municipality services',
    responses: { 200: { description: 'everything a case needs is there', schema: healthSchema }, 503: { description: 'something is missing: the answer names it', schema: healthSchema } },
  }),
  simulatedNow: defineRoute({
    operationId: 'simulatedNow',
    method: 'get',
    path: '/v1/simulation/now',
    access: 'any-key',
    scope: 'none',
    audit: 'none',
    summary: 'The simulated clock (SIMULATION=1 only; 404 otherwise)',
    responses: { 200: { description: 'now', schema: simulatedNowSchema }, 404: simulationOff },
  }),
  advanceSimulation: defineRoute({
    operationId: 'advanceSimulation',
    method: 'post',
    path: '/v1/simulation/advance',
    access: ['admin'],
    scope: 'platform',
    audit: 'decision',
    summary: 'Advance the simulated clock, letting every track act on the way; answers when all work due by then is done (SIMULATION=1 only)',
    body: { schema: simulationAdvanceRequestSchema, name: 'advance request' },
    responses: { 200: { description: 'the new now', schema: simulatedNowSchema }, 404: simulationOff },
  }),
  openApiDocument: defineRoute({
    operationId: 'openApiDocument',
    method: 'get',
    path: '/v1/openapi.json',
    access: 'public',
    scope: 'none',
    audit: 'none',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1', schema: openApiDocumentSchema } },
  }),
} as const;
