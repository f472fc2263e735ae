import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { ensureTestCorporation } from '../support/tracks.js';

/** Creditors and occupancies at the API's edge: what is checked, what is recorded, who may. */
let api: ApiHarness;

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
  await ensureTestCorporation(api.database.db, { corporationId: 'other-corp' });
});
afterAll(async () => {
  await api?.close();
});

const creditor = (overrides: Record<string, unknown> = {}) => ({
  corporationId: 'test-corp',
  name: 'Incassodienst Voorbeeld',
  creditorIdentifier: 'nl69 zzz 1234 5678 0000',
  iban: 'NL91 ABNA 0417 1643 00',
  accountMode: 'provider_account',
  collectionDay: 1,
  limits: { maxPerDebit: '500', maxRunTotal: '25000.00', runsPerMonth: 2 },
  ...overrides,
});
const occupancy = (overrides: Record<string, unknown> = {}) => ({
  creditorId: 'dd-api',
  corporationId: 'test-corp',
  contractRef: 'HC-API-1',
  unitRef: 'Unit 1',
  occupant: { name: 'A. Bewoner', address: { street: 'Laan 1', postalCode: '1234 AB', city: 'Utrecht' }, email: 'a@example.nl' },
  movedInOn: '2026-10-01',
  mandate: { mandateId: 'MND-API-1', signedOn: '2026-09-15', iban: 'NL02ABNA0123456789' },
  advance: { amount: '85.00', from: '2026-11' },
  ...overrides,
});
const errorOf = (response: { body: any }) => ({ code: response.body.error.code, paths: (response.body.error.details ?? []).map((d: any) => d.path.join('.')) });

describe('PUT /v1/creditors/:creditorId', () => {
  it('stores a creditor with its identifier and IBAN normalized and the SEPA defaults', async () => {
    const stored = await api.call('PUT', '/v1/creditors/dd-api', { body: creditor() });
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({
      creditorIdentifier: 'NL69ZZZ123456780000',
      iban: 'NL91ABNA0417164300',
      painVersion: 'pain.008.001.08',
      prenoticeDays: 14,
      collectionDayShift: 'later',
      limits: { maxPerDebit: '500.00', maxRunTotal: '25000.00', runsPerMonth: 2 },
      workflowId: 'collection-runs/dd-api',
    });
  });

  it('refuses wrong check digits, a bad IBAN, amounts beyond the cent, one run a month and an overlapping schedule, storing nothing', async () => {
    const cases: [Record<string, unknown>, number, string, string[]?][] = [
      [{ creditorIdentifier: 'NL00ZZZ123456780000' }, 400, 'invalid_request', ['creditorIdentifier']],
      [{ iban: 'NL92ABNA0417164300' }, 400, 'invalid_request', ['iban']],
      [{ limits: { maxPerDebit: '500.001', maxRunTotal: '1.00', runsPerMonth: 2 } }, 400, 'invalid_request', ['limits.maxPerDebit']],
      [{ limits: { maxPerDebit: '500.00', maxRunTotal: '1000.00', runsPerMonth: 1 } }, 400, 'invalid_request', ['limits.runsPerMonth']],
      [{ collectionDay: 29 }, 400, 'invalid_request', ['collectionDay']],
      [{ collectionDay: 22, prenoticeDays: 30, limits: { maxPerDebit: '500.00', maxRunTotal: '1000.00', runsPerMonth: 2 } }, 422, 'schedule_overlaps'],
    ];
    for (const [change, status, code, paths] of cases) {
      const response = await api.call('PUT', '/v1/creditors/dd-refused', { body: creditor(change) });
      expect(response.status, JSON.stringify(change)).toBe(status);
      expect(errorOf(response).code).toBe(code);
      if (paths) expect(errorOf(response).paths).toEqual(paths);
    }
    expect(await api.database.db.selectFrom('creditor').select('creditor_id').where('creditor_id', '=', 'dd-refused').execute()).toEqual([]);
  });

  it("lets a corporation's admin store creditors of its own corporation only, and never move a creditor to another", async () => {
    const { key: otherAdmin } = await api.makeKey({ role: 'admin', person: 'other admin', corporationIds: ['other-corp'], bailiffOfficeId: null });
    expect((await api.call('PUT', '/v1/creditors/dd-api', { key: otherAdmin, body: creditor() })).status).toBe(404);
    expect((await api.call('PUT', '/v1/creditors/dd-api', { key: otherAdmin, body: creditor({ corporationId: 'other-corp' }) })).status).toBe(404);
    expect((await api.call('PUT', '/v1/creditors/dd-api', { body: creditor({ corporationId: 'other-corp' }) })).status).toBe(409);
    expect((await api.call('PUT', '/v1/creditors/dd-api', { key: api.keys.operator, body: creditor() })).status).toBe(403);
  });
});

