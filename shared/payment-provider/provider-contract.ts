import { z } from 'zod';
import { moneyString } from '../money.js';

/**
 * The payment provider's API as we use it (interfaces.md §2): Mollie's payments API in shape
 * (`POST /v2/payments`, `GET /v2/payments/:id`, amounts as `{ currency, value }` with a decimal
 * string, a hosted checkout page, a webhook that carries only the payment's id). The local provider
 * (services/payment-provider) serves it, its client (provider-client.ts) calls it.
 *
 * Its webhook is signed: `X-Payment-Signature: sha256=<hex HMAC-SHA256 of the raw body>` under a
 * secret both sides hold (PAYMENT_PROVIDER_WEBHOOK_SECRET). Even a well-signed webhook only says
 * "look at payment X": the receiver fetches the payment and trusts what the provider answers.
 */
export const paymentStatuses = ['open', 'paid', 'expired', 'canceled', 'failed'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

export const providerAmountSchema = z.object({ currency: z.literal('EUR'), value: moneyString });

export const createPaymentRequestSchema = z.object({
  amount: providerAmountSchema,
  description: z.string().min(1).max(255),
  /** Where the payer's browser goes after paying; none: the provider's own "paid" page. */
  redirectUrl: z.url().optional(),
  webhookUrl: z.url(),
  /** Ours, returned as given: ids only (no personal data leaves for the provider). */
  metadata: z.record(z.string(), z.string()).optional(),
  expiresAt: z.iso.datetime().optional(),
});
export type CreatePaymentRequest = z.infer<typeof createPaymentRequestSchema>;

export const providerPaymentSchema = z.object({
  resource: z.literal('payment'),
  id: z.string().regex(/^tr_[A-Za-z0-9]{10,40}$/),
  status: z.enum(paymentStatuses),
  amount: providerAmountSchema,
  description: z.string(),
  redirectUrl: z.string().nullable(),
  webhookUrl: z.string(),
  metadata: z.record(z.string(), z.string()),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  paidAt: z.iso.datetime().nullable(),
  _links: z.object({ checkout: z.object({ href: z.url() }), self: z.object({ href: z.url() }) }),
});
export type ProviderPayment = z.infer<typeof providerPaymentSchema>;

export const webhookBodySchema = z.strictObject({ id: z.string().regex(/^tr_[A-Za-z0-9]{10,40}$/, 'a payment id (tr_…)') });

export const signatureHeader = 'x-payment-signature';
