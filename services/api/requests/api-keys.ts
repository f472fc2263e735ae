import { z } from 'zod';
import type { ListedApiKey } from '../../../infra/db/api-key-store.js';
import { roles } from '../../../infra/db/api-key-store.js';
import { idPartPattern } from '../../../shared/track/workflow-id.js';
import { singleLineText } from '../../../shared/validation/text.js';
import { instantField } from './response-fields.js';
import { defineRoute, describesEveryField, errorResponse, responseSchema } from './route-contract.js';

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

const corporationId = z.string().regex(idPartPattern, 'a corporation id');

export const createApiKeyRequestSchema = z
  .object({
    role: z.enum(roles),
    /** Whom the key is given to: four-eyes compares people, and the audit trail names them. */
    person: singleLineText(200),
    /** The corporations whose cases the key may touch. Empty only for a platform admin key; none for a bailiff key (its office is its scope). */
    corporationIds: z.array(corporationId).max(100).default([]),
    bailiffOfficeId: z.string().regex(idPartPattern, 'a bailiff office id').optional(),
  })
  .strict()
  .superRefine((request, ctx) => {
    if (request.role === 'bailiff') {
      if (!request.bailiffOfficeId) ctx.addIssue({ code: 'custom', path: ['bailiffOfficeId'], message: 'a bailiff key needs its office (the one whose cases it sees)' });
      if (request.corporationIds.length > 0) ctx.addIssue({ code: 'custom', path: ['corporationIds'], message: "a bailiff key is bound to its office, not to corporations" });
    } else if (request.bailiffOfficeId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['bailiffOfficeId'], message: 'for bailiff keys only' });
    }
    if (request.role !== 'admin' && request.role !== 'bailiff' && request.corporationIds.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['corporationIds'], message: `a ${request.role} key needs at least one corporation (an empty list is for a platform admin key only)` });
    }
    if (new Set(request.corporationIds).size !== request.corporationIds.length) ctx.addIssue({ code: 'custom', path: ['corporationIds'], message: 'each corporation once' });
  });
export type CreateApiKeyRequest = z.infer<typeof createApiKeyRequestSchema>;

export const apiKeyListQuerySchema = z.object({ corporationId: corporationId.optional() });
export const apiKeyParamsSchema = z.object({ keyId: z.uuid('keyId is a UUID') });

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

const createdKeySchema = responseSchema(
  'CreatedApiKey',
  z.object({ keyId: z.uuid(), key: z.string().meta({ description: 'the secret: shown only now; the API keeps its hash' }) }),
);

const apiKeySchema = responseSchema(
  'ApiKey',
  describesEveryField<ListedApiKey>()(
    z.object({
      keyId: z.uuid(),
      role: z.enum(roles),
      person: z.string(),
      actor: z.string().meta({ description: "how the tracks and the audit trail's actor name this person (a pseudonym, the same for each key of theirs)" }),
      label: z.string(),
      corporationIds: z.array(z.string()).meta({ description: 'empty: a platform admin key (all corporations), or a bailiff key (its office)' }),
      bailiffOfficeId: z.string().nullable(),
      createdAt: instantField,
      revokedAt: instantField.nullable(),
    }),
  ),
);
const apiKeyListSchema = responseSchema('ApiKeyList', z.object({ keys: z.array(apiKeySchema) }));

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

export const apiKeyContracts = {
  createApiKey: defineRoute({
    operationId: 'createApiKey',
    method: 'post',
    path: '/v1/api-keys',
    access: ['admin'],
    scope: 'corporations-in-body',
    audit: 'decision',
    summary:
      "Make an API key for a person and the corporations it may touch; the secret is in this answer only. A corporation's admin makes keys for its own corporations; " +
      'a platform admin key (no corporation) and a bailiff office key only the platform admin',
    body: { schema: createApiKeyRequestSchema, name: 'API key' },
    responses: {
      201: { description: 'made', schema: createdKeySchema },
      403: errorResponse("forbidden: the key's role is not admin, or a platform or bailiff key asked by a corporation's admin"),
      404: errorResponse('not_found: a corporation the key does not hold'),
      422: errorResponse('unknown_corporation or unknown_bailiff_office: not configured'),
    },
  }),
  listApiKeys: defineRoute({
    operationId: 'listApiKeys',
    method: 'get',
    path: '/v1/api-keys',
    access: ['admin'],
    scope: 'listing',
    audit: 'none',
    summary: "The keys the caller manages (a corporation's admin: those bound only to its corporations), revoked ones too; never a secret",
    query: apiKeyListQuerySchema,
    responses: { 200: { description: 'the keys', schema: apiKeyListSchema } },
  }),
  revokeApiKey: defineRoute({
    operationId: 'revokeApiKey',
    method: 'delete',
    path: '/v1/api-keys/:keyId',
    access: ['admin'],
    scope: 'api-key',
    audit: 'decision',
    summary: 'Revoke a key: refused from the next request on (401); a repeat answers the same',
    params: apiKeyParamsSchema,
    responses: { 200: { description: 'revoked', schema: apiKeySchema }, 404: errorResponse('not_found: no such key, or not one the caller manages') },
  }),
} as const;