describe('PUT /v1/occupancies/:occupancyId', () => {
  it('records a new IBAN as an amendment, keeps a repeat as it is, and refuses another contract', async () => {
    const created = await api.call('PUT', '/v1/occupancies/occ-api', { key: api.keys.billing, body: occupancy() });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ occupancyId: 'occ-api', workflowId: 'advance/test-corp/occ-api', mandateVersion: 1, amended: null });
    const again = await api.call('PUT', '/v1/occupancies/occ-api', { key: api.keys.billing, body: occupancy() });
    expect(again.status).toBe(200);
    expect(again.body.mandateVersion).toBe(1);
    const sameBank = await api.call('PUT', '/v1/occupancies/occ-api', { key: api.keys.billing, body: occupancy({ mandate: { mandateId: 'MND-API-2', signedOn: '2026-12-01', iban: 'NL07ABNA0555666777' } }) });
    expect(sameBank.body).toMatchObject({ mandateVersion: 2, amended: { mandateId: { from: 'MND-API-1', to: 'MND-API-2' }, iban: { from: 'NL02ABNA0123456789', to: 'NL07ABNA0555666777' }, changedBank: false } });
    const moved = await api.call('PUT', '/v1/occupancies/occ-api', { key: api.keys.billing, body: occupancy({ contractRef: 'HC-API-2' }) });
    expect(moved.status).toBe(409);
  });

  it('refuses an unknown creditor, a mandate id outside the SEPA set and a bad IBAN; another corporation sees nothing', async () => {
    expect(errorOf(await api.call('PUT', '/v1/occupancies/occ-x', { key: api.keys.billing, body: occupancy({ creditorId: 'no-such' }) })).code).toBe('unknown_creditor');
    expect(errorOf(await api.call('PUT', '/v1/occupancies/occ-x', { key: api.keys.billing, body: occupancy({ mandate: { mandateId: 'MND 1', signedOn: '2026-09-15', iban: 'NL02ABNA0123456789' } }) })).paths).toEqual(['mandate.mandateId']);
    expect(errorOf(await api.call('PUT', '/v1/occupancies/occ-x', { key: api.keys.billing, body: occupancy({ mandate: { mandateId: 'MND-1', signedOn: '2026-09-15', iban: 'NL02ABNA0123456780' } }) })).paths).toEqual(['mandate.iban']);
    expect(await api.database.db.selectFrom('occupancy').select('occupancy_id').where('occupancy_id', '=', 'occ-x').execute()).toEqual([]);

    const { key: otherBilling } = await api.makeKey({ role: 'billing', person: 'other billing', corporationIds: ['other-corp'], bailiffOfficeId: null });
    expect((await api.call('GET', '/v1/occupancies/occ-api', { key: otherBilling })).status).toBe(404);
    expect((await api.call('PUT', '/v1/occupancies/occ-api', { key: otherBilling, body: occupancy({ corporationId: 'other-corp' }) })).status).toBe(404);
    expect((await api.call('POST', '/v1/occupancies/occ-api/advance', { key: otherBilling, body: { amount: '1.00', from: '2027-05', requestedBy: 'client' } })).status).toBe(404);
  });

  it('changes the advance from a month on with who asked, and shows the next month as scheduled', async () => {
    const changed = await api.call('POST', '/v1/occupancies/occ-api/advance', { key: api.keys.billing, body: { amount: '92.5', from: '2027-05', requestedBy: 'occupant' } });
    expect(changed.status).toBe(201);
    expect(changed.body).toMatchObject({ amount: '92.50', from: '2027-05', requestedBy: 'occupant' });
    expect((await api.call('POST', '/v1/occupancies/occ-api/advance', { key: api.keys.billing, body: { amount: '92.50', from: '2027-13', requestedBy: 'occupant' } })).status).toBe(400);
    const view = await api.call('GET', '/v1/occupancies/occ-api', { key: api.keys.operator });
    expect(view.status).toBe(200);
    expect(view.body.advances.map((a: any) => [a.from, a.amount, a.requestedBy])).toEqual([['2026-11', '85.00', 'client'], ['2027-05', '92.50', 'occupant']]);
    expect(view.body.months).toHaveLength(1);
    expect(view.body.months[0]).toMatchObject({ status: 'scheduled', amount: '85.00', endToEndId: null });
    expect(JSON.stringify(view.body)).not.toContain('NL07ABNA0555666777');
  });
});
