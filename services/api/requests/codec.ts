import { z } from 'zod';
import { defineRoute, errorResponse, responseSchema } from './route-contract.js';

/**
 * Temporal's remote codec protocol (the Web UI's and the CLI's `--codec-endpoint`): a body of
 * Payloads as proto3 JSON, so the data and every metadata value are base64. Strict base64 with
 * its padding: anything else is no payload either client sends.
 */
const base64 = z
  .string()
  .max(1_500_000)
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'base64 (proto3 JSON bytes)');

/** Metadata keys as the SDKs write them (`encoding`, `messageType`, `encryption-key-id`…). */
const metadataKey = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'a metadata key: letters, digits, . _ - (max 100)');

export const codecPayloadSchema = z.object({
  // Every SDK names a payload's encoding; a payload without one is not a Temporal payload.
  metadata: z.object({ encoding: base64 }).catchall(base64).refine((metadata) => Object.keys(metadata).every((key) => metadataKey.safeParse(key).success), {
    message: 'metadata keys: letters, digits, . _ - (max 100)',
  }),
  // proto3 JSON leaves out empty bytes: a null payload has no data.
  data: base64.optional(),
});
export type CodecPayload = z.infer<typeof codecPayloadSchema>;

export const codecRequestSchema = z.object({ payloads: z.array(codecPayloadSchema).max(1000) });

const codecPayloadsSchema = responseSchema(
  'CodecPayloads',
  z.object({ payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()), data: z.string().optional() })).meta({ description: 'the same payloads, in order, decoded or encoded; base64 as sent' }) }),
);

export const codecContracts = {
  decodePayloads: defineRoute({
    operationId: 'decodePayloads',
    method: 'post',
    path: '/codec/decode',
    access: ['operator', 'approver', 'admin'],
    scope: 'payload-corporations',
    audit: 'personal-data-read',
    summary:
      "Temporal's remote codec protocol, for the Temporal Web UI and CLI: decrypts workflow payloads of the corporations the key holds (untagged ones: a platform admin key only); plain payloads come back as they are",
    body: { schema: codecRequestSchema, name: 'payloads' },
    responses: {
      200: { description: 'the payloads decrypted', schema: codecPayloadsSchema },
      403: errorResponse("forbidden: the key's role is not operator, approver or admin, or a payload is of a corporation the key does not hold"),
      422: errorResponse('undecryptable: a payload is encrypted with a key this installation no longer holds, or was altered'),
    },
  }),
  encodePayloads: defineRoute({
    operationId: 'encodePayloads',
    method: 'post',
    path: '/codec/encode',
    access: ['admin'],
    scope: 'platform',
    audit: 'none',
    summary:
      "Temporal's remote codec protocol: encrypts payloads typed into the Temporal Web UI or CLI (a signal or start by hand, past the API's checks: a platform admin key only)",
    body: { schema: codecRequestSchema, name: 'payloads' },
    responses: { 200: { description: 'the payloads encrypted under the newest key, for no corporation in particular', schema: codecPayloadsSchema } },
  }),
} as const;
