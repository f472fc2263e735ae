import { createHash } from 'node:crypto';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { chooseChannel, type ChannelFacts } from '../../../services/letters/dispatch/choose-channel.js';
import { renderLetterPdf } from '../../../services/letters/templates/letter-pdf.js';
import { templateVersions, type LetterContext } from '../../../services/letters/templates/render-letter.js';

const facts = (overrides: Partial<ChannelFacts>): ChannelFacts => ({
  requested: 'post',
  kind: 'reminder',
  email: 'huurder@example.org',
  phone: '06-12345678',
  consent: { email: true, sms: true, whatsapp: true },
  wikLetterRegistered: false,
  ...overrides,
});

describe('the channel a letter goes by', () => {
  it('takes a digital channel only with consent and an address or number; otherwise post', () => {
    expect(chooseChannel(facts({ requested: 'email' }))).toBe('email');
    expect(chooseChannel(facts({ requested: 'email', consent: null }))).toBe('post');
    expect(chooseChannel(facts({ requested: 'email', consent: { email: false, sms: true, whatsapp: true } }))).toBe('post');
    expect(chooseChannel(facts({ requested: 'email', email: null }))).toBe('post');
    expect(chooseChannel(facts({ requested: 'sms' }))).toBe('sms');
    expect(chooseChannel(facts({ requested: 'sms', phone: null }))).toBe('post');
    expect(chooseChannel(facts({ requested: 'payment_link', consent: { email: true, sms: false, whatsapp: true } }))).toBe('post');
    expect(chooseChannel(facts({ requested: 'whatsapp', consent: { email: true, sms: true, whatsapp: false } }))).toBe('post');
  });

  it('sends the 14-day letter by post, registered when the corporation says so, whatever the policy asks', () => {
    expect(chooseChannel(facts({ kind: 'wik', requested: 'email' }))).toBe('post');
    expect(chooseChannel(facts({ kind: 'wik', requested: 'post', wikLetterRegistered: true }))).toBe('registered_post');
  });
});

const letter = (name: string): LetterContext => ({
  kind: 'reminder',
  channel: 'post',
  recipient: { name, street: 'Proefstraat 1', postalCode: '1234 AB', city: 'Utrecht' },
  claims: [{ invoiceRef: 'R-1', description: 'Huur oktober', amount: '812.50', dueDate: '2026-10-01' }],
  facts: { invoiceRefs: ['R-1'], principal: '812.50', interest: '1.00', outstanding: '813.50' },
  postedOn: '2026-12-02',
  paymentReference: '2026000000012345',
  sender: null,
  paymentLink: 'http://localhost:3000/pay/2026000000012345',
});

describe('fonts shared between letters (speed)', () => {
  it('renders the same letter to the same bytes after letters with other glyphs, and prints glyphs outside the common set', async () => {
    const sha = async (ctx: LetterContext) => createHash('sha256').update((await renderLetterPdf(ctx, templateVersions.reminder)).pdf).digest('hex');
    const first = await sha(letter('T. Testhuurder'));
    const other = await renderLetterPdf(letter('K. Nguyễn Şahin'), templateVersions.reminder);
    expect(await sha(letter('T. Testhuurder'))).toBe(first);
    const text = (await extractText(await getDocumentProxy(new Uint8Array(other.pdf)), { mergePages: true })).text;
    expect(text).toContain('K. Nguyễn Şahin');
  });
});
