import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CollectionStage } from '../../shared/search-attributes.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { formatMoney, money } from '../../shared/money.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { caseRequest, rentClaim } from '../support/tracks.js';
import { eventually } from '../support/eventually.js';

let api: ApiHarness;
const today = amsterdamDate(Date.now());

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
});
afterAll(async () => {
  await api?.close();
});

const caseCount = async () => Number((await api.database.db.selectFrom('collection_case').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('HTTP API end to end (Temporal dev server, worker, services, Postgres)', () => {
  it('reports health and serves its OpenAPI document', async () => {
    // The worker counts once its first polls reach the server, a moment after it starts.
    expect(await eventually(() => api.call('GET', '/healthz', { key: null }), (h) => h.status === 200, 10_000)).toEqual({
      status: 200,
      body: { status: 'ok', temporal: 'ok', database: 'ok', worker: 'ok', services: { letters: 'ok', bank: 'ok', municipality: 'ok' } },
    });
    const openapi = await api.call('GET', '/v1/openapi.json', { key: null });
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toContain('/v1/cases/{caseId}/payments');
  });

  it('refuses a missing or unknown key with 401 and a wrong role with 403', async () => {
    const body = caseRequest({ claims: [rentClaim('R-1', '100.00', today)] });
    expect((await api.call('POST', '/v1/cases', { key: null, body })).status).toBe(401);
    expect((await api.call('POST', '/v1/cases', { key: 'hi_billing_nonsense', body })).status).toBe(401);
    const wrongRole = await api.call('POST', '/v1/cases', { key: api.keys.operator, body });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.error.code).toBe('forbidden');
  });

  it('answers bad input with 400 and zod details, and changes nothing', async () => {
    const before = await caseCount();
    const floatAmount = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: { ...caseRequest({ claims: [rentClaim('R-1', '100.00', today)] }), claims: [{ invoiceRef: 'R-1', description: 'x', amount: 100.5, dueDate: today }] } });
    expect(floatAmount.status).toBe(400);
    expect(floatAmount.body.error.details[0].path).toEqual(['claims', 0, 'amount']);
    const threeDecimals = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: caseRequest({ claims: [rentClaim('R-1', '100.005', today)] }) });
    expect(threeDecimals.status).toBe(400);
    const badDate = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: caseRequest({ claims: [rentClaim('R-1', '100.00', '2026-02-30')] }) });
    expect(badDate.status).toBe(400);
    // The debtor's IBAN is checked as the corporation's is (mod-97): one digit off is refused, naming the field.
    const valid = caseRequest({ claims: [rentClaim('R-1', '100.00', today)] });
    const wrongIban = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: { ...valid, debtor: { ...valid.debtor, iban: 'NL92ABNA0417164300' } } });
    expect(wrongIban.status).toBe(400);
    expect(wrongIban.body.error.code).toBe('invalid_request');
    expect(wrongIban.body.error.details.map((d: { path: unknown[] }) => d.path)).toEqual([['debtor', 'iban']]);
    const malformed = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: '{"corporationId":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_request');
    const unknownCorporation = caseRequest({ corporationId: 'nobody', claims: [rentClaim('R-1', '100.00', today)] });
    // A corporation the key does not hold answers as one that does not exist (issue 10).
    expect((await api.call('POST', '/v1/cases', { key: api.keys.billing, body: unknownCorporation })).status).toBe(404);
    // A key bound to a corporation the installation does not know: 422.
    await api.grant('nobody');
    const notConfigured = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: unknownCorporation });
    expect(notConfigured.status).toBe(422);
    expect(notConfigured.body.error.code).toBe('unknown_corporation');
    expect(await caseCount()).toBe(before);
    expect((await api.call('GET', '/v1/cases/not-a-uuid', { key: api.keys.operator })).status).toBe(400);
    expect((await api.call('GET', '/v1/cases/00000000-0000-4000-8000-000000000000', { key: api.keys.operator })).status).toBe(404);
  });

  it('starts a track, sends the reminder, adds claims on a repeat, and closes it as paid', async () => {
    const request = caseRequest({ claims: [rentClaim('R-2026-10', '812.50', addDays(today, -30))] });
    const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: request });
    expect(created.status).toBe(201);
    expect(created.body.workflowId).toBe(`track/test-corp/${request.contractRef}`);
    const { caseId } = created.body;

    const repeated = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: request });
    expect(repeated).toEqual({ status: 200, body: created.body });

    const withNewClaim = await api.call('POST', '/v1/cases', {
      key: api.keys.billing,
      body: { ...request, claims: [...request.claims, rentClaim('R-2026-11', '812.50', addDays(today, -2))] },
    });
    expect(withNewClaim.status).toBe(200);
    const changedClaim = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: { ...request, claims: [rentClaim('R-2026-10', '900.00', addDays(today, -30))] } });
    expect(changedClaim.status).toBe(409);

    const status = await eventually(
      () => api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator }),
      (r) => r.body.letters?.length > 0,
    );
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ caseId, stage: 'reminder', closedReason: null, balance: { principal: '1625.00', paid: '0.00' } });
    expect(status.body.letters[0]).toMatchObject({ kind: 'reminder', date: today, channel: 'post' });
    expect(status.body.claims.map((c: { description: string }) => c.description)).toEqual(['Huur ' + addDays(today, -30).slice(0, 7), 'Huur ' + addDays(today, -2).slice(0, 7)]);
    const letter = await api.database.db.selectFrom('letter').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(letter.body).toContain('T. Testhuurder');
    expect(letter.body).toContain('Proefstraat 1');
    expect(letter.body).toMatch(/betalingskenmerk \d{16}/);

    // No personal data travels through Temporal: not in the history, not in search attributes.
    const history = JSON.stringify(await api.client.workflow.getHandle(created.body.workflowId).fetchHistory());
    for (const personal of ['Testhuurder', 'Proefstraat', 'huurder@example.org', 'Teststad']) expect(history).not.toContain(personal);

    // Not handed to the bailiff's office: as a case that does not exist (issue 10).
    expect((await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.bailiff })).status).toBe(404);

    const payment = { transactionId: `TX-${caseId}-1`, amount: '1000.00', bookedOn: today };
    const paid = await api.call('POST', `/v1/cases/${caseId}/payments`, { key: api.keys.billing, body: payment });
    expect(paid.status).toBe(202);
    expect(paid.body).toMatchObject({ duplicate: false, closed: false });
    // A repeat answers with the state as it is now (nothing changed since), and says it was a repeat.
    expect(await api.call('POST', `/v1/cases/${caseId}/payments`, { key: api.keys.billing, body: payment })).toEqual({ status: 202, body: { ...paid.body, duplicate: true } });
    expect((await api.call('POST', `/v1/cases/${caseId}/payments`, { key: api.keys.billing, body: { ...payment, amount: '999.00' } })).status).toBe(409);
    expect((await api.call('POST', `/v1/cases/${caseId}/payments`, { key: api.keys.billing, body: { ...payment, transactionId: 'TX-neg', amount: '-5.00' } })).status).toBe(400);

    const rest = await api.call('POST', `/v1/cases/${caseId}/payments`, { key: api.keys.billing, body: { transactionId: `TX-${caseId}-2`, amount: paid.body.outstanding, bookedOn: today } });
    expect(rest.body).toMatchObject({ closed: true, outstanding: '0.00' });
    const closed = await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.billing });
    expect(closed.body).toMatchObject({ stage: 'closed', closedReason: 'paid', balance: { principal: '1625.00', outstanding: '0.00' } });
    // Interest ran from the day after each due date; what was paid is principal plus that interest.
    expect(Number(closed.body.balance.interest)).toBeGreaterThan(0);
    expect(formatMoney(money(closed.body.balance.principal).plus(closed.body.balance.interest))).toBe(closed.body.balance.paid);
    const late = await api.call('POST', `/v1/cases/${caseId}/payments`, { key: api.keys.billing, body: { transactionId: `TX-${caseId}-3`, amount: '1.00', bookedOn: today } });
    expect(late.status).toBe(409);
  });

  it('makes tracks findable in the Temporal UI by search attribute', async () => {
    const request = caseRequest({ claims: [rentClaim('R-9', '450.00', addDays(today, -20))] });
    const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: request });
    const found = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const wf of api.client.workflow.list({ query: `CorporationId = "test-corp" AND ${CollectionStage.name} = "reminder"` })) ids.push(wf.workflowId);
        return ids;
      },
      (ids) => ids.includes(created.body.workflowId),
    );
    expect(found).toContain(created.body.workflowId);
  });

  it('computes the legal figures of api.md', async () => {
    const key = api.keys.bailiff;
    expect((await api.call('GET', '/v1/calculations/collection-costs?principal=3000.00&vatSurcharge=true', { key })).body).toEqual({
      principal: '3000.00', collectionCosts: '425.00', vat: '89.25', total: '514.25',
    });
    expect((await api.call('GET', '/v1/calculations/deadline?posted=2026-04-23&days=14&deliveryDays=2', { key })).body).toEqual({
      delivered: '2026-04-25', termStart: '2026-04-26', deadline: '2026-05-11', costsDueFrom: '2026-05-12',
    });
    const interest = await api.call('GET', '/v1/calculations/statutory-interest?principal=1000.00&from=2023-07-01&to=2025-07-01', { key });
    expect(interest.status).toBe(200);
    expect(interest.body.interest).toMatch(/^\d+\.\d{2}$/);
    expect((await api.call('GET', '/v1/calculations/collection-costs?principal=12.345', { key })).status).toBe(400);
    expect((await api.call('GET', '/v1/calculations/deadline?posted=2031-01-05', { key })).status).toBe(422);
    expect((await api.call('GET', '/v1/calculations/deadline?posted=2026-04-23', { key: null })).status).toBe(401);
  });

  it('keeps the simulation endpoints closed outside simulation', async () => {
    expect((await api.call('GET', '/v1/simulation/now')).status).toBe(404);
    expect((await api.call('POST', '/v1/simulation/advance', { body: { days: 1 } })).status).toBe(404);
  });
});
