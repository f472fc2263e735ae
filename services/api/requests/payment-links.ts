import { z } from 'zod';
import { moneyString } from '../../../shared/money.js';
import { webhookBodySchema } from '../../../shared/payment-provider/provider-contract.js';
import { caseIdParamsSchema } from './cases.js';
import { instantField, moneyField } from './response-fields.js';
import { defineRoute, errorResponse, responseSchema } from './route-contract.js';

export const paymentLinkRequestSchema = z.strictObject({
  amount: moneyString.optional().meta({ description: 'what the link asks; default the whole outstanding amount' }),
});
export { webhookBodySchema };

const paymentLinkSchema = responseSchema(
  'PaymentLink',
  z.object({
    linkId: z.string(),
    caseId: z.string(),
    url: z.string().meta({ description: "the provider's checkout page: the payer opens it and pays" }),
    amount: moneyField,
    currency: z.literal('EUR'),
    expiresAt: instantField,
    status: z.enum(['open', 'paid', 'expired', 'canceled', 'failed']),
    providerPaymentId: z.string(),
    transactionId: z.string().nullable().meta({ description: "the payment on the track once paid (link-<providerPaymentId>)" }),
  }),
);
const webhookAnswerSchema = responseSchema(
  'PaymentWebhookHandled',
  z.object({ booked: z.boolean().meta({ description: 'this call booked the payment on the track (a repeat: false)' }), status: z.string().nullable() }),
);

export const paymentLinkContracts = {
  createPaymentLink: defineRoute({
    operationId: 'createPaymentLink',
    method: 'post',
    path: '/v1/cases/:caseId/payment-link',
    access: ['billing', 'operator'],
    scope: 'case',
    audit: 'decision',
    summary:
      "A link to pay the case's debt online (iDEAL | Wero through the payment provider): for the outstanding amount, or a smaller amount given. " +
      'A link of that amount that is still open is answered again (200) rather than a second one made. Paid, it becomes a payment on the track',
    params: caseIdParamsSchema,
    body: { schema: paymentLinkRequestSchema, name: 'payment link request', optional: true },
    responses: {
      200: { description: 'the open link of that amount, made before', schema: paymentLinkSchema },
      201: { description: 'a new link', schema: paymentLinkSchema },
      409: errorResponse('conflict: the case is closed, or nothing is owed'),
      422: errorResponse('amount_above_outstanding: more than the case owes'),
      503: errorResponse('payment_provider_unavailable: the payment provider is not configured or did not answer; engine_unavailable: the collection engine did not answer (Retry-After). Safe to repeat'),
    },
  }),
  paymentProviderWebhook: defineRoute({
    operationId: 'paymentProviderWebhook',
    method: 'post',
    path: '/v1/payment-provider/webhook',
    access: 'public',
    scope: 'none',
    audit: 'none',
    summary:
      'Called by the payment provider when a payment changes: no API key, but X-Payment-Signature: sha256=<hex HMAC-SHA256 of the raw body> under the shared secret. ' +
      "The payment's status and amount are fetched from the provider (the body names only its id); a paid one is booked on the track once, whatever the number of calls",
    body: { schema: webhookBodySchema, name: 'webhook' },
    responses: {
      200: { description: 'handled (also for a payment id we never made: nothing to do)', schema: webhookAnswerSchema },
      401: errorResponse('invalid_signature: the signature is missing or does not sign this body. Nothing changes'),
      503: errorResponse('payment_provider_unavailable or engine_unavailable: the provider or the collection engine did not answer (Retry-After); the provider calls again'),
    },
  }),
};
