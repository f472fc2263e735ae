import { simpleParser } from 'mailparser';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ServiceEndpoint } from '../../activities/service-client.js';
import { listen, type ListeningServer } from '../../services/http/serve.js';
import { createLetterService } from '../../services/letters/letter-service.js';
import { letterMessageId } from '../../services/letters/channels/smtp-mailer.js';
import { emlFileName, startLocalSmtpServer } from '../../services/outside-parties/local-smtp-server.js';
import { postToService, startServices, type RunningServices } from '../support/services.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { caseRequest, ensureTestCorporation, rentClaim, seedCase } from '../support/tracks.js';
import { sql } from 'kysely';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { PaymentProviderClient } from '../../shared/payment-provider/provider-client.js';
import { createPaymentProvider } from '../../services/payment-provider/provider-app.js';
import { eventually } from '../support/eventually.js';
import { freePort } from '../support/ports.js';

/**
 * Issue 11, the channels: letters leave through real carriers' protocols. E-mail over SMTP
 * (nodemailer → a real smtp-server on a free port), post through the mail house's daily batch with
 * its manifest, short messages through the SMS gateway's HTTP API; only with the tenant's consent,
 * otherwise by post; and each letter dispatched exactly once, also when a send is retried after a
 * crash.
 */

let database: TestDatabase;
let services: RunningServices;
let extra: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'));
  await ensureTestCorporation(database.db);
  services = await startServices(database.db);
});
afterAll(async () => {
  for (const e of extra) await e.close();
  await services?.close();
  await database?.drop();
});

const postedOn = '2026-11-24';

async function newCase(consent?: { email?: boolean; sms?: boolean; whatsapp?: boolean }) {
  const request = caseRequest({ claims: [rentClaim('CH-1', '640.00', '2026-10-01')] });
  const { caseId } = await seedCase(database.db, { ...request, debtor: { ...request.debtor, phone: '06-12345678' } });
  if (consent) {
    await database.db
      .insertInto('debtor_consent')
      .values({ case_id: caseId, email: consent.email ?? false, sms: consent.sms ?? false, whatsapp: consent.whatsapp ?? false, recorded_by: 'test' })
      .execute();
  }
  return caseId;
}

const send = (endpoint: ServiceEndpoint, body: Record<string, unknown>) => postToService(endpoint, '/letters', body);

const reminder = (caseId: string, channel: string, key = `reminder-${channel}-${caseId}`) => ({
  idempotencyKey: key,
  caseId,
  kind: 'reminder',
  channel,
  postedOn,
  facts: { invoiceRefs: ['CH-1'], principal: '640.00', interest: '3.21', outstanding: '643.21' },
});

const stored = (letterId: string) => database.db.selectFrom('letter').selectAll().where('letter_id', '=', letterId).executeTakeFirstOrThrow();
const emlFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')) : []);
const pdfText = async (pdf: Uint8Array) => (await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true })).text.replace(/\s+/g, ' ');

