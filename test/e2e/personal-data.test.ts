import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRetentionActivities } from '../../activities/retention.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { anonymisedMarker } from '../../shared/retention/anonymised.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { eventually } from '../support/eventually.js';
import { caseRequest, rentClaim } from '../support/tracks.js';

/**
 * Issue 10, access (AVG art. 15): GET /v1/cases/:caseId/personal-data exports what we hold about a
 * case's debtor, to an operator or admin of the case's corporation, and the read is audited.
 */

let api: ApiHarness;
const today = amsterdamDate(Date.now());
let caseId: string;
const request = caseRequest({ claims: [rentClaim('R-1', '812.50', addDays(today, -8))] });
const debtor = { ...request.debtor, phone: '06-11223344', iban: 'NL91ABNA0417164300', bsn: '111222333' };
const movedTo = { street: 'Nieuwe Proefweg 2', postalCode: '1234 CD', city: 'Teststad' };

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
  const opened = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: { ...request, debtor } });
  expect(opened.status).toBe(201);
  caseId = opened.body.caseId;
  // The reminder goes out to the first address; then the tenant moves.
  await eventually(() => api.database.db.selectFrom('letter').select('letter_id').where('case_id', '=', caseId).execute(), (rows) => rows.length > 0);
  const moved = await api.call('PUT', `/v1/cases/${caseId}/debtor`, { key: api.keys.billing, body: { ...debtor, address: movedTo } });
  expect(moved.body).toMatchObject({ debtorVersion: 2, changed: true });
  await api.database.db.insertInto('case_note').values({ case_id: caseId, topic: 'dispute', actor: 'person:test', note: 'Huurder belde over de afrekening.' }).execute();
});
afterAll(async () => {
  await api?.close();
});

