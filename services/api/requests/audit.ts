import { z } from 'zod';
import { idPartPattern } from '../../../shared/track/workflow-id.js';
import { wholeNumberOr } from './query-fields.js';
import { instantField } from './response-fields.js';
import { defineRoute, responseSchema } from './route-contract.js';

export const auditQuerySchema = z.object({
  corporationId: z.string().regex(idPartPattern, 'a corporation id').optional(),
  caseId: z.uuid('caseId is a UUID').optional(),
  limit: wholeNumberOr(1, 200, 50),
  cursor: z.string().regex(/^[1-9][0-9]{0,17}$/, 'not a cursor this API handed out (use nextCursor of the previous page)').optional().meta({ description: 'nextCursor of the previous page' }),
});

export const auditKinds = ['decision', 'personal-data-read', 'retention'] as const;

const auditEntrySchema = z.object({
  auditId: z.string(),
  at: instantField,
  kind: z.enum(auditKinds).nullable(),
  action: z.string().meta({ description: "the route's operationId" }),
  person: z.string().nullable(),
  keyId: z.uuid().nullable(),
  actor: z.string().meta({ description: 'the person as the tracks name them' }),
  corporationId: z.string().nullable(),
  caseId: z.uuid().nullable(),
  detail: z.looseObject({}).meta({ description: "the answer's status, the route's path parameters and ids; never personal data" }),
});

const auditPageSchema = responseSchema('AuditPage', z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() }));

export const auditContracts = {
  auditTrail: defineRoute({
    operationId: 'auditTrail',
    method: 'get',
    path: '/v1/audit',
    access: ['admin'],
    scope: 'listing',
    audit: 'none',
    summary:
      "Who decided or read what, when, on which case: the newest first, a page at a time. A corporation's admin sees its corporations' entries, the platform admin all",
    query: auditQuerySchema,
    responses: { 200: { description: 'one page of entries', schema: auditPageSchema } },
  }),
} as const;
