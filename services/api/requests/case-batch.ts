import { z } from 'zod';
import type { BatchAnswer, RejectedItem } from '../../case-intake/open-cases.js';
import { invalidInput } from '../../http/errors.js';
import { openCaseRequestSchema, type OpenCaseRequest } from './cases.js';
import { defineRoute, describesEveryField, errorResponse, responseSchema } from './route-contract.js';

/** api.md: up to 5,000 case requests in one call. */
export const maxBatchItems = 5_000;
/** 5,000 cases with a few claims each are 2–3 MB; room for long ones. */
export const batchLimitMb = 20;

/** As the client sends it: `/v1/cases:batch` (express reads `:batch` as a parameter unless escaped). */
export const caseBatchPath = '/v1/cases:batch';
export const batchMediaTypes = ['application/json', 'application/x-ndjson'] as const;

/** An NDJSON line that is not JSON: its item is refused, the other lines are taken. */
export class MalformedLine {
  constructor(readonly line: number) {}
}

/** NDJSON's items: one a non-empty line; a line that is not JSON becomes a MalformedLine. */
export function ndjsonItems(text: string): unknown[] {
  return text.split(/\r?\n/).flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as unknown];
    } catch {
      return [new MalformedLine(i + 1)];
    }
  });
}

/**
 * One item: a case exactly as POST /v1/cases takes it. An item that fails the schema does not
 * fail the batch: it becomes a rejection with zod's issues (paths within the item).
 */
const batchItemSchema = openCaseRequestSchema.catch(
  (ctx) =>
    ({
      rejected:
        ctx.input instanceof MalformedLine
          ? { code: 'invalid_request', message: `line ${ctx.input.line} of the NDJSON body is not JSON`, details: [] }
          : (({ code, message, details }) => ({ code, message, details }))(invalidInput('case', ctx.error.issues)),
    }) satisfies RejectedItem as unknown as OpenCaseRequest,
) as unknown as z.ZodType<OpenCaseRequest | RejectedItem, z.input<typeof openCaseRequestSchema>>;

export const caseBatchRequestSchema = z.object({
  cases: z
    .array(batchItemSchema)
    .min(1)
    .max(maxBatchItems, `at most ${maxBatchItems} cases a batch: split the batch`)
    .meta({ description: `up to ${maxBatchItems} cases, each as POST /v1/cases takes it; with Content-Type application/x-ndjson, one case per line instead of this object` }),
});

const itemErrorSchema = z.object({ code: z.string(), message: z.string(), details: z.array(z.unknown()) });

const batchAnswerSchema = responseSchema(
  'CaseBatchAnswer',
  describesEveryField<BatchAnswer>()(
    z.object({
      counts: z.object({ created: z.number().int(), existing: z.number().int(), rejected: z.number().int() }),
      items: z.array(
        z.object({
          index: z.number().int().meta({ description: 'the position of the case in the batch (NDJSON: among its non-empty lines), from 0' }),
          status: z.enum(['created', 'existing', 'rejected']).meta({ description: 'created: the track started (201 for a single call); existing: it ran, new claims were added (200); rejected: see error' }),
          caseId: z.uuid().optional(),
          error: itemErrorSchema.optional().meta({ description: "the answer a single POST /v1/cases would give, in api.md's error shape: invalid_request, not_found (a corporation the key does not hold), conflict, debtor_differs, unknown_corporation, engine_unavailable (safe to repeat)" }),
        }),
      ),
    }),
  ),
);

export const caseBatchContracts = {
  openCaseBatch: defineRoute({
    operationId: 'openCaseBatch',
    method: 'post',
    // Escaped: path-to-regexp would read `:batch` as a parameter.
    path: '/v1/cases\\:batch',
    access: ['billing'],
    scope: 'items-in-body',
    audit: 'decision',
    summary:
      `Up to ${maxBatchItems} cases at once (JSON { cases: [...] } or NDJSON, one case per line), each exactly as POST /v1/cases takes it and as idempotent; ` +
      'answered per item, one bad item never refusing the others. The answer comes when every item is taken',
    body: { schema: caseBatchRequestSchema, name: 'batch', limitMb: batchLimitMb },
    responses: {
      200: { description: 'every item answered; at least one was taken', schema: batchAnswerSchema },
      422: errorResponse("no_case_taken: every item was refused; details holds each item's answer ({ index, status: 'rejected', error })"),
      400: errorResponse(`invalid_request: not a batch (no cases array, more than ${maxBatchItems} cases, malformed JSON); a bad item is answered in its place`),
      413: errorResponse(`payload_too_large: the body is larger than ${batchLimitMb} MB: split the batch`),
      415: errorResponse('unsupported_media_type: the body is not application/json or application/x-ndjson'),
      503: errorResponse("engine_unavailable or database_unavailable for every item: nothing was taken (details: each item's answer); safe to repeat unchanged after Retry-After"),
    },
  }),
} as const;