describe('e-mail over SMTP', () => {
  it('sends a consenting tenant the letter as a PDF attachment with a plain-Dutch text, under a Message-ID of the letter, once', async () => {
    const caseId = await newCase({ email: true });
    const sent = await send(services.letters, reminder(caseId, 'email'));
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ channel: 'email', postedOn, deliveredOn: postedOn });
    const letter = await stored(sent.body.letterId);
    expect(letter).toMatchObject({ dispatch_state: 'sent', dispatch_attempts: 1, provider: 'smtp', provider_reference: letterMessageId(letter.letter_id), delivery_basis: 'smtp_accepted' });

    const file = join(services.carriers.mailDir, emlFileName(letterMessageId(letter.letter_id)));
    const mail = await simpleParser(readFileSync(file));
    expect(mail.messageId).toBe(letterMessageId(letter.letter_id));
    expect(mail.headers.get('x-letter-id')).toBe(letter.letter_id);
    expect((mail.to as { text: string }).text).toBe('huurder@example.org');
    expect(mail.from?.text).toContain('Testcorporatie');
    expect(mail.subject).toBe('Herinnering huurachterstand (Testcorporatie)');
    expect(mail.text).toContain('Beste T. Testhuurder,');
    expect(mail.text).toContain('In de bijlage vindt u onze brief "Herinnering huurachterstand" als PDF.');
    expect(mail.text).toContain('€ 643,21');
    expect(mail.attachments).toHaveLength(1);
    const [attachment] = mail.attachments;
    expect(attachment!.contentType).toBe('application/pdf');
    // The attachment is the archived letter, byte for byte, and reads as the letter.
    expect(createHash('sha256').update(attachment!.content).digest('hex')).toBe(letter.sha256);
    const text = await pdfText(attachment!.content);
    expect(text).toContain('Herinnering huurachterstand');
    expect(text).toContain('T. Testhuurder');
    expect(text).toContain('Totaal openstaand: € 643,21');

    // The activity retried: the same letter, nothing sent again.
    const again = await send(services.letters, reminder(caseId, 'email'));
    expect(again).toEqual({ status: 200, body: sent.body });
    expect((await stored(letter.letter_id)).dispatch_attempts).toBe(1);
    expect(emlFiles(services.carriers.mailDir).filter((f) => f.includes(letter.letter_id))).toHaveLength(1);
  });

  it('posts the letter instead when the tenant gave no consent for e-mail', async () => {
    const caseId = await newCase({ sms: true });
    const sent = await send(services.letters, reminder(caseId, 'email'));
    expect(sent.status).toBe(201);
    expect(sent.body.channel).toBe('post');
    expect(emlFiles(services.carriers.mailDir).filter((f) => f.includes(sent.body.letterId))).toEqual([]);
    expect(existsSync(join(services.carriers.mailhouseDir, postedOn, `${sent.body.letterId}.pdf`))).toBe(true);
  });
});

