import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PaymentProviderClient } from '../../shared/payment-provider/provider-client.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { signWebhook } from '../../shared/payment-provider/webhook-signature.js';
import { createPaymentProvider } from '../../services/payment-provider/provider-app.js';
import { listen, type ListeningServer } from '../../services/http/serve.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { freePort } from '../support/ports.js';
import { camtXml } from '../support/camt-files.js';
import { eventually } from '../support/eventually.js';
import { caseRequest, rentClaim } from '../support/tracks.js';

/**
 * Issue 12: payment links that pay. The local payment provider over real HTTP: a link made for a
 * case, its checkout page opened and paid as the "Betalen" button does, the provider's signed
 * webhook booking the payment on the track once, and a forged webhook refused.
 */
let api: ApiHarness;
let provider: ListeningServer;
const apiKey = 'test-provider-api-key-0123456789abcdef0123456789';
const webhookSecret = 'test-provider-webhook-secret-0123456789abcdef012';
const today = amsterdamDate(Date.now());

beforeAll(async () => {
  const port = await freePort();
  provider = await listen(createPaymentProvider({ apiKey, webhookSecret, publicUrl: `http://127.0.0.1:${port}`, webhookRetryMs: [] }), port);
  api = await startApi({
    databaseAdminUrl: inject('databaseAdminUrl'),
    temporal: { address: inject('temporalDevAddress') },
    paymentProvider: {
      client: new PaymentProviderClient({ url: provider.url, apiKey }),
      webhookSecret,
      webhookUrl: () => `${api.baseUrl}/v1/payment-provider/webhook`,
    },
  });
});
afterAll(async () => {
  await api?.close();
  await provider?.close();
});

