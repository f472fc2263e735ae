import { simpleParser } from 'mailparser';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addDays, daysBetween } from '../../shared/calendar/iso-date.js';
import { wikLetterTermAfterDelivery } from '../../shared/legal/wik-letter-term.js';
import { recordHistory } from '../support/histories.js';
import { startSimulationApi, type SimulationApi } from '../support/simulation-api.js';
import { caseRequest, rentClaim } from '../support/tracks.js';

/**
 * Issue 11, proof of delivery through the API: a corporation that sends its 14-day letters
 * registered; the mail house reports the delivery with its key; the case shows each letter's
 * delivery and basis; the tenant's consent moves the next reminder to e-mail; and the dossier a
 * court gets holds every letter with its proof, printed and attached as sent.
 */

let api: SimulationApi;
let caseId: string;
let wik: { letterId: string; date: string; presumedDelivery: string; deadline: string; costsDueFrom: string };

beforeAll(async () => {
  api = await startSimulationApi(inject('databaseAdminUrl'));
  const put = await api.call('PUT', '/v1/corporations/test-corp', { key: api.keys.admin, body: { name: 'Woonstichting Proefwonen', iban: 'NL91ABNA0417164300', wikLetterRegistered: true } });
  expect(put.status).toBe(200);
  expect(put.body.wikLetterRegistered).toBe(true);
  const today = await api.today();
  const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: caseRequest({ claims: [rentClaim('R-1', '812.50', addDays(today, -40))] }) });
  expect(created.status).toBe(201);
  caseId = created.body.caseId;
  await api.caseWhen(caseId, (c) => c.letters?.length === 1);
  await api.advance(14);
  const status = await api.caseWhen(caseId, (c) => c.letters?.some((l: { kind: string }) => l.kind === 'wik'));
  wik = status.letters.find((l: { kind: string }) => l.kind === 'wik');
});
afterAll(async () => {
  await api?.close();
});

const report = (letterId: string, key: string, body: unknown) => api.call('POST', `/v1/letters/${letterId}/delivery`, { key, body });

