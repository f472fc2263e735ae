import express, { Router, type RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { signatureHeader } from '../../../shared/payment-provider/provider-contract.js';
import { isSignedBy } from '../../../shared/payment-provider/webhook-signature.js';
import { badRequest, HttpError } from '../../http/errors.js';
import { createPaymentLink, handleProviderWebhook, type LinkTracks, type PaymentProviderSettings } from '../../payment-links/payment-link-service.js';
import { callerOf } from '../auth.js';
import { findCase } from '../find-case.js';
import { paymentLinkContracts as contracts } from '../requests/payment-links.js';
import { mountRoute } from './mount-route.js';

export interface PaymentLinkRoutesDeps {
  readonly db: Kysely<Database>;
  readonly tracks: LinkTracks;
  readonly provider?: PaymentProviderSettings;
}

/** Links to pay a case online, for billing and operators (behind the API key). */
export function paymentLinkRoutes({ db, tracks, provider }: PaymentLinkRoutesDeps): Router {
  const router = Router();
  mountRoute(router, contracts.createPaymentLink, async ({ params: { caseId }, body }, res) => {
    const { created, link } = await createPaymentLink(db, tracks, provider, { linkedCase: await findCase(db, caseId), amount: body.amount, actor: callerOf(res.locals).actor });
    res.status(created ? 201 : 200).json(link);
  });
  return router;
}

/**
 * The provider's webhook: no API key, its signature instead. Mounted before the API's JSON parser,
 * because the signature is over the body's bytes as sent: they are read raw, checked, and only then
 * parsed. An unsigned or wrongly signed call is a 401 before anything is looked up.
 */
export function paymentProviderWebhookRoutes({ db, tracks, provider }: PaymentLinkRoutesDeps): Router {
  const router = Router();
  const readRaw = express.raw({ type: () => true, limit: '16kb' });
  const verify: RequestHandler = (req, _res, next) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!provider || !isSignedBy(raw, req.get(signatureHeader), provider.webhookSecret)) {
      return next(new HttpError(401, 'invalid_signature', `the ${signatureHeader} header does not sign this body`));
    }
    try {
      req.body = JSON.parse(raw.toString('utf8'));
    } catch {
      return next(badRequest('malformed JSON body'));
    }
    next();
  };
  mountRoute(
    router,
    contracts.paymentProviderWebhook,
    async ({ body: { id } }, res) => {
      res.json(await handleProviderWebhook(db, tracks, provider!, id));
    },
    [readRaw, verify],
  );
  return router;
}
