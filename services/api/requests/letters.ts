import { z } from 'zod';
import { letterChannels, letterKinds } from '../../../shared/letters/letter-contract.js';
import { dateField } from './response-fields.js';
import { defineRoute, errorResponse, responseSchema } from './route-contract.js';

export const letterIdParamsSchema = z.object({ letterId: z.string().uuid('letterId is a UUID') });

/** GET /v1/letters/:letterId: what was sent, on which template, and the proof that it arrived. */
export interface LetterRecord {
  readonly letterId: string;
  readonly caseId: string;
  readonly kind: string;
  readonly channel: string;
  readonly templateVersion: string;
  readonly policyVersion: number | null;
  readonly sha256: string | null;
  readonly pages: number | null;
  readonly dispatchedAt: string;
  readonly delivery: { readonly on: string | null; readonly basis: 'actual' | 'presumed'; readonly evidence: string | null };
}

const letterSchema = responseSchema(
  'Letter',
  z.object({
    letterId: z.uuid(),
    caseId: z.uuid(),
    kind: z.enum(letterKinds),
    channel: z.enum(letterChannels),
    templateVersion: z.string().meta({ description: 'the template and its version the letter was rendered from (`wik@2`)' }),
    policyVersion: z.number().int().nullable().meta({ description: 'the collection policy version the track sent it under; null where the letter does not record it' }),
    sha256: z.string().nullable().meta({ description: "SHA-256 of the PDF as sent (hex); null for a short message, which has no PDF" }),
    pages: z.number().int().nullable(),
    dispatchedAt: dateField.meta({ description: 'the day the letter was handed to its channel' }),
    delivery: z.object({
      on: dateField.nullable().meta({ description: 'the day it was delivered (actual) or is presumed delivered by the legal rule; null when neither is known' }),
      basis: z.enum(['actual', 'presumed']),
      evidence: z.string().nullable(),
    }),
  }),
);

const noLetter = errorResponse("not_found: no such letter, or one of a case the key may not read");
const caseReaders = ['billing', 'operator', 'approver', 'admin', 'bailiff'] as const;

export const letterContracts = {
  getLetter: defineRoute({
    operationId: 'getLetter',
    method: 'get',
    path: '/v1/letters/:letterId',
    access: caseReaders,
    scope: 'letter',
    audit: 'personal-data-read',
    summary: 'One letter sent on a case: its template version, hash, pages and proof of delivery',
    params: letterIdParamsSchema,
    responses: { 200: { description: 'the letter', schema: letterSchema }, 404: noLetter },
  }),
  getLetterPdf: defineRoute({
    operationId: 'getLetterPdf',
    method: 'get',
    path: '/v1/letters/:letterId/pdf',
    access: caseReaders,
    scope: 'letter',
    audit: 'personal-data-read',
    summary: 'The PDF of a letter exactly as it was sent (its SHA-256 is the letter\'s sha256)',
    params: letterIdParamsSchema,
    responses: { 200: { description: 'the PDF', mediaType: 'application/pdf' }, 404: errorResponse('not_found: no such letter, or one without a PDF (a short message)') },
  }),
} as const;
