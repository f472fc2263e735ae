import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { letterKinds, type LetterKind } from '../../../shared/letters/letter-contract.js';
import { tinyPng } from '../../support/images.js';
import { logoPrintProblem, renderLetterPdf } from '../../../services/letters/templates/letter-pdf.js';
import { templateVersions, type LetterContext } from '../../../services/letters/templates/render-letter.js';

const reference = '2026000000012345';
const sender = {
  name: 'Woonstichting Proefwonen',
  addressLines: ['Postbus 100', '3500 AA Utrecht'],
  contactLines: ['030 123 45 67 (ma–vr 9–17 uur)', 'incasso@proefwonen.nl'],
  iban: 'NL91ABNA0417164300',
  bic: 'ABNANL2A',
};

function context(kind: LetterKind, facts: Partial<LetterContext['facts']> = {}): LetterContext {
  return {
    kind,
    channel: 'post',
    recipient: { name: 'T. Testhuurder', street: 'Proefstraat 1', postalCode: '1234 AB', city: 'Utrecht' },
    claims: [
      { invoiceRef: 'R-2026-10', description: 'Huur oktober', amount: '812.50', dueDate: '2026-10-01' },
      { invoiceRef: 'R-2026-11', description: 'Huur november', amount: '1250.00', dueDate: '2026-11-01' },
    ],
    facts: {
      invoiceRefs: ['R-2026-10', 'R-2026-11'],
      principal: '2062.50',
      interest: '14.37',
      collectionCosts: '278.13',
      vat: '58.41',
      outstanding: '2076.87',
      termDays: 14,
      presumedDelivery: '2026-12-04',
      deadline: '2026-12-18',
      instalments: [
        { dueDate: '2026-12-15', amount: '700.00' },
        { dueDate: '2027-01-15', amount: '700.00' },
        { dueDate: '2027-02-15', amount: '676.87' },
      ],
      instalment: { dueDate: '2026-12-15', amount: '700.00', number: 1, count: 3 },
      graceDays: 5,
      ...facts,
    },
    postedOn: '2026-12-02',
    paymentReference: reference,
    sender,
    paymentLink: `http://localhost:3000/pay/${reference}`,
  };
}

/** The PDF's text as a reader sees it, line breaks folded into spaces. */
async function textOf(pdf: Buffer): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

