import { z } from 'zod';
import { roles } from './auth.js';
import { corporationRequestSchema, openCaseRequestSchema, paymentRequestSchema } from './case-requests.js';

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
      '/v1/corporations/{corporationId}': {
        put: {
          summary: 'Create or update a corporation and its collection settings (admin)',
          parameters: [{ name: 'corporationId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: json(corporationRequestSchema) },
          responses: { 200: { description: 'stored' }, ...errors },
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