describe('registered post and its delivery report', () => {
  it('posts the 14-day letter registered in the mail house batch, and shows each letter of the case with its delivery basis', async () => {
    const status = (await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator })).body;
    const [reminder, letter] = status.letters;
    expect(reminder).toMatchObject({ kind: 'reminder', channel: 'post', deliveryBasis: 'presumed', deliveredOn: expect.any(String) });
    expect(letter).toMatchObject({ kind: 'wik', channel: 'registered_post', deliveredOn: wik.presumedDelivery, deliveryBasis: 'presumed' });
    const manifest = JSON.parse(readFileSync(join(api.services.carriers.mailhouseDir, wik.date, 'manifest.json'), 'utf8'));
    expect(manifest.letters).toContainEqual(expect.objectContaining({ letterId: wik.letterId, kind: 'wik', registered: true }));
  });

  it("takes the mail house's report of a later delivery: the letter's delivery is registered, and the term the delivery gives is recorded", async () => {
    // Delivered late enough that the last day moves (over a weekend or holiday the Atw may keep it).
    let deliveredOn = addDays(wik.presumedDelivery, 3);
    while (wikLetterTermAfterDelivery({ delivered: deliveredOn }).deadline <= wik.deadline) deliveredOn = addDays(deliveredOn, 1);
    // The report comes in after the delivery (a day in the future is refused).
    await api.advance(daysBetween(await api.today(), deliveredOn));
    const refused = await report(wik.letterId, api.keys.mailhouse, { deliveredOn: addDays(wik.date, -1), trackingCode: '3SHUUR000000001' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('delivered_before_posting');
    expect((await report(wik.letterId, api.keys.mailhouse, { deliveredOn: addDays(await api.today(), 1), trackingCode: '3SHUUR000000001' })).status).toBe(400);
    expect((await report(wik.letterId, api.keys.mailhouse, { deliveredOn, trackingCode: '3s-lower' })).status).toBe(400);
    // Only the mail house and operators report; a billing key may not.
    expect((await report(wik.letterId, api.keys.billing, { deliveredOn, trackingCode: '3SHUUR000000001' })).status).toBe(403);

    const reported = await report(wik.letterId, api.keys.mailhouse, { deliveredOn, trackingCode: '3SHUUR000000001', evidence: 'Getekend: J. Jansen' });
    expect(reported.status).toBe(200);
    expect(reported.body).toMatchObject({
      letterId: wik.letterId,
      channel: 'registered_post',
      delivery: { on: deliveredOn, basis: 'registered_post', evidence: '3SHUUR000000001 · Getekend: J. Jansen' },
      wikTerm: { presumedDelivery: wik.presumedDelivery, deadline: wik.deadline, deadlineFromDelivery: wikLetterTermAfterDelivery({ delivered: deliveredOn }).deadline, deliveredLaterThanPresumed: true },
    });
    const later = wikLetterTermAfterDelivery({ delivered: deliveredOn });
    expect(later.deadline > wik.deadline).toBe(true);
    // A repeat answers the same; another report is a conflict and changes nothing.
    expect(await report(wik.letterId, api.keys.mailhouse, { deliveredOn, trackingCode: '3SHUUR000000001', evidence: 'Getekend: J. Jansen' })).toEqual(reported);
    const other = await report(wik.letterId, api.keys.operator, { deliveredOn: addDays(deliveredOn, -1), trackingCode: '3SHUUR000000001' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('delivery_differs');
    expect((await api.call('GET', `/v1/letters/${wik.letterId}`, { key: api.keys.operator })).body).toEqual(reported.body);

    // The running track re-derives the term from the actual delivery: the costs wait for the later last day.
    const status = await api.caseWhen(caseId, (c) => c.letters.find((l: { letterId: string }) => l.letterId === wik.letterId)?.deadline === later.deadline);
    expect(status.letters.find((l: { letterId: string }) => l.letterId === wik.letterId)).toMatchObject({ deliveredOn, deliveryBasis: 'registered_post', deliveredAt: deliveredOn, deadline: later.deadline, costsDueFrom: later.costsDueFrom });
    expect(status.nextDeadline).toEqual({ kind: 'wik_term', date: later.deadline });
    expect(status.timeline.at(-1).event).toContain(`later than presumed (${wik.presumedDelivery}): the term ends on ${later.deadline}`);
    await api.advance(daysBetween(await api.today(), wik.costsDueFrom));
    const onTheOldDay = await api.caseWhen(caseId, (c) => c.asOf === wik.costsDueFrom);
    expect(onTheOldDay).toMatchObject({ stage: 'wik_letter', balance: { collectionCosts: '0.00' } });
    await api.advance(daysBetween(await api.today(), later.costsDueFrom));
    const charged = await api.caseWhen(caseId, (c) => c.balance.collectionCosts !== '0.00');
    expect(charged.costCharges).toHaveLength(1);
    await recordHistory(api.client, status.workflowId, 'track-wik-term-from-reported-delivery');

    // An ordinary letter's delivery is presumed: nothing to report.
    const plain = status.letters.find((l: { kind: string }) => l.kind === 'reminder');
    const notRegistered = await report(plain.letterId, api.keys.mailhouse, { deliveredOn, trackingCode: '3SHUUR000000002' });
    expect(notRegistered.status).toBe(409);
    expect(notRegistered.body.error.code).toBe('not_registered');

    // The mail house of another corporation does not see the letter.
    await api.database.db.insertInto('corporation').values({ corporation_id: 'other-corp', name: 'Ander', vat_surcharge: false }).onConflict((oc) => oc.doNothing()).execute();
    const foreign = await api.makeKey({ role: 'mailhouse', person: 'andere mail house', corporationIds: ['other-corp'], bailiffOfficeId: null });
    expect((await report(wik.letterId, foreign.key, { deliveredOn, trackingCode: '3SHUUR000000001' })).status).toBe(404);
  });
});

describe("the tenant's consent", () => {
  it('sends the next reminder by e-mail once the tenant consented, with the letter attached', async () => {
    const today = await api.today();
    const policy = (await api.call('GET', '/v1/corporations/test-corp/policy', { key: api.keys.operator })).body.policy;
    policy.defaultSegment.reminders = policy.defaultSegment.reminders.map((r: object) => ({ ...r, channel: 'email' }));
    expect((await api.call('PUT', '/v1/corporations/test-corp/policy', { key: api.keys.admin, body: policy })).status).toBe(201);
    const opened = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: caseRequest({ claims: [rentClaim('E-1', '500.00', addDays(today, 1))] }) });
    const consent = await api.call('PUT', `/v1/cases/${opened.body.caseId}/consent`, { key: api.keys.operator, body: { email: true, sms: false } });
    expect(consent.status).toBe(200);
    expect(consent.body).toMatchObject({ caseId: opened.body.caseId, email: true, sms: false, whatsapp: false, recordedBy: expect.stringMatching(/^person:/) });
    expect((await api.call('PUT', `/v1/cases/${opened.body.caseId}/consent`, { key: api.keys.operator, body: { email: 'ja', sms: false } })).status).toBe(400);

    const status = await api.advanceUntil(opened.body.caseId, (c) => c.letters?.some((l: { kind: string }) => l.kind === 'reminder'), 40);
    const letter = status.letters.find((l: { kind: string }) => l.kind === 'reminder');
    expect(letter).toMatchObject({ channel: 'email', deliveryBasis: 'smtp_accepted', deliveredOn: letter.date });
    const eml = readdirSync(api.services.carriers.mailDir).find((f) => f.includes(letter.letterId));
    const mail = await simpleParser(readFileSync(join(api.services.carriers.mailDir, eml!)));
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('huurder@example.org');
    expect(mail.attachments[0]!.contentType).toBe('application/pdf');
  });
});