describe('the 14-day letter as a PDF', () => {
  it('states each claim, the costs, the VAT sentence, the term and its last day, interest, how to pay and where to get help', async () => {
    const { pdf, sha256, pages } = await renderLetterPdf(context('wik'), templateVersions.wik);
    const text = await textOf(pdf);
    expect(sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(pages).toBe(1);
    // Each open claim with its net amount and due date, in Dutch.
    expect(text).toContain('R-2026-10 Huur oktober vervallen 1 oktober 2026 € 812,50');
    expect(text).toContain('R-2026-11 Huur november vervallen 1 november 2026 € 1.250,00');
    expect(text).toContain('Hoofdsom: € 2.062,50');
    // The exact collection costs if not paid in time, and the VAT on them with why.
    expect(text).toContain('buitengerechtelijke incassokosten verschuldigd van € 278,13');
    expect(text).toContain('Over deze incassokosten is € 58,41 btw verschuldigd, omdat wij de btw niet kunnen verrekenen.');
    // The term counts from the day after receipt; paying within it costs nothing more; its last day.
    expect(text).toContain('binnen 14 dagen, te rekenen vanaf de dag na de dag van ontvangst van deze brief');
    expect(text).toContain('De termijn eindigt op 18 december 2026.');
    expect(text).toContain('dan kost het u niets extra');
    expect(text).toContain('wettelijke rente doorlopen');
    // How to pay.
    expect(text).toContain(`IBAN: ${sender.iban}`);
    expect(text).toContain(`Betalingskenmerk: ${reference}`);
    expect(text).toContain(`Betaallink: http://localhost:3000/pay/${reference}`);
    // The debt-help pointer and the letterhead.
    expect(text).toContain('gratis hulp krijgen via de schuldhulpverlening van uw gemeente');
    expect(text).toContain('Woonstichting Proefwonen');
    expect(text).toContain('incasso@proefwonen.nl');
    expect(text).toContain('Datum: 2 december 2026');
  });

  it('says nothing of VAT for a corporation that deducts it', async () => {
    const text = await textOf((await renderLetterPdf(context('wik', { vat: '0.00' }), templateVersions.wik)).pdf);
    expect(text).toContain('incassokosten verschuldigd van € 278,13');
    expect(text).not.toMatch(/btw/i);
  });

  it('embeds its font (no standard font only named) and declares PDF/A-2b', async () => {
    const { pdf } = await renderLetterPdf(context('wik'), templateVersions.wik);
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
    expect(raw).toContain('/FontFile2');
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
    const { metadata } = await getMeta(await getDocumentProxy(new Uint8Array(pdf)));
    expect(metadata?.get('pdfaid:part')).toBe('2');
    expect(metadata?.get('pdfaid:conformance')).toBe('B');
  });
});

/** Letters that ask for no payment: from the hand-over the bailiff collects; in a WSNP or bankruptcy the administrator deals with the claim. */
const kindsAskingNoMoney = new Set<LetterKind>(['handover_notice', 'eviction_information', 'claim_filing']);

describe('every kind of letter as a PDF', () => {
  it.each(letterKinds)('%s: its template version printed, the way to pay on a letter that asks for money', async (kind) => {
    const { pdf, pages } = await renderLetterPdf(context(kind), templateVersions[kind]);
    const text = await textOf(pdf);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(text).toContain(`${templateVersions[kind]} · pagina 1 van ${pages}`);
    expect(text).toContain('T. Testhuurder');
    expect(text).toContain('1234 AB Utrecht');
    if (kindsAskingNoMoney.has(kind)) {
      // From here the tenant pays the bailiff, or the administrator deals with it: our payment details would mislead (the letterhead keeps our account).
      expect(text).not.toContain('Zo betaalt u');
      expect(text).not.toContain(reference);
    } else {
      expect(text).toContain(`IBAN: ${sender.iban}`);
      expect(text).toContain(`Betalingskenmerk: ${reference}`);
    }
  });

  it('prints an arrangement schedule with Dutch dates and amounts', async () => {
    const text = await textOf((await renderLetterPdf(context('arrangement_confirmation'), templateVersions.arrangement_confirmation)).pdf);
    expect(text).toContain('termijn 1 uiterlijk 15 december 2026 € 700,00');
    expect(text).toContain('termijn 3 uiterlijk 15 februari 2027 € 676,87');
    expect(text).toContain('totaal € 2.076,87');
  });
});

describe('the letters the tracks send at a breach, an eviction and a claim filing', () => {
  it('breach notice: the instalment that fell short and by how much, the day it lapsed, what is open now, how to pay, and help', async () => {
    const ctx = context('breach_notice', {
      invoiceRefs: ['arr-1'],
      principal: '1376.87',
      outstanding: '1376.87',
      instalment: { number: 2, count: 3, dueDate: '2027-01-15', amount: '700.00' },
      graceDays: 5,
      breach: { shortfall: '700.00', on: '2027-01-21' },
    });
    const { pdf } = await renderLetterPdf(ctx, templateVersions.breach_notice);
    const text = await textOf(pdf);
    expect(text).toContain('Onderwerp: Uw betalingsregeling is vervallen');
    expect(text).toContain('U heeft termijn 2 van 3 (€ 700,00, te betalen uiterlijk 15 januari 2027) ook na 5 dagen extra niet volledig betaald: er ontbrak € 700,00.');
    expect(text).toContain('Daarom is de regeling op 21 januari 2027 vervallen.');
    expect(text).toContain('Onder de regeling stond nog € 1.376,87 open.');
    expect(text).toContain('weer wettelijke rente verschuldigd');
    expect(text).toContain(`Betalingskenmerk: ${reference}`);
    expect(text).toContain('schuldhulpverlening van uw gemeente');
    expect(text).toContain('breach_notice@1 · pagina 1 van 1');
  });

  it('eviction information: the day it was announced and the eviction date, what can still be done, help, and no payment details', async () => {
    // As the bailiff phase sends it: no invoices and no amounts.
    const { principal: _p, interest: _i, outstanding: _o, ...withoutAmounts } = context('eviction_information').facts;
    const ctx = { ...context('eviction_information'), facts: { ...withoutAmounts, invoiceRefs: [], eviction: { announcedOn: '2027-03-01', date: '2027-03-22' } } };
    const text = await textOf((await renderLetterPdf(ctx, templateVersions.eviction_information)).pdf);
    expect(text).toContain('Onderwerp: Ontruiming van uw woning op 22 maart 2027');
    expect(text).toContain('De gerechtsdeurwaarder heeft u op 1 maart 2027 laten weten dat uw woning op 22 maart 2027 wordt ontruimd.');
    expect(text).toContain('Neem vóór 22 maart 2027 contact op met de gerechtsdeurwaarder of met ons.');
    expect(text).toContain('sociaal wijkteam van uw gemeente');
    expect(text).not.toContain('Zo betaalt u');
    expect(text).not.toContain('€');
  });

  it.each([
    ['wsnp', 'bewindvoerder', 'de rechtbank de schuldsaneringsregeling (Wsnp) op u van toepassing verklaard'],
    ['bankruptcy', 'curator', 'de rechtbank u failliet verklaard'],
  ] as const)('claim filing (%s): the ruling, the amounts filed with the %s as on its day, not to be paid to us, and the rent from now on', async (proceeding, role, ruling) => {
    const ctx = context('claim_filing', { principal: '2062.50', interest: '14.37', outstanding: '2355.00', claimFiling: { proceeding, rulingDate: '2026-11-30', costs: '278.13' } });
    const text = await textOf((await renderLetterPdf(ctx, templateVersions.claim_filing)).pdf);
    expect(text).toContain(`Onderwerp: Onze vordering is ingediend bij de ${role}`);
    expect(text).toContain(`Op 30 november 2026 heeft ${ruling}`);
    expect(text).toContain(`Daarom hebben wij op 2 december 2026 onze vordering ingediend bij de ${role}.`);
    expect(text).toContain('R-2026-10 Huur oktober vervallen 1 oktober 2026 € 812,50');
    expect(text).toContain('Hoofdsom: € 2.062,50');
    expect(text).toContain('Wettelijke rente tot 30 november 2026: € 14,37');
    expect(text).toContain('Kosten: € 278,13');
    expect(text).toContain('Totaal ingediend: € 2.355,00');
    expect(text).toContain('Betaal dit bedrag niet aan ons.');
    expect(text).toContain('Blijf de huur die vanaf nu vervalt elke maand op tijd betalen.');
    expect(text).not.toContain('Zo betaalt u');
  });
});

describe('letters rendered one after another in one process', () => {
  // The renderer keeps fonts, shaped words, wrapped lines and deflated streams between letters.
  const letterFor = (name: string, street: string, city: string, reference: string): LetterContext => ({
    ...context('wik'),
    recipient: { name, street, postalCode: '1234 AB', city },
    paymentReference: reference,
    paymentLink: `http://localhost:3000/pay/${reference}`,
  });
  const aalbers = letterFor('A. Aalbers', 'Appelgaard 1', 'Amersfoort', '2026000000011111');
  // Other glyphs than the first letter's, so the subsets differ too.
  const bakker = letterFor('Bjørn Bäkkerström-Ødegård', 'Zwijgerstraat 99', 'Zierikzee', '2026000000022222');

  it("carry each tenant's own name, address and betalingskenmerk only, and the same bytes whatever came between", async () => {
    const first = await renderLetterPdf(aalbers, templateVersions.wik);
    const other = await renderLetterPdf(bakker, templateVersions.wik);
    const again = await renderLetterPdf(aalbers, templateVersions.wik);
    const [firstText, otherText] = [await textOf(first.pdf), await textOf(other.pdf)];
    expect(firstText).toContain('A. Aalbers Appelgaard 1 1234 AB Amersfoort');
    expect(firstText).toContain('Betalingskenmerk: 2026000000011111');
    for (const foreign of ['Bjørn', 'Bäkkerström', 'Zwijgerstraat', 'Zierikzee', '2026000000022222']) expect(firstText).not.toContain(foreign);
    expect(otherText).toContain('Bjørn Bäkkerström-Ødegård Zwijgerstraat 99 1234 AB Zierikzee');
    expect(otherText).toContain('Betalingskenmerk: 2026000000022222');
    for (const foreign of ['Aalbers', 'Appelgaard', 'Amersfoort', '2026000000011111']) expect(otherText).not.toContain(foreign);
    expect(again.sha256).toBe(first.sha256);
  });
});

describe('no payment link without a provider', () => {
  it('prints the account and the betalingskenmerk, and neither a link nor its QR code', async () => {
    const { pdf } = await renderLetterPdf({ ...context('reminder'), paymentLink: null }, templateVersions.reminder);
    const text = await textOf(pdf);
    expect(text).toContain(`Betalingskenmerk: ${reference}`);
    expect(text).not.toContain('Betaallink');
    expect(text).not.toContain('http');
  });
});


describe("the corporation's logo in the letterhead", () => {
  it('embeds the image in the letter, which stays PDF/A-2b with its fonts embedded and its text readable', async () => {
    const withLogo = { ...context('wik'), sender: { ...sender, logo: { type: 'png' as const, data: tinyPng() } } };
    const { pdf } = await renderLetterPdf(withLogo, templateVersions.wik);
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/Subtype \/Image/);
    // RGBA: the alpha goes in a soft mask, which PDF/A-2 allows (PDF/A-1 did not).
    expect(raw).toContain('/SMask');
    expect(raw).toContain('/OutputIntents');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
    const { metadata } = await getMeta(await getDocumentProxy(new Uint8Array(pdf)));
    expect(metadata?.get('pdfaid:part')).toBe('2');
    expect(metadata?.get('pdfaid:conformance')).toBe('B');
    const text = await textOf(pdf);
    expect(text).toContain('Woonstichting Proefwonen');
    expect(text).toContain('De termijn eindigt op 18 december 2026.');
    // Without a logo there is no image at all.
    expect((await renderLetterPdf(context('wik'), templateVersions.wik)).pdf.toString('latin1')).not.toMatch(/\/Subtype \/Image/);
  });

  it('refuses to store an image with a good signature that cannot be printed', async () => {
    expect(await logoPrintProblem({ data: tinyPng() })).toBeNull();
    const damaged = Buffer.concat([tinyPng().subarray(0, 8), Buffer.from('not the chunks of a PNG at all')]);
    expect(await logoPrintProblem({ data: damaged })).toEqual(expect.any(String));
  });
});
