import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serviceCredentialHeaders } from '../../activities/service-client.js';
import { personActor } from '../../infra/db/api-key-store.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { startSimulationApi, type SimulationApi } from '../support/simulation-api.js';
import { caseRequest, rentClaim } from '../support/tracks.js';

let api: SimulationApi;

beforeAll(async () => {
  api = await startSimulationApi(inject('databaseAdminUrl'));
});
afterAll(async () => {
  await api?.close();
});

const debtorRow = (caseId: string) => api.database.db.selectFrom('debtor').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
const versions = (caseId: string) =>
  api.database.db.selectFrom('debtor_version').select(['version', 'name', 'changed_by']).where('case_id', '=', caseId).orderBy('version').execute();
const putDebtor = (caseId: string, body: unknown, key = api.keys.operator) => api.call('PUT', `/v1/cases/${caseId}/debtor`, { key, body });

/** The letters of a case as the letter service shows them. */
async function lettersOf(caseId: string): Promise<{ letterId: string; kind: string; debtorVersion: number | null }[]> {
  const response = await fetch(`${api.services.letters.url}/letters?caseId=${caseId}`, { headers: serviceCredentialHeaders(api.services.letters.secret) });
  return ((await response.json()) as { letters: { letterId: string; kind: string; debtorVersion: number | null }[] }).letters;
}

describe("the debtor of a running track: one truth, with its history", () => {
  it('refuses a repeat POST with another debtor (409 naming the fields), accepts the same details, and changes the debtor only through PUT, which letters follow', async () => {
    const today = await api.today();
    const request = caseRequest({ claims: [rentClaim('R-1', '812.50', addDays(today, -10))] });
    const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: request });
    expect(created.status).toBe(201);
    const { caseId } = created.body;
    await api.caseWhen(caseId, (c) => c.letters?.length === 1);
    expect(await versions(caseId)).toEqual([{ version: 1, name: 'T. Testhuurder', changed_by: expect.any(String) }]);

    // A new occupant's name with a later claim: refused, and nothing of the request is kept.
    const newOccupant = { ...request.debtor, name: 'N. Nieuwebewoner', address: { ...request.debtor.address, city: 'Andereplaats' } };
    const differing = await api.call('POST', '/v1/cases', {
      key: api.keys.billing,
      body: { ...request, debtor: newOccupant, claims: [...request.claims, rentClaim('R-2', '812.50', addDays(today, -1))] },
    });
    expect(differing.status).toBe(409);
    expect(differing.body.error.code).toBe('debtor_differs');
    expect(differing.body.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(['debtor.name', 'debtor.address.city']);
    expect(JSON.stringify(differing.body)).not.toContain('Nieuwebewoner');
    expect((await debtorRow(caseId)).name).toBe('T. Testhuurder');
    expect(await api.database.db.selectFrom('claim').select('invoice_ref').where('case_id', '=', caseId).execute()).toEqual([{ invoice_ref: 'R-1' }]);
    expect((await api.caseWhen(caseId, (c) => c.claims?.length >= 1)).claims).toHaveLength(1);

    // The same details, spaced differently and with the postal code written another way, are the same debtor.
    const sameAgain = await api.call('POST', '/v1/cases', {
      key: api.keys.billing,
      body: { ...request, debtor: { ...request.debtor, name: '  T. Testhuurder ', address: { ...request.debtor.address, postalCode: '1234ab' } } },
    });
    expect(sameAgain).toEqual({ status: 200, body: created.body });

    // PUT: the same details are a no-op, other details a new version.
    expect((await putDebtor(caseId, request.debtor, api.keys.approver)).status).toBe(403);
    expect((await putDebtor(caseId, { ...request.debtor, name: '' })).status).toBe(400);
    expect((await putDebtor('00000000-0000-4000-8000-000000000000', request.debtor)).status).toBe(404);
    expect(await putDebtor(caseId, request.debtor, api.keys.billing)).toEqual({ status: 200, body: { caseId, debtorVersion: 1, changed: false } });
    expect(await versions(caseId)).toHaveLength(1);
    expect(await putDebtor(caseId, newOccupant)).toEqual({ status: 200, body: { caseId, debtorVersion: 2, changed: true } });
    expect(await putDebtor(caseId, newOccupant)).toEqual({ status: 200, body: { caseId, debtorVersion: 2, changed: false } });
    expect(await versions(caseId)).toEqual([
      { version: 1, name: 'T. Testhuurder', changed_by: expect.any(String) },
      { version: 2, name: 'N. Nieuwebewoner', changed_by: personActor('test operator') },
    ]);
    expect(await debtorRow(caseId)).toMatchObject({ name: 'N. Nieuwebewoner', city: 'Andereplaats', version: 2 });

    // After the PUT, billing repeats with the details on record; the old ones are now the difference.
    expect((await api.call('POST', '/v1/cases', { key: api.keys.billing, body: { ...request, debtor: newOccupant } })).status).toBe(200);
    expect((await api.call('POST', '/v1/cases', { key: api.keys.billing, body: request })).status).toBe(409);

    // The next letter (the 14-day letter) is addressed with version 2; the reminder stays with version 1.
    await api.advance(14);
    await api.caseWhen(caseId, (c) => c.letters?.some((l: { kind: string }) => l.kind === 'wik'));
    const letters = await lettersOf(caseId);
    expect(letters.map((l) => [l.kind, l.debtorVersion])).toEqual([
      ['reminder', 1],
      ['wik', 2],
    ]);
    const bodies = await api.database.db.selectFrom('letter').select(['kind', 'body', 'debtor_version']).where('case_id', '=', caseId).execute();
    expect(bodies.find((l) => l.kind === 'reminder')!.body).toContain('T. Testhuurder');
    expect(bodies.find((l) => l.kind === 'wik')!.body).toContain('N. Nieuwebewoner');
    const wik = letters.find((l) => l.kind === 'wik')!;
    const shown = await (await fetch(`${api.services.letters.url}/letters/${wik.letterId}`, { headers: serviceCredentialHeaders(api.services.letters.secret) })).json();
    expect(shown).toMatchObject({ kind: 'wik', debtorVersion: 2 });
  });

  it('keeps a detail added by PUT (a phone number billing never sent) as a new version', async () => {
    const today = await api.today();
    const request = caseRequest({ claims: [rentClaim('R-1', '100.00', addDays(today, 30))] });
    const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: request });
    expect(created.status).toBe(201);
    const { caseId } = created.body;
    expect(await putDebtor(caseId, { ...request.debtor, phone: '06-12345678' }, api.keys.billing)).toEqual({ status: 200, body: { caseId, debtorVersion: 2, changed: true } });
    expect((await debtorRow(caseId)).phone).toBe('06-12345678');
  });
});
