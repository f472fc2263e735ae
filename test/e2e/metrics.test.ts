import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addDays } from '../../shared/calendar/iso-date.js';
import { camtXml } from '../support/camt-files.js';
import { startSimulationApi, type SimulationApi } from '../support/simulation-api.js';
import { caseRequest, rentClaim } from '../support/tracks.js';

let api: SimulationApi;

beforeAll(async () => {
  api = await startSimulationApi(inject('databaseAdminUrl'));
});
afterAll(async () => {
  await api?.close();
});

const scrape = async (url: string) => {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
};

/** The sum of the samples of `name` whose labels include `labels`. */
function total(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && wanted.every((w) => line.includes(w)))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe('metrics of the API and the letter service', () => {
  it('counts requests by route pattern, the track messages sent, the bank entries imported and the letters posted', async () => {
    const api0 = await scrape(api.baseUrl);
    const letters0 = await scrape(api.services.lettersUrl);

    const today = await api.today();
    const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: caseRequest({ claims: [rentClaim('R-1', '812.50', addDays(today, -40))] }) });
    expect(created.status).toBe(201);
    const caseId: string = created.body.caseId;
    await api.caseWhen(caseId, (c) => c.letters?.length === 1);
    expect((await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator })).status).toBe(200);
    expect((await api.call('POST', `/v1/cases/${caseId}/payments`, { key: api.keys.billing, body: { transactionId: 'TX-metrics-1', amount: '12.50', bookedOn: today } })).status).toBe(202);
    expect((await api.call('POST', `/v1/cases/${caseId}/payments`, { key: api.keys.billing, body: { amount: 'twelve' } })).status).toBe(400);
    // A bank file: one line paying the case by its betalingskenmerk, one nobody's; then the same file again.
    const { paymentReference } = (await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator })).body;
    const file = camtXml({
      messageId: `METRICS-${caseId.slice(0, 8)}`,
      entries: [
        { amount: '20.00', bookingDate: today, ref: `M-${caseId.slice(0, 8)}-1`, txs: [{ kenmerk: paymentReference }] },
        { amount: '7.00', bookingDate: today, ref: `M-${caseId.slice(0, 8)}-2`, txs: [{ ustrd: ['geen kenmerk'] }] },
      ],
    });
    for (let i = 0; i < 2; i++) {
      const imported = await api.call('POST', '/v1/bank/statements?corporationId=test-corp', { key: api.keys.billing, body: file, contentType: 'application/xml' });
      expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    }

    const after = await scrape(api.baseUrl);
    const delta = (labels: Record<string, string>, name = 'huurincasso_http_requests_total') => total(after, name, labels) - total(api0, name, labels);
    expect(delta({ service: 'api', method: 'POST', route: '/v1/cases', status: '201' })).toBe(1);
    expect(delta({ service: 'api', method: 'GET', route: '/v1/cases/:caseId', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(delta({ service: 'api', method: 'POST', route: '/v1/cases/:caseId/payments', status: '202' })).toBe(1);
    expect(delta({ service: 'api', method: 'POST', route: '/v1/cases/:caseId/payments', status: '400' })).toBe(1);
    expect(delta({ service: 'api', route: '/v1/cases/:caseId/payments' }, 'huurincasso_http_request_duration_seconds_count')).toBe(2);
    // Route patterns only: no case id became a label.
    expect(after).not.toContain(caseId);

    expect(delta({ type: 'update_with_start', name: 'registerClaims', outcome: 'ok' }, 'huurincasso_track_messages_total')).toBe(1);
    expect(delta({ type: 'update', name: 'registerPayment', outcome: 'ok' }, 'huurincasso_track_messages_total')).toBe(2);
    const bank = (fate: string) => delta({ fate, source: 'import' }, 'huurincasso_bank_entries_total');
    expect([bank('matched'), bank('unmatched'), bank('duplicate')]).toEqual([1, 1, 2]);

    // Counted where the letter is handed to its carrier, and scraped from the letter service.
    const letters = await scrape(api.services.lettersUrl);
    expect(total(letters, 'huurincasso_letters_sent_total') - total(letters0, 'huurincasso_letters_sent_total')).toBe(1);
    expect(total(letters, 'huurincasso_http_requests_total', { service: 'letters', method: 'POST', route: '/letters', status: '201' })).toBeGreaterThanOrEqual(1);
  });
});