describe('exactly once across failures', () => {
  let smtpDown: ListeningServer;
  let smtpBack: ListeningServer;
  let downEndpoint: ServiceEndpoint;
  let backEndpoint: ServiceEndpoint;
  let mailDir: string;
  let received = 0;

  beforeAll(async () => {
    mailDir = mkdtempSync(join(tmpdir(), 'letters-mail-'));
    const relay = await startLocalSmtpServer({ dir: mailDir });
    extra.push(relay);
    // A relay that is away: a port where nothing listens any more.
    const gone = await startLocalSmtpServer({ dir: mailDir });
    await gone.close();
    const secret = 'x'.repeat(40);
    const outboxDir = join(mkdtempSync(join(tmpdir(), 'letters-')), 'letters');
    smtpDown = await listen(createLetterService({ db: database.db, outboxDir, secret, carriers: { smtp: { url: gone.url, from: 'incasso@test.local' } } }), 0);
    smtpBack = await listen(createLetterService({ db: database.db, outboxDir, secret, carriers: { smtp: { url: relay.url, from: 'incasso@test.local' } } }), 0);
    extra.push(smtpDown, smtpBack);
    downEndpoint = { url: smtpDown.url, secret };
    backEndpoint = { url: smtpBack.url, secret };
    received = 0;
  });

  it('keeps a letter whose relay was away pending (503), and sends it once when the retry finds the relay', async () => {
    const caseId = await newCase({ email: true });
    const failed = await send(downEndpoint, reminder(caseId, 'email', `down-${caseId}`));
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('carrier_unavailable');
    const pending = await database.db.selectFrom('letter').selectAll().where('idempotency_key', '=', `down-${caseId}`).executeTakeFirstOrThrow();
    expect(pending).toMatchObject({ dispatch_state: 'pending', dispatch_attempts: 1, channel: 'email', dispatched_at: null });

    const retried = await send(backEndpoint, reminder(caseId, 'email', `down-${caseId}`));
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ letterId: pending.letter_id, channel: 'email' });
    expect(await stored(pending.letter_id)).toMatchObject({ dispatch_state: 'sent', dispatch_attempts: 2, provider_reference: letterMessageId(pending.letter_id) });
    expect(emlFiles(mailDir)).toContain(emlFileName(letterMessageId(pending.letter_id)));
    received = emlFiles(mailDir).length;
  });

  it('answers a retry that meets a send in progress with 503 and sends nothing; after a crash past the lease it resends under the same Message-ID', async () => {
    const caseId = await newCase({ email: true });
    const first = await send(backEndpoint, reminder(caseId, 'email', `crash-${caseId}`));
    expect(first.status).toBe(201);
    const letterId: string = first.body.letterId;
    const file = join(mailDir, emlFileName(letterMessageId(letterId)));
    const firstMail = readFileSync(file);

    // Another sender holds the lease (it is between the relay's acceptance and its record).
    await database.db.updateTable('letter').set({ dispatch_state: 'sending', sending_since: sql<Date>`now()` }).where('letter_id', '=', letterId).execute();
    const busy = await send(backEndpoint, reminder(caseId, 'email', `crash-${caseId}`));
    expect(busy.status).toBe(503);
    expect(busy.body.error.code).toBe('dispatch_in_progress');
    expect((await stored(letterId)).dispatch_attempts).toBe(1);

    // That sender died: its lease runs out, and the retry sends again, recognisably the same message.
    await database.db.updateTable('letter').set({ sending_since: sql<Date>`now() - interval '2 minutes'` }).where('letter_id', '=', letterId).execute();
    const resent = await send(backEndpoint, reminder(caseId, 'email', `crash-${caseId}`));
    expect(resent.status).toBe(200);
    expect(await stored(letterId)).toMatchObject({ dispatch_state: 'sent', dispatch_attempts: 2 });
    const secondMail = await simpleParser(readFileSync(file));
    expect(secondMail.messageId).toBe((await simpleParser(firstMail)).messageId);
    // One message in the store: the repeat replaced itself.
    expect(emlFiles(mailDir)).toHaveLength(received + 1);
  });
});

describe('post through the mail house', () => {
  it("puts posted letters in the day's batch folder with a manifest (JSON and CSV), registered for a corporation that sends its 14-day letters so", async () => {
    await database.db.updateTable('corporation').set({ wik_letter_registered: true }).where('corporation_id', '=', 'test-corp').execute();
    try {
      const caseId = await newCase();
      const wik = await send(services.letters, {
        idempotencyKey: `wik-${caseId}`,
        caseId,
        kind: 'wik',
        postedOn,
        facts: { invoiceRefs: ['CH-1'], principal: '640.00', interest: '0.00', collectionCosts: '96.00', vat: '0.00', outstanding: '640.00', termDays: 14, presumedDelivery: '2026-11-26', deadline: '2026-12-10' },
      });
      expect(wik.status).toBe(201);
      expect(wik.body.channel).toBe('registered_post');
      const plain = await send(services.letters, reminder(caseId, 'post'));
      expect(plain.body.channel).toBe('post');

      const folder = join(services.carriers.mailhouseDir, postedOn);
      const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
      expect(manifest.postingDate).toBe(postedOn);
      const entries = Object.fromEntries(manifest.letters.map((e: { letterId: string }) => [e.letterId, e]));
      const wikRow = await stored(wik.body.letterId);
      expect(entries[wik.body.letterId]).toEqual({
        letterId: wik.body.letterId,
        kind: 'wik',
        file: `${wik.body.letterId}.pdf`,
        sha256: wikRow.sha256,
        pages: 1,
        registered: true,
        address: ['T. Testhuurder', 'Proefstraat 1', '1234 AB  Teststad'],
      });
      expect(entries[plain.body.letterId]).toMatchObject({ kind: 'reminder', registered: false });
      expect(createHash('sha256').update(readFileSync(join(folder, `${wik.body.letterId}.pdf`))).digest('hex')).toBe(wikRow.sha256);
      const csv = readFileSync(join(folder, 'manifest.csv'), 'utf8').trim().split('\n');
      expect(csv[0]).toBe('letter_id;kind;file;sha256;pages;registered;address');
      expect(csv).toContain(`${wik.body.letterId};wik;${wik.body.letterId}.pdf;${wikRow.sha256};1;ja;T. Testhuurder | Proefstraat 1 | 1234 AB  Teststad`);
      expect(wikRow).toMatchObject({ provider: 'mailhouse', provider_reference: postedOn, delivered_on: null, delivery_basis: null });

      // A retry leaves one line for the letter.
      await send(services.letters, reminder(caseId, 'post'));
      const again = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
      expect(again.letters.filter((e: { letterId: string }) => e.letterId === plain.body.letterId)).toHaveLength(1);
    } finally {
      await database.db.updateTable('corporation').set({ wik_letter_registered: false }).where('corporation_id', '=', 'test-corp').execute();
    }
  });
});