describe('GET /v1/cases/:caseId/personal-data', () => {
  it("exports the debtor, its history, the letters with the address each was sent to, notes, claims and payments, and audits the read", async () => {
    const response = await api.call('GET', `/v1/cases/${caseId}/personal-data`, { key: api.keys.operator });
    expect(response.status).toBe(200);
    const data = response.body;
    expect(data).toMatchObject({
      caseId,
      corporationId: request.corporationId,
      contractRef: request.contractRef,
      anonymisedOn: null,
      debtor: { version: 2, name: debtor.name, address: movedTo, email: debtor.email, phone: debtor.phone, iban: debtor.iban, bsn: debtor.bsn },
      claims: [{ invoiceRef: 'R-1', amount: '812.50', dueDate: addDays(today, -8) }],
      notes: [{ topic: 'dispute', note: 'Huurder belde over de afrekening.', recordedBy: 'person:test' }],
    });
    expect(data.debtorVersions.map((v: any) => [v.version, v.address.street])).toEqual([
      [1, debtor.address.street],
      [2, movedTo.street],
    ]);
    expect(data.letters.length).toBeGreaterThan(0);
    expect(data.letters[0]).toMatchObject({ kind: 'reminder', debtorVersion: 1, addressedTo: { name: debtor.name, address: debtor.address } });
    expect(data.letters[0].body).toContain(debtor.address.street);
    expect(data.paymentReference).toEqual(expect.any(String));
    expect(data.consent).toBeNull();
    expect(data.signals).toEqual({ earlyWarning: [], objections: [], municipality: [] });
    expect(data.bailiff).toEqual({ officeId: null, handedOverOn: null, instructions: [] });

    const audit = await api.database.db.selectFrom('audit_log').select(['kind', 'action', 'case_id', 'detail']).where('action', '=', 'exportPersonalData').execute();
    expect(audit).toEqual([expect.objectContaining({ kind: 'personal-data-read', case_id: caseId })]);
    // The trail names what was read, never what it said.
    expect(JSON.stringify(audit)).not.toContain(debtor.name);
  });

  it('includes the consent to digital channels the tenant gave, with who recorded it and when', async () => {
    const given = await api.call('PUT', `/v1/cases/${caseId}/consent`, { key: api.keys.operator, body: { email: true, sms: false, whatsapp: true } });
    expect(given.status).toBe(200);
    const data = (await api.call('GET', `/v1/cases/${caseId}/personal-data`, { key: api.keys.operator })).body;
    expect(data.consent).toEqual({ email: true, sms: false, whatsapp: true, recordedBy: expect.any(String), recordedAt: expect.any(String) });
    expect(Date.parse(data.consent.recordedAt)).toBeGreaterThan(Date.now() - 60_000);
    const withdrawn = await api.call('PUT', `/v1/cases/${caseId}/consent`, { key: api.keys.operator, body: { email: false, sms: false, whatsapp: false } });
    expect(withdrawn.status).toBe(200);
    expect((await api.call('GET', `/v1/cases/${caseId}/personal-data`, { key: api.keys.operator })).body.consent).toMatchObject({ email: false, sms: false, whatsapp: false });
  });

  it('answers an admin too; billing and bailiff keys get 403, a case of another corporation or none at all 404', async () => {
    expect((await api.call('GET', `/v1/cases/${caseId}/personal-data`, { key: api.keys.admin })).status).toBe(200);
    expect((await api.call('GET', `/v1/cases/${caseId}/personal-data`, { key: api.keys.billing })).status).toBe(403);
    expect((await api.call('GET', `/v1/cases/${caseId}/personal-data`, { key: api.keys.bailiff })).status).toBe(403);
    const foreign = await api.makeKey({ role: 'operator', person: 'operator elsewhere', corporationIds: ['other-corp'], bailiffOfficeId: null });
    const refused = await api.call('GET', `/v1/cases/${caseId}/personal-data`, { key: foreign.key });
    const unknown = await api.call('GET', `/v1/cases/00000000-0000-4000-8000-000000000000/personal-data`, { key: api.keys.operator });
    expect([refused.status, unknown.status]).toEqual([404, 404]);
    expect(refused.body.error.code).toBe('not_found');
    expect((await api.call('GET', `/v1/cases/not-a-uuid/personal-data`, { key: api.keys.operator })).status).toBe(400);
    expect((await api.call('GET', `/v1/cases/${caseId}/personal-data`, { key: null })).status).toBe(401);
  });

  it('shows a closed case with its closing day, and after the retention period the marker in place of every detail', async () => {
    const status = await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator });
    const paid = await api.call('POST', `/v1/cases/${caseId}/payments`, { key: api.keys.billing, body: { transactionId: 'TX-all', amount: status.body.balance.outstanding, bookedOn: today } });
    expect(paid.body).toMatchObject({ closed: true });
    const closed = await eventually(() => api.call('GET', `/v1/cases/${caseId}/personal-data`, { key: api.keys.operator }), (r) => r.body.closedOn !== null);
    expect(closed.body).toMatchObject({ stage: 'closed', closedOn: today });

    await createRetentionActivities(api.database.db).anonymiseDueCases({ today: addDays(today, 7 * 366 + 1), batchSize: 10 });
    const exported = (await api.call('GET', `/v1/cases/${caseId}/personal-data`, { key: api.keys.operator })).body;
    expect(exported).toMatchObject({
      anonymisedOn: addDays(today, 7 * 366 + 1),
      debtor: { name: anonymisedMarker, address: { street: anonymisedMarker, postalCode: anonymisedMarker, city: anonymisedMarker }, email: null, phone: null, iban: null, bsn: null },
      notes: [{ note: anonymisedMarker }],
      claims: [{ invoiceRef: 'R-1', amount: '812.50' }],
      payments: [expect.objectContaining({ transactionId: 'TX-all', amount: status.body.balance.outstanding })],
    });
    const text = JSON.stringify(exported);
    for (const value of [debtor.name, debtor.address.street, movedTo.street, debtor.email!, debtor.phone, debtor.iban, debtor.bsn]) expect(text, value).not.toContain(value);
  });
});
