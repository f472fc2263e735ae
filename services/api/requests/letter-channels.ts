import { z } from 'zod';
import { consentSchema, deliveryReportSchema } from '../../../shared/letters/delivery.js';
import { caseIdParamsSchema } from './cases.js';
import { letterIdParamsSchema, letterSchema } from './letters.js';
import { instantField } from './response-fields.js';
import { defineRoute, errorResponse, responseSchema } from './route-contract.js';

export { consentSchema, deliveryReportSchema };

const consentRecordSchema = responseSchema(
  'DebtorConsent',
  z.object({
    caseId: z.uuid(),
    email: z.boolean(),
    sms: z.boolean(),
    whatsapp: z.boolean(),
    recordedBy: z.string().meta({ description: 'who recorded it (a pseudonym, as in the tracks)' }),
    recordedAt: instantField,
  }),
);

export const letterChannelContracts = {
  recordDelivery: defineRoute({
    operationId: 'recordLetterDelivery',
    method: 'post',
    path: '/v1/letters/:letterId/delivery',
    access: ['mailhouse', 'operator'],
    scope: 'letter',
    audit: 'decision',
    summary: "The mail house reports a registered letter delivered: its track & trace code and the day. A repeat answers the same; other details 409",
    params: letterIdParamsSchema,
    body: { schema: deliveryReportSchema, name: 'delivery' },
    responses: {
      200: { description: 'the letter with its delivery (basis registered_post); a 14-day letter shows its term as the delivery gives it', schema: letterSchema },
      404: errorResponse('not_found: no such letter, or one of a corporation the key does not hold'),
      409: errorResponse('not_registered: the letter did not go as registered post; delivery_differs: another delivery was reported for it'),
      422: errorResponse('delivered_before_posting: the day lies before the letter was posted'),
    },
  }),
  putConsent: defineRoute({
    operationId: 'putDebtorConsent',
    method: 'put',
    path: '/v1/cases/:caseId/consent',
    access: ['billing', 'operator'],
    scope: 'case',
    audit: 'decision',
    summary: "The tenant's consent to receive letters by e-mail, SMS or WhatsApp. Without it a letter goes by post; the 14-day letter always does",
    params: caseIdParamsSchema,
    body: { schema: consentSchema, name: 'consent' },
    responses: { 200: { description: 'the consent as recorded', schema: consentRecordSchema }, 404: errorResponse('not_found: no such case') },
  }),
  caseDossier: defineRoute({
    operationId: 'caseDossier',
    method: 'get',
    path: '/v1/cases/:caseId/dossier',
    access: ['operator', 'approver', 'admin', 'bailiff'],
    scope: 'case',
    audit: 'personal-data-read',
    summary: 'The case dossier for a court, as one PDF: summary, claims, payments, contacts, every letter with its proof of delivery, and the letters themselves (printed and attached as sent)',
    params: caseIdParamsSchema,
    responses: { 200: { description: 'the dossier', mediaType: 'application/pdf' }, 404: errorResponse('not_found: no such case') },
  }),
} as const;