describe('short messages through the SMS gateway', () => {
  const smsLines = () => (existsSync(services.carriers.smsFile) ? readFileSync(services.carriers.smsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

  it('sends a consenting tenant the short text through the gateway once, and posts the letter to one who did not consent', async () => {
    const caseId = await newCase({ sms: true });
    const sent = await send(services.letters, reminder(caseId, 'sms'));
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ channel: 'sms', deliveredOn: postedOn });
    const letter = await stored(sent.body.letterId);
    const lines = smsLines().filter((m) => m.messageId === letter.letter_id);
    expect(lines).toEqual([{ messageId: letter.letter_id, channel: 'sms', to: '06-12345678', text: letter.body, gatewayId: letter.provider_reference, acceptedAt: expect.any(String) }]);
    expect(letter.body).toContain('€ 643,21');
    expect(letter).toMatchObject({ pdf: null, delivery_basis: 'gateway_accepted' });

    // A repeat, even after a crash past the lease: the gateway knows the message id and sends nothing.
    await database.db.updateTable('letter').set({ dispatch_state: 'sending', sending_since: sql<Date>`now() - interval '2 minutes'` }).where('letter_id', '=', letter.letter_id).execute();
    expect((await send(services.letters, reminder(caseId, 'sms'))).status).toBe(200);
    expect(smsLines().filter((m) => m.messageId === letter.letter_id)).toHaveLength(1);

    const noConsent = await newCase({ email: true });
    const posted = await send(services.letters, reminder(noConsent, 'whatsapp'));
    expect(posted.body.channel).toBe('post');
    expect((await stored(posted.body.letterId)).template).toBe('reminder@2');
    expect(smsLines().filter((m) => m.messageId === posted.body.letterId)).toEqual([]);
  });
});

/** The rectangles (`re` operators) in a PDF's content streams, inflated. */
function rectanglesIn(pdf: Buffer): number {
  let count = 0;
  const raw = pdf.toString('latin1');
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = match.index! + match[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      count += (inflateSync(pdf.subarray(start, end)).toString('latin1').match(/ re\n/g) ?? []).length;
    } catch {
      // Not a deflated stream (or not content): nothing to count.
    }
  }
  return count;
}

