import { simpleParser } from 'mailparser';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ServiceEndpoint } from '../../activities/service-client.js';
import { listen } from '../../services/http/serve.js';
import { letterMessageId } from '../../services/letters/channels/smtp-mailer.js';
import { createLetterService } from '../../services/letters/letter-service.js';
import { emlFileName } from '../../services/outside-parties/local-smtp-server.js';
import { seedDirectDebit } from '../support/direct-debit-seed.js';
import { freePort } from '../support/ports.js';
import { postToService, startServices, type RunningServices } from '../support/services.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { ensureTestCorporation } from '../support/tracks.js';

const testCorporationId = 'test-corp';

/**
 * Issue 13: the direct-debit pre-notification leaves through the letters' carriers, stored with its
 * PDF first and handed over exactly once, as a letter is: by post into the mail house's batch, by
 * e-mail with the PDF attached; a call retried after the carrier failed sends it then, once.
 */

let database: TestDatabase;
let services: RunningServices;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'));
  await ensureTestCorporation(database.db);
  services = await startServices(database.db);
});
afterAll(async () => {
  await services?.close();
  await database?.drop();
});

const postedOn = '2027-01-18';
const notice = (occupancyId: string) => ({ occupancyId, month: '2027-02', amount: '85.00', collectionDate: '2027-02-01', retryDate: '2027-02-08', postedOn });

const prenotify = (endpoint: ServiceEndpoint, body: Record<string, unknown>) => postToService(endpoint, '/direct-debit-prenotices', body);

const stored = (letterId: string) => database.db.selectFrom('direct_debit_prenotice').selectAll().where('letter_id', '=', letterId).executeTakeFirstOrThrow();
const pdfText = async (pdf: Uint8Array) => (await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true })).text.replace(/\s+/g, ' ');

describe('direct-debit pre-notifications through the carriers', () => {
  it('posts a PDF notice into the mail house batch once, however often it is asked for', async () => {
    const { occupancyId } = await seedDirectDebit(database.db, testCorporationId, 'pn-post');
    const first = await prenotify(services.letters, notice(occupancyId));
    const again = await prenotify(services.letters, notice(occupancyId));
    expect(first).toMatchObject({ status: 201, body: { channel: 'post' } });
    expect(again).toMatchObject({ status: 200, body: { letterId: first.body.letterId, channel: 'post' } });

    const row = await stored(first.body.letterId);
    expect(row).toMatchObject({ dispatch_state: 'sent', dispatch_attempts: 1, provider: 'mailhouse', provider_reference: postedOn, template_version: 'direct-debit-prenotification@2' });
    const manifest = JSON.parse(readFileSync(join(services.carriers.mailhouseDir, postedOn, 'manifest.json'), 'utf8')) as { letters: { letterId: string; kind: string; file: string; sha256: string }[] };
    const entries = manifest.letters.filter((l) => l.letterId === row.letter_id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'direct_debit_prenotice', sha256: row.sha256 });
    const pdf = readFileSync(join(services.carriers.mailhouseDir, postedOn, entries[0]!.file));
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(row.sha256);
    const text = await pdfText(pdf);
    for (const part of ['W. Bewoner', '€ 85,00', '1 februari 2027', '8 februari 2027', 'NL69ZZZ123456780000', 'MND-pn-post', 'acht weken']) expect(text).toContain(part);
  });

  it('e-mails the notice with its PDF; when the relay is down it stays stored, and the retry sends it once', async () => {
    const { occupancyId } = await seedDirectDebit(database.db, testCorporationId, 'pn-mail');
    await database.db.updateTable('occupancy').set({ occupant_email: 'bewoner@example.org' }).where('occupancy_id', '=', occupancyId).execute();

    // A letter service whose SMTP relay does not answer: the notice is stored, not sent.
    const outboxDir = mkdtempSync(join(tmpdir(), 'prenotice-'));
    const secret = 'prenotice-relay-down-secret-of-32-chars-or-more';
    const relayDown = await listen(createLetterService({ db: database.db, outboxDir: join(outboxDir, 'letters'), secret, carriers: { smtp: { url: `smtp://127.0.0.1:${await freePort()}`, from: 'incasso@test.local' } } }), 0);
    const failed = await prenotify({ url: relayDown.url, secret }, notice(occupancyId));
    await relayDown.close();
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('carrier_unavailable');
    const pending = await database.db.selectFrom('direct_debit_prenotice').selectAll().where('occupancy_id', '=', occupancyId).executeTakeFirstOrThrow();
    expect(pending).toMatchObject({ channel: 'email', dispatch_state: 'pending', dispatch_attempts: 1 });

    // The activity's retry reaches a service with a working relay: the same notice, sent now.
    const retried = await prenotify(services.letters, notice(occupancyId));
    expect(retried).toMatchObject({ status: 200, body: { letterId: pending.letter_id, channel: 'email' } });
    await prenotify(services.letters, notice(occupancyId));
    expect(await stored(pending.letter_id)).toMatchObject({ dispatch_state: 'sent', dispatch_attempts: 2, provider: 'smtp', delivery_basis: 'smtp_accepted', delivered_on: postedOn });

    const emails = readdirSync(services.carriers.mailDir).filter((f) => f.includes(pending.letter_id));
    expect(emails).toEqual([emlFileName(letterMessageId(pending.letter_id))]);
    const mail = await simpleParser(readFileSync(join(services.carriers.mailDir, emails[0]!)));
    expect((mail.to as { text: string }).text).toBe('bewoner@example.org');
    expect(mail.subject).toContain('aankondiging automatische incasso');
    expect(mail.text).toContain('€ 85,00');
    expect(mail.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
    expect(createHash('sha256').update(mail.attachments[0]!.content).digest('hex')).toBe(pending.sha256);
    expect(existsSync(join(outboxDir, 'letters', 'email'))).toBe(false);
  });
});