describe('the case dossier', () => {
  it('is one PDF holding the summary, the claims, every letter with its proof, and the letters themselves as sent', async () => {
    const response = await fetch(`${api.baseUrl}/v1/cases/${caseId}/dossier`, { headers: { authorization: `Bearer ${api.keys.operator}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = new Uint8Array(await response.arrayBuffer());
    const document = await getDocumentProxy(pdf.slice());
    const text = (await extractText(document, { mergePages: true })).text.replace(/\s+/g, ' ');
    const letters = (await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator })).body.letters as { letterId: string; kind: string }[];
    expect(letters).toHaveLength(2);

    expect(text).toContain('Dossier huurachterstand');
    expect(text).toContain('Woonstichting Proefwonen');
    expect(text).toContain('T. Testhuurder, Proefstraat 1, 1234 AB Teststad');
    expect(text).toContain('R-1 Huur');
    expect(text).toContain('€ 812,50');
    expect(text).toContain('Veertiendagenbrief (art. 6:96 lid 6 BW)');
    expect(text).toContain('aangetekende post');
    expect(text).toContain('aangetekend: bezorging gemeld door de mail house');
    expect(text).toContain('3SHUUR000000001 · Getekend: J. Jansen');
    expect(text).toContain('vermoed (tweede bezorgdag na verzending)');
    // The appendices: each letter's text, and each PDF attached byte for byte.
    expect(text).toContain('Bijlage 2: Veertiendagenbrief');
    expect(text).toContain('De termijn eindigt op');
    const attachments = (await document.getAttachments()) as Record<string, { filename: string; content: Uint8Array }>;
    const hashes = Object.values(attachments).map((a) => createHash('sha256').update(a.content).digest('hex'));
    for (const letter of letters) {
      const record = (await api.call('GET', `/v1/letters/${letter.letterId}`, { key: api.keys.operator })).body;
      expect(text).toContain(record.sha256);
      expect(hashes).toContain(record.sha256);
    }
    expect(existsSync(api.services.carriers.mailhouseDir)).toBe(true);

    // Audited as a read of personal data; a bailiff the case was not handed to gets 404.
    const audit = await api.database.db.selectFrom('audit_log').select('action').where('case_id', '=', caseId).execute();
    expect(audit.map((a) => a.action)).toContain('caseDossier');
    expect((await fetch(`${api.baseUrl}/v1/cases/${caseId}/dossier`, { headers: { authorization: `Bearer ${api.keys.bailiff}` } })).status).toBe(404);
  });
});
