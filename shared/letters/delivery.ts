import { z } from 'zod';
import { isoDateSchema } from '../calendar/iso-date.js';
import { singleLineText } from '../validation/text.js';

/**
 * What a letter's delivery date rests on (interfaces.md §3.4, HR 25-11-2016 Fa-Med):
 * - `presumed`: ordinary post, the legal core's rule (the second delivery day after posting);
 * - `registered_post`: the mail house's track & trace reported the day it was delivered;
 * - `smtp_accepted`: the recipient's mail relay accepted the e-mail (weak proof of receipt);
 * - `gateway_accepted`: the SMS/WhatsApp gateway accepted the message.
 */
export const deliveryBases = ['presumed', 'registered_post', 'smtp_accepted', 'gateway_accepted'] as const;
export type DeliveryBasis = (typeof deliveryBases)[number];

/** POST /v1/letters/:letterId/delivery: the mail house (or an operator) reports a registered letter delivered. */
export const deliveryReportSchema = z
  .object({
    deliveredOn: isoDateSchema,
    /** The registered item's barcode (PostNL 3S code, e.g. 3SABCD0123456789). */
    trackingCode: z.string().regex(/^[A-Z0-9]{8,30}$/, 'a track & trace code: 8–30 capital letters and digits'),
    /** Who signed, or the carrier's status line: kept as the evidence. */
    evidence: singleLineText(500).optional(),
  })
  .strict();
export type DeliveryReport = z.infer<typeof deliveryReportSchema>;

/** PUT /v1/cases/:caseId/consent: the tenant's consent to receive letters by these digital channels. */
export const consentSchema = z
  .object({
    email: z.boolean(),
    sms: z.boolean(),
    whatsapp: z.boolean().default(false),
  })
  .strict();
export type Consent = z.infer<typeof consentSchema>;
