import { PaymentProviderClient } from '../shared/payment-provider/provider-client.js';
import { freePort } from '../infra/free-port.js';
import { listen } from '../services/http/serve.js';
import { createPaymentProvider } from '../services/payment-provider/provider-app.js';
import { amsterdamDate } from '../shared/calendar/amsterdam-clock.js';
import { openCases } from './bank-import.js';
import { camtXml } from './harness/camt-files.js';
import type { BenchFigure, BenchSection } from './harness/figure.js';
import { benchCorporation, percentile, startBenchStack } from './harness/stack.js';

/**
 * Issue 15's payment latency: from the moment a payment reaches us until GET /v1/cases/:caseId
 * shows it, by the three doors a payment comes in: the billing system's API call, a bank
 * statement upload (one line, matched by its betalingskenmerk), and the payment provider's
 * webhook (timed from the payer's "Betalen", which the local provider answers once the webhook is
 * through, as a PSP's first try does). A few payments in flight at once, never two on one track.
 */
export const benchPaymentLatency: BenchSection = async ({ quick }) => {
  const perDoor = Number(process.env.BENCH_PAYMENTS ?? (quick ? 8 : 100));
  const concurrency = 4;
  const apiKey = 'bench-provider-api-key-0123456789abcdef0123456789';
  const webhookSecret = 'bench-provider-webhook-secret-0123456789abcdef0';
  const providerPort = await freePort();
  const provider = await listen(createPaymentProvider({ apiKey, webhookSecret, publicUrl: `http://127.0.0.1:${providerPort}`, webhookRetryMs: [] }), providerPort);
  let apiUrl = '';
  const stack = await startBenchStack('payment-latency', {}, {
    paymentProvider: { client: new PaymentProviderClient({ url: provider.url, apiKey }), webhookSecret, webhookUrl: () => `${apiUrl}/v1/payment-provider/webhook` },
    // The bench polls GET as fast as it can; the limit is not what is measured.
    rateLimitPerMinute: 1_000_000,
  });
  apiUrl = stack.apiUrl;
  try {
    const today = amsterdamDate(Date.now());
    const run = String(Date.now()).slice(-9);
    const cases = await openCases(stack, concurrency * (quick ? 2 : 8), run, today);
    const [billing, operator] = [await stack.key('billing'), await stack.key('operator')];
    const call = async (method: string, path: string, key: string, body?: string, contentType = 'application/json') => {
      const response = await fetch(`${stack.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': contentType } : {}) }, body });
      const json = (await response.json()) as Record<string, unknown>;
      if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json).slice(0, 300)}`);
      return json;
    };
    const paymentsOf = async (caseId: string) => ((await call('GET', `/v1/cases/${caseId}`, operator)).payments as unknown[]).length;
    /** Sends one payment (`send`) and answers the ms until GET shows one payment more on the case. */
    const timed = async (caseId: string, prepare: () => Promise<() => Promise<unknown>>) => {
      const before = await paymentsOf(caseId);
      const send = await prepare();
      const t0 = performance.now();
      await send();
      while ((await paymentsOf(caseId)) <= before) {
        if (performance.now() - t0 > 30_000) throw new Error(`no payment shown on ${caseId} after 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return performance.now() - t0;
    };
    const door = async (pay: (caseId: string, n: number) => Promise<() => Promise<unknown>>) => {
      const latencies: number[] = [];
      await Promise.all(
        // Worker w takes payments w, w+c, w+2c…, on cases of its own (cases.length is a multiple of c).
        Array.from({ length: concurrency }, async (_, w) => {
          for (let n = w; n < perDoor; n += concurrency) {
            const caseId = cases[n % cases.length]!.caseId;
            latencies.push(await timed(caseId, () => pay(caseId, n)));
          }
        }),
      );
      return latencies;
    };

    const byApi = await door(async (caseId, n) => () => call('POST', `/v1/cases/${caseId}/payments`, billing, JSON.stringify({ transactionId: `bench-${run}-${n}`, amount: '1.00', bookedOn: today })));
    const byStatement = await door(async (caseId, n) => {
      const reference = cases.find((c) => c.caseId === caseId)!.reference;
      const xml = camtXml({ messageId: `LAT-${run}-${n}`, entries: [{ amount: '1.00', bookingDate: today, ref: `LAT-${run}-${n}`, txs: [{ kenmerk: reference, issuer: 'CUR' }] }] });
      return () => call('POST', `/v1/bank/statements?corporationId=${benchCorporation}`, billing, xml, 'application/xml');
    });
    const byWebhook = await door(async (caseId) => {
      const link = (await call('POST', `/v1/cases/${caseId}/payment-link`, billing, JSON.stringify({ amount: '1.00' }))) as { url: string };
      return async () => {
        // The payer's browser posting the checkout form; the provider answers after its webhook call.
        const paid = await fetch(`${link.url}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
        if (paid.status !== 200) throw new Error(`paying ${link.url} answered ${paid.status}`);
      };
    });

    const note = `${perDoor} payments per door over ${cases.length} open tracks, ${concurrency} at a time; until GET /v1/cases/:caseId shows it`;
    const figures = (door: string, latencies: number[]): BenchFigure[] => [
      { section: 'payments', name: `${door}: p50`, value: percentile(latencies, 50), unit: 'ms', note },
      { section: 'payments', name: `${door}: p99`, value: percentile(latencies, 99), unit: 'ms', goal: { atMost: 1_000 } },
    ];
    return [...figures('POST /v1/cases/:caseId/payments', byApi), ...figures('statement upload (POST /v1/bank/statements)', byStatement), ...figures('provider webhook (from the payer paying)', byWebhook)];
  } finally {
    await stack.stop();
    await provider.close();
  }
};