const read = async (caseId: string) => (await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator })).body;
const makeLink = (caseId: string, body?: unknown, key = api.keys.billing) => api.call('POST', `/v1/cases/${caseId}/payment-link`, { key, body });
/** As the checkout page's "Betalen" button: a form post from the payer's browser. */
const pay = (url: string) => fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
const webhook = (body: string, signature: string | null) =>
  fetch(`${api.baseUrl}/v1/payment-provider/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-payment-signature': signature } : {}) }, body });
const state = async () => ({
  links: await api.database.db.selectFrom('payment_link').select(['link_id', 'status', 'transaction_id', 'paid_at']).orderBy('link_id').execute(),
  payments: await api.database.db.selectFrom('payment').select(['transaction_id', 'amount']).orderBy('transaction_id').execute(),
});

async function openCase() {
  const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: caseRequest({ claims: [rentClaim('R-1', '500.00', addDays(today, -10))] }) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const caseId = created.body.caseId as string;
  // Let the track send its first letter: a busy machine then answers the balance queries sooner.
  await eventually(() => read(caseId), (status) => status.letters?.length > 0);
  return caseId;
}

describe('payment links', () => {
  let caseId: string;
  let partial: { linkId: string; url: string; providerPaymentId: string };

  beforeAll(async () => {
    caseId = await openCase();
  });

  it('makes a link for the outstanding amount, answers the open one again, and one for a smaller amount on request', async () => {
    const outstanding = (await read(caseId)).balance.outstanding as string;
    const whole = await makeLink(caseId);
    expect(whole.status, JSON.stringify(whole.body)).toBe(201);
    expect(whole.body).toMatchObject({ caseId, amount: outstanding, currency: 'EUR', status: 'open', transactionId: null, url: expect.stringMatching(/\/checkout\/tr_[0-9a-f]+$/) });
    expect(Date.parse(whole.body.expiresAt)).toBeGreaterThan(Date.now() + 13 * 86_400_000);
    const again = await makeLink(caseId, {}, api.keys.operator);
    expect(again.status).toBe(200);
    expect(again.body.linkId).toBe(whole.body.linkId);

    const smaller = await makeLink(caseId, { amount: '100' });
    expect(smaller.status).toBe(201);
    expect(smaller.body).toMatchObject({ amount: '100.00' });
    partial = smaller.body;

    // A retry racing the first request: one link.
    const racing = await Promise.all([makeLink(caseId, { amount: '50.00' }), makeLink(caseId, { amount: '50.00' })]);
    expect(racing.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(racing[0]!.body.linkId).toBe(racing[1]!.body.linkId);

    expect((await makeLink(caseId, { amount: '100000.00' })).body.error.code).toBe('amount_above_outstanding');
    expect((await makeLink(caseId, { amount: '-5.00' })).status).toBe(400);
    expect((await makeLink(caseId, { amount: '10.00', extra: 1 })).status).toBe(400);
    expect((await makeLink(caseId, undefined, api.keys.approver)).status).toBe(403);
    expect((await api.call('POST', `/v1/cases/${caseId}/payment-link`, { key: null })).status).toBe(401);
  });

  it("shows the amount and a Betalen button on the provider's checkout page", async () => {
    const page = await fetch(partial.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('€ 100,00');
    expect(html).toMatch(/<button[^>]*>Betalen<\/button>/);
    expect(html).toContain(`action="/checkout/${partial.providerPaymentId}/pay"`);
  });

  it('refuses a forged webhook with 401 and changes nothing', async () => {
    const before = await state();
    const body = JSON.stringify({ id: partial.providerPaymentId });
    for (const [sent, signature] of [
      [body, null],
      [body, signWebhook(body, 'not-the-secret-not-the-secret-not-the')],
      [body, signWebhook(`${body} `, webhookSecret)],
      [body, 'sha256=zz'],
      [`{"id":"${partial.providerPaymentId}","amount":"100.00","status":"paid"}`, signWebhook(body, webhookSecret)],
    ] as const) {
      const answer = await webhook(sent, signature);
      expect(answer.status).toBe(401);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');
    }
    expect(await state()).toEqual(before);
  });

  it('a signed webhook for a payment not paid books nothing: the status comes from the provider, not the call', async () => {
    const before = await state();
    const body = JSON.stringify({ id: partial.providerPaymentId });
    const answer = await webhook(body, signWebhook(body, webhookSecret));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ booked: false, status: 'open' });
    expect(await state()).toEqual(before);
    const unknown = JSON.stringify({ id: 'tr_0000000000000000' });
    expect(await (await webhook(unknown, signWebhook(unknown, webhookSecret))).json()).toEqual({ booked: false, status: null });
  });

  it('paying on the checkout page books the payment on the track once, however often the webhook comes', async () => {
    const paid = await pay(partial.url);
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain('Betaald');
    const transactionId = `link-${partial.providerPaymentId}`;
    const status = await read(caseId);
    expect(status.payments).toEqual([{ transactionId, amount: '100.00', bookedOn: today }]);
    const link = await api.database.db.selectFrom('payment_link').selectAll().where('link_id', '=', partial.linkId).executeTakeFirstOrThrow();
    expect(link).toMatchObject({ status: 'paid', transaction_id: transactionId, booked_on: today });

    // The provider's retry, and two at once: the same one payment.
    const body = JSON.stringify({ id: partial.providerPaymentId });
    const signature = signWebhook(body, webhookSecret);
    const answers = await Promise.all([webhook(body, signature), webhook(body, signature), webhook(body, signature)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect((await Promise.all(answers.map((a) => a.json() as Promise<{ booked: boolean }>))).map((a) => a.booked)).toEqual([false, false, false]);
    expect((await read(caseId)).payments).toHaveLength(1);
    expect((await api.database.db.selectFrom('payment').select('transaction_id').where('case_id', '=', caseId).execute()).map((p) => p.transaction_id)).toEqual([transactionId]);
    // Paid is paid: the page does not take it twice.
    expect((await pay(partial.url)).status).toBe(409);
  });

  it("recognises the provider's payout on the bank statement as the link's payment, not a second one", async () => {
    const before = (await read(caseId)).payments;
    const payout = camtXml({
      messageId: `PAYOUT-${partial.providerPaymentId}`,
      entries: [{ amount: '100.00', bookingDate: today, ref: `PAYOUT-${partial.providerPaymentId}`, txs: [{ endToEndId: partial.providerPaymentId, ustrd: [`iDEAL ${partial.providerPaymentId} Huurachterstand`], counterIban: 'NL44RABO0123456789', counterName: 'Stichting Betaalprovider' }] }],
    });
    const imported = await api.call('POST', '/v1/bank/statements?corporationId=test-corp', { key: api.keys.billing, body: payout, contentType: 'application/xml' });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body).toMatchObject({ new: 1, matched: 1, unmatched: 0 });
    const line = await api.database.db.selectFrom('bank_entry').select(['fate', 'match_rule', 'case_id', 'transaction_id']).where('first_import_id', '=', imported.body.importId).executeTakeFirstOrThrow();
    expect(line).toEqual({ fate: 'matched', match_rule: 'payment_link', case_id: caseId, transaction_id: `link-${partial.providerPaymentId}` });
    expect((await read(caseId)).payments).toEqual(before);
  });

  it('a link for what is left, paid, closes the case as paid', async () => {
    const rest = await makeLink(caseId);
    expect(rest.status).toBe(201);
    expect(rest.body.amount).toBe((await read(caseId)).balance.outstanding);
    expect((await pay(rest.body.url)).status).toBe(200);
    const closed = await read(caseId);
    expect(closed.balance.outstanding).toBe('0.00');
    expect(closed.closedReason).toBe('paid');
    expect((await makeLink(caseId)).status).toBe(409);
  });
});