describe('exactly once when the letter service is killed between rendering and dispatch', () => {
  const fixture = fileURLToPath(new URL('./fixtures/letter-service-process.ts', import.meta.url));

  it('leaves the rendered letter unsent when its process dies mid-send; the retry returns the same letter and the batch holds it once', { timeout: 60_000 }, async () => {
    const caseId = await newCase();
    const root = mkdtempSync(join(tmpdir(), 'letters-killed-'));
    const mailhouseDir = join(root, 'mailhouse');
    const secret = 'k'.repeat(40);
    // The day's manifest is a named pipe: the mail house's writer blocks reading it, after the
    // letter was rendered and stored and its PDF put in the batch, before its manifest line: the
    // moment a crash would cost a letter or send it twice.
    const day = join(mailhouseDir, postedOn);
    mkdirSync(day, { recursive: true });
    execFileSync('mkfifo', [join(day, 'manifest.json')]);

    // Node itself with tsx's loader (not the tsx command, which runs the script in a child of its own that a kill would miss).
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, database.url, join(root, 'letters'), secret, mailhouseDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8').trim().split('\n')[0]!));
        child.once('exit', (code) => reject(new Error(`the letter service process exited (${code}) before it listened`)));
      });
      const request = reminder(caseId, 'post', `killed-${caseId}`);
      // The activity's call: it never gets an answer, the process dies under it.
      const call = send({ url, secret }, request).catch((error: unknown) => error);
      const inFlight = await eventually(
        () => database.db.selectFrom('letter').selectAll().where('idempotency_key', '=', request.idempotencyKey).executeTakeFirst(),
        (row) => row?.dispatch_state === 'sending',
      );
      child.kill('SIGKILL');
      await exited;
      expect(await call).toBeInstanceOf(Error);
      expect(inFlight).toMatchObject({ dispatch_state: 'sending', dispatch_attempts: 1, dispatched_at: null, provider: null });
      expect(inFlight!.sha256).toMatch(/^[0-9a-f]{64}$/);
      rmSync(join(day, 'manifest.json'));

      const service = await listen(createLetterService({ db: database.db, outboxDir: join(root, 'letters'), secret, carriers: { mailhouseDir } }), 0);
      extra.push(service);
      // The activity retries at once: the dead sender's lease still holds, nothing is sent.
      const early = await send({ url: service.url, secret }, request);
      expect(early.status).toBe(503);
      expect(early.body.error.code).toBe('dispatch_in_progress');
      expect(existsSync(join(day, 'manifest.json'))).toBe(false);
      // Its lease has run out (a minute later): the retry finishes the dispatch of the same letter.
      await database.db.updateTable('letter').set({ sending_since: sql<Date>`now() - interval '2 minutes'` }).where('letter_id', '=', inFlight!.letter_id).execute();
      const retried = await send({ url: service.url, secret }, request);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ letterId: inFlight!.letter_id, kind: 'reminder', channel: 'post', postedOn });
      const again = await send({ url: service.url, secret }, request);
      expect(again).toEqual(retried);

      const letters = await database.db.selectFrom('letter').selectAll().where('idempotency_key', '=', request.idempotencyKey).execute();
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ dispatch_state: 'sent', dispatch_attempts: 2, provider: 'mailhouse', provider_reference: postedOn, sha256: inFlight!.sha256 });
      const manifest = JSON.parse(readFileSync(join(day, 'manifest.json'), 'utf8'));
      expect(manifest.letters.map((e: { letterId: string }) => e.letterId)).toEqual([inFlight!.letter_id]);
      const csv = readFileSync(join(day, 'manifest.csv'), 'utf8').trim().split('\n');
      expect(csv.filter((line) => line.startsWith(inFlight!.letter_id))).toHaveLength(1);
      expect(readdirSync(day).filter((f) => f.endsWith('.pdf'))).toEqual([`${inFlight!.letter_id}.pdf`]);
      expect(createHash('sha256').update(readFileSync(join(day, `${inFlight!.letter_id}.pdf`))).digest('hex')).toBe(inFlight!.sha256);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});

/** The betalingskenmerk a track's setup gives its case (letters print the way to pay only with one). */
let references = 0;
const giveReference = (caseId: string) =>
  database.db.insertInto('payment_reference').values({ case_id: caseId, reference: `9${String(Date.now() % 1e12).padStart(12, '0')}${String((references += 1) % 1000).padStart(3, '0')}` }).execute();

