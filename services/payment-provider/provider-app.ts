import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import express, { Router, type Express } from 'express';
import { createPaymentRequestSchema, type PaymentStatus, type ProviderPayment } from '../../shared/payment-provider/provider-contract.js';
import { signWebhook } from '../../shared/payment-provider/webhook-signature.js';
import { errorHandler, HttpError, notFound, parseInput } from '../http/errors.js';
import { requireServiceCredential } from '../http/service-credential.js';

/**
 * A payment provider of our own for the dev stack and the tests, in the shape of Mollie's payments
 * API (shared/payment-provider/provider-contract.ts): `POST /v2/payments` and `GET /v2/payments/:id`
 * for the merchant (its API key as a bearer token), and for the payer's browser a hosted checkout
 * page with the amount and a "Betalen" button. Paying marks the payment paid and calls the
 * merchant's webhook, signed, with the payment's id only. Payments are kept in memory and, when
 * a state file is given, written there, so links in letters outlive a restart.
 */
export interface PaymentProviderOptions {
  /** What the merchant presents as `Authorization: Bearer …` (PAYMENT_PROVIDER_API_KEY). */
  readonly apiKey: string;
  /** Signs each webhook call (PAYMENT_PROVIDER_WEBHOOK_SECRET). */
  readonly webhookSecret: string;
  /** Where browsers reach this provider: the checkout links begin with it. */
  readonly publicUrl: string;
  /** A payment not paid by then expires; default 30 days after it was made. */
  readonly defaultValidityDays?: number;
  readonly stateFile?: string;
  /** Waits between webhook tries after a failed one (the first goes out before the payer's page answers). */
  readonly webhookRetryMs?: readonly number[];
  readonly log?: (line: string) => void;
}

const euro = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function createPaymentProvider(options: PaymentProviderOptions): Express {
  const base = options.publicUrl.replace(/\/$/, '');
  const log = options.log ?? (() => {});
  const retries = options.webhookRetryMs ?? [1_000, 5_000, 30_000, 120_000];
  const payments = new Map<string, ProviderPayment>(loadState(options.stateFile).map((p) => [p.id, p]));
  let saving = Promise.resolve();
  const save = () => {
    const file = options.stateFile;
    if (!file) return Promise.resolve();
    // One write at a time, each the whole state, through a temporary file: a crash leaves the old state or the new.
    saving = saving.then(async () => {
      await writeFile(`${file}.tmp`, JSON.stringify([...payments.values()]));
      await rename(`${file}.tmp`, file);
    });
    return saving;
  };
  /** The payment as it stands: an open one past its expiry is expired. */
  const current = (id: string): ProviderPayment | undefined => {
    const payment = payments.get(id);
    if (payment?.status === 'open' && Date.parse(payment.expiresAt) <= Date.now()) {
      const expired = { ...payment, status: 'expired' as PaymentStatus };
      payments.set(id, expired);
      void save();
      return expired;
    }
    return payment;
  };

  async function callWebhook(payment: ProviderPayment, attempt = 0): Promise<void> {
    const body = JSON.stringify({ id: payment.id });
    try {
      const response = await fetch(payment.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-payment-signature': signWebhook(body, options.webhookSecret) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`answered ${response.status}`);
      log(`webhook for ${payment.id} delivered`);
    } catch (error) {
      const wait = retries[attempt];
      log(`webhook for ${payment.id} failed (${error instanceof Error ? error.message : String(error)})${wait === undefined ? ', giving up' : `, again in ${wait} ms`}`);
      if (wait !== undefined) setTimeout(() => void callWebhook(payment, attempt + 1), wait).unref();
    }
  }

  const api = Router();
  api.use(requireServiceCredential(options.apiKey));
  api.use(express.json({ limit: '64kb' }));
  api.post('/v2/payments', async (req, res) => {
    const request = parseInput(createPaymentRequestSchema, req.body, 'payment');
    const id = `tr_${randomBytes(12).toString('hex')}`;
    const now = new Date();
    const expiresAt = request.expiresAt ?? new Date(now.getTime() + (options.defaultValidityDays ?? 30) * 86_400_000).toISOString();
    const payment: ProviderPayment = {
      resource: 'payment',
      id,
      status: 'open',
      amount: request.amount,
      description: request.description,
      redirectUrl: request.redirectUrl ?? null,
      webhookUrl: request.webhookUrl,
      metadata: request.metadata ?? {},
      createdAt: now.toISOString(),
      expiresAt,
      paidAt: null,
      _links: { checkout: { href: `${base}/checkout/${id}` }, self: { href: `${base}/v2/payments/${id}` } },
    };
    payments.set(id, payment);
    await save();
    res.status(201).json(payment);
  });
  api.get('/v2/payments/:id', (req, res) => {
    const payment = current(req.params.id);
    if (!payment) throw notFound(`no payment ${req.params.id}`);
    res.json(payment);
  });

  const checkout = Router();
  checkout.get('/checkout/:id', (req, res) => {
    const payment = current(req.params.id);
    if (!payment) throw notFound(`no payment ${req.params.id}`);
    res.type('html').send(checkoutPage(payment));
  });
  checkout.post('/checkout/:id/pay', async (req, res) => {
    const payment = current(req.params.id);
    if (!payment) throw notFound(`no payment ${req.params.id}`);
    if (payment.status !== 'open') throw new HttpError(409, 'conflict', `the payment is ${payment.status}`);
    const paid: ProviderPayment = { ...payment, status: 'paid', paidAt: new Date().toISOString() };
    payments.set(paid.id, paid);
    await save();
    // The merchant learns of it before the payer's browser is sent on, as a PSP's first try does.
    await callWebhook(paid);
    if (paid.redirectUrl) res.redirect(303, paid.redirectUrl);
    else res.type('html').send(checkoutPage(paid));
  });

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(checkout);
  // The browser's form posts urlencoded; only the /v2 API needs the key.
  app.use(api);
  app.use((_req, _res, next) => next(notFound()));
  app.use(errorHandler());
  return app;
}

function checkoutPage(payment: ProviderPayment): string {
  // Intl formats the decimal string exactly, no float on the way.
  const amount = euro.format(payment.amount.value as `${number}`).replace(/\u00a0/g, ' ');
  const body =
    payment.status === 'open'
      ? `<form method="post" action="/checkout/${payment.id}/pay"><button type="submit">Betalen</button></form>`
      : `<p class="status">${payment.status === 'paid' ? 'Betaald. Dank u wel.' : payment.status === 'expired' ? 'Deze betaallink is verlopen.' : `Status: ${payment.status}`}</p>`;
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Betalen</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}.amount{font-size:2rem;font-weight:bold}button{font-size:1.2rem;padding:.6rem 2rem}</style></head>
<body><h1>Betalen</h1><p class="description">${html(payment.description)}</p><p class="amount">${html(amount)}</p>${body}</body></html>
`;
}

function loadState(file: string | undefined): ProviderPayment[] {
  if (!file) return [];
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ProviderPayment[];
  } catch {
    return [];
  }
}
