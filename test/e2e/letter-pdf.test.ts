import { createHash } from 'node:crypto';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addDays } from '../../shared/calendar/iso-date.js';
import { startSimulationApi, type SimulationApi } from '../support/simulation-api.js';
import { caseRequest, rentClaim } from '../support/tracks.js';
import { tinyPng } from '../support/images.js';

let api: SimulationApi;

beforeAll(async () => {
  api = await startSimulationApi(inject('databaseAdminUrl'));
});
afterAll(async () => {
  await api?.close();
});

const getPdf = (letterId: string, key: string) => fetch(`${api.baseUrl}/v1/letters/${letterId}/pdf`, { headers: { authorization: `Bearer ${key}` } });

describe("a track's letters as PDFs through the API", () => {
  it("serves the 14-day letter's PDF with the corporation's account, the betalingskenmerk and the last day of the term", async () => {
    const logo = tinyPng(40, 16);
    const layout = { name: 'Woonstichting Proefwonen', addressLines: ['Postbus 100', '3500 AA Utrecht'], contactLines: ['030 123 45 67'], iban: 'NL91 ABNA 0417 1643 00', bic: 'ABNANL2A', logo: logo.toString('base64') };
    const put = await api.call('PUT', '/v1/corporations/test-corp', { key: api.keys.admin, body: layout });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ iban: 'NL91ABNA0417164300', addressLines: layout.addressLines, logo: { type: 'png', bytes: logo.length } });
    // A logo is a PNG or JPEG by its first bytes, small, and printable; anything else is a 400 naming the field.
    for (const bad of [Buffer.from('GIF89a not what we print').toString('base64'), 'not base64 at all!', Buffer.alloc(300 * 1024, 0x89).toString('base64'), Buffer.concat([logo.subarray(0, 8), Buffer.from('broken chunks')]).toString('base64')]) {
      const refused = await api.call('PUT', '/v1/corporations/test-corp', { key: api.keys.admin, body: { ...layout, logo: bad } });
      expect(refused.status, bad.slice(0, 40)).toBe(400);
      expect(JSON.stringify(refused.body.error.details)).toContain('logo');
    }
    expect((await api.call('PUT', '/v1/corporations/test-corp', { key: api.keys.admin, body: { ...layout, iban: 'NL92ABNA0417164300' } })).status).toBe(400);

    const today = await api.today();
    const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: caseRequest({ claims: [rentClaim('R-1', '812.50', addDays(today, -40))] }) });
    expect(created.status).toBe(201);
    const caseId: string = created.body.caseId;
    await api.caseWhen(caseId, (c) => c.letters?.length === 1);
    await api.advance(14);
    const status = await api.caseWhen(caseId, (c) => c.letters?.some((l: { kind: string }) => l.kind === 'wik'));
    expect(status.paymentReference).toMatch(/^\d{16}$/);
    const wik = status.letters.find((l: { kind: string }) => l.kind === 'wik');

    const letter = await api.call('GET', `/v1/letters/${wik.letterId}`, { key: api.keys.operator });
    expect(letter.status).toBe(200);
    expect(letter.body).toMatchObject({ letterId: wik.letterId, caseId, kind: 'wik', channel: 'post', templateVersion: 'wik@2', pages: 1, dispatchedAt: wik.date, delivery: { on: wik.presumedDelivery, basis: 'presumed', evidence: null } });
    // The collection policy version the track sent it under, as the track records it.
    expect(letter.body.policyVersion).toBe(wik.policyVersion);
    expect(letter.body.policyVersion).toEqual(expect.any(Number));

    const response = await getPdf(wik.letterId, api.keys.operator);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = new Uint8Array(await response.arrayBuffer());
    // Read before the text extractor takes the buffer over.
    const raw = Buffer.from(pdf).toString('latin1');
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(letter.body.sha256);
    const { text } = await extractText(await getDocumentProxy(pdf), { mergePages: true });
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('IBAN: NL91ABNA0417164300');
    expect(flat).toContain(`Betalingskenmerk: ${status.paymentReference}`);
    const lastDay = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${wik.deadline}T00:00:00Z`));
    expect(flat).toContain(`De termijn eindigt op ${lastDay}.`);
    expect(flat).toContain('R-1');
    // The corporation's logo is in the letterhead, and the letter still declares PDF/A-2b.
    expect(raw).toMatch(/\/Subtype \/Image/);
    expect(raw).toContain('/Width 40');
    expect(raw).toMatch(/pdfaid:part[^0-9]*2/);

    // Read with the case, audited as a read of personal data; a bailiff the case was not handed to sees nothing.
    expect((await getPdf(wik.letterId, api.keys.bailiff)).status).toBe(404);
    const audit = await api.database.db.selectFrom('audit_log').select(['action']).where('case_id', '=', caseId).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['getLetter', 'getLetterPdf']));
  });
});