describe('the policy version and the payment link of a letter', () => {
  const apiKey = 'letters-provider-api-key-0123456789abcdef0123456789';
  let provider: ListeningServer;
  let withProvider: ServiceEndpoint;

  beforeAll(async () => {
    const port = await freePort();
    provider = await listen(createPaymentProvider({ apiKey, webhookSecret: 'letters-provider-webhook-secret-0123456789abcdef', publicUrl: `http://127.0.0.1:${port}`, webhookRetryMs: [] }), port);
    extra.push(provider);
    const secret = 'p'.repeat(40);
    const outboxDir = join(mkdtempSync(join(tmpdir(), 'letters-links-')), 'letters');
    const service = await listen(
      createLetterService({
        db: database.db,
        outboxDir,
        secret,
        paymentProvider: { client: new PaymentProviderClient({ url: provider.url, apiKey }), webhookSecret: 'unused-here', webhookUrl: () => 'http://127.0.0.1:9/v1/payment-provider/webhook' },
      }),
      0,
    );
    extra.push(service);
    withProvider = { url: service.url, secret };
  });

  it('stores the policy version the track sent with the letter', async () => {
    const caseId = await newCase();
    const sent = await send(services.letters, { ...reminder(caseId, 'post', `policy-${caseId}`), policyVersion: 3 });
    expect((await stored(sent.body.letterId)).policy_version).toBe(3);
    const without = await send(services.letters, reminder(caseId, 'post', `no-policy-${caseId}`));
    expect((await stored(without.body.letterId)).policy_version).toBeNull();
  });

  it("prints a link the payment provider made for the letter's amount, which the provider answers, with its QR code; a second letter of that amount reuses it", async () => {
    const caseId = await newCase();
    await giveReference(caseId);
    const sent = await send(withProvider, reminder(caseId, 'post', `link-${caseId}`));
    expect(sent.status).toBe(201);
    const letter = await stored(sent.body.letterId);
    const text = await pdfText(letter.pdf!);
    const printed = /Betaallink: (\S+)/.exec(text)?.[1];
    expect(printed).toMatch(new RegExp(`^${provider.url.replace(/[.]/g, '\\.')}/checkout/tr_[0-9a-f]+$`));
    expect(letter.body).toContain(`Of betaal online: ${printed}`);
    // Its QR code is drawn beside it as vector squares: rectangles in the page's content that a letter without a link lacks.
    expect(rectanglesIn(letter.pdf!)).toBeGreaterThan(rectanglesIn((await stored((await send(services.letters, reminder(caseId, 'post', `qr-none-${caseId}`))).body.letterId)).pdf!) + 50);
    const links = await database.db.selectFrom('payment_link').selectAll().where('case_id', '=', caseId).execute();
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ checkout_url: printed, amount: '643.21', status: 'open', created_by: 'letter-service' });
    // The provider answers the printed address with its checkout page for that amount.
    const page = await fetch(printed!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('€ 643,21');

    const second = await send(withProvider, reminder(caseId, 'post', `link-again-${caseId}`));
    expect(await pdfText((await stored(second.body.letterId)).pdf!)).toContain(`Betaallink: ${printed}`);
    expect(await database.db.selectFrom('payment_link').select('link_id').where('case_id', '=', caseId).execute()).toHaveLength(1);
  });

  it('prints no link at all where no payment provider is configured', async () => {
    const caseId = await newCase();
    await giveReference(caseId);
    const sent = await send(services.letters, reminder(caseId, 'post', `nolink-${caseId}`));
    const letter = await stored(sent.body.letterId);
    const text = await pdfText(letter.pdf!);
    expect(text).toContain('Betalingskenmerk:');
    expect(text).not.toContain('Betaallink');
    expect(letter.body).not.toContain('betaal online');
    expect(await database.db.selectFrom('payment_link').select('link_id').where('case_id', '=', caseId).execute()).toHaveLength(0);
  });
});
