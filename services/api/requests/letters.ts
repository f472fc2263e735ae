import { z } from 'zod';
import { deliveryBases } from '../../../shared/letters/delivery.js';
import { letterChannels, letterKinds } from '../../../shared/letters/letter-contract.js';
import type { LetterDelivery, WikTermEffect } from '../letter-delivery.js';
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
  readonly delivery: LetterDelivery;
  /** A 14-day letter's term as stated, and as a reported delivery gives it; null for other letters. */
  readonly wikTerm: WikTermEffect | null;
}

export const letterSchema = responseSchema(
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
      on: dateField.nullable().meta({ description: 'the day it was delivered (reported or accepted by its carrier) or is presumed delivered by the legal rule; null when neither is known' }),
      basis: z.enum(deliveryBases).meta({ description: 'presumed (the legal rule for post), registered_post (the mail house reported it), smtp_accepted, gateway_accepted' }),
      evidence: z.string().nullable().meta({ description: "the carrier's reference: track & trace code and report, e-mail Message-ID, gateway message id, or the mail house's batch day" }),
    }),
    wikTerm: z
      .object({
        presumedDelivery: dateField,
        deadline: dateField.meta({ description: 'the last day of the term as the letter states it' }),
        deadlineFromDelivery: dateField.nullable().meta({ description: 'the last day counted from the reported delivery; null until one is reported' }),
        deliveredLaterThanPresumed: z.boolean(),
      })
      .nullable(),
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
