import PDFDocument from 'pdfkit';
import { documentFonts } from '../../letters/templates/letter-pdf.js';
import { openPdfA } from '../../letters/templates/pdf-a-document.js';
import { useSharedFonts } from '../../letters/templates/shared-font-work.js';
import { euro, longDate } from '../../letters/templates/render-letter.js';
import type { DossierData, DossierLetter } from './dossier-data.js';

const margin = 50;
const width = 595.28 - 2 * margin;

const kindNames: Record<string, string> = {
  prenotice: 'Vooraankondiging',
  reminder: 'Herinnering',
  wik: 'Veertiendagenbrief (art. 6:96 lid 6 BW)',
  arrangement_confirmation: 'Bevestiging betalingsregeling',
  instalment_reminder: 'Herinnering termijn betalingsregeling',
  handover_notice: 'Overdracht aan gerechtsdeurwaarder',
};
const channelNames: Record<string, string> = { post: 'post (mail house)', registered_post: 'aangetekende post', email: 'e-mail (SMTP)', sms: 'sms', whatsapp: 'WhatsApp', payment_link: 'betaallink (sms)' };
const basisNames: Record<string, string> = {
  presumed: 'vermoed (tweede bezorgdag na verzending)',
  registered_post: 'aangetekend: bezorging gemeld door de mail house',
  smtp_accepted: 'e-mail aanvaard door de ontvangende mailserver',
  gateway_accepted: 'bericht aanvaard door de sms-gateway',
};
const kindName = (kind: string) => kindNames[kind] ?? kind;
const instant = (at: Date | null) => (at ? at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '—');

function heading(doc: PDFKit.PDFDocument, text: string): void {
  if (doc.y > doc.page.height - margin - 80) doc.addPage();
  doc.moveDown(0.8).font('bold').fontSize(12).text(text, margin, undefined, { width }).moveDown(0.3).font('regular').fontSize(9);
}

function line(doc: PDFKit.PDFDocument, label: string, value: string): void {
  doc.font('bold').text(`${label}: `, margin, undefined, { continued: true, width }).font('regular').text(value);
}

function letterProof(doc: PDFKit.PDFDocument, letter: DossierLetter, appendix: number): void {
  if (doc.y > doc.page.height - margin - 110) doc.addPage();
  doc.moveDown(0.4).font('bold').fontSize(9.5).text(`${longDate(letter.postedOn)} — ${kindName(letter.kind)} (bijlage ${appendix})`, margin, undefined, { width });
  doc.font('regular').fontSize(8.5);
  const rows: [string, string][] = [
    ['Brief', `${letter.letterId}, sjabloon ${letter.template}${letter.pages ? `, ${letter.pages} pagina('s)` : ''}`],
    ['Kanaal', channelNames[letter.channel] ?? letter.channel],
    ['Verzonden', `${longDate(letter.postedOn)} (overgedragen ${instant(letter.dispatchedAt)}${letter.dispatchAttempts > 1 ? `, ${letter.dispatchAttempts} pogingen onder dezelfde kenmerk` : ''})`],
    ['Bezorgd', letter.delivery.on ? `${longDate(letter.delivery.on)} — ${basisNames[letter.delivery.basis] ?? letter.delivery.basis}` : 'onbekend'],
    ...(letter.delivery.evidence ? [['Bewijs', letter.delivery.evidence] as [string, string]] : []),
    ['SHA-256', letter.sha256 ?? '— (kort bericht, zonder PDF)'],
  ];
  for (const [label, value] of rows) line(doc, label, value);
}

/**
 * The case dossier as one PDF/A-2b document: an index page with the case's summary, then the
 * claims, payments, contacts, the early-warning signal, every letter with its proof of delivery and
 * the track's timeline, and the letters themselves as appendices: printed (their text) and
 * attached byte for byte (PDF/A-2 allows PDF/A attachments), so their SHA-256 can be checked.
 */
export async function renderDossierPdf(data: DossierData, madeOn: string): Promise<Buffer> {
  const { doc, finish } = openPdfA({
    font: documentFonts.regular,
    margin,
    info: { Title: `Dossier ${data.contractRef}`, Author: data.corporationName, Subject: `dossier@1 ${data.caseId}`, Creator: 'huurincasso' },
  });
  useSharedFonts(doc, documentFonts);

  doc.font('bold').fontSize(16).text(`Dossier huurachterstand ${data.contractRef}`, margin, margin, { width });
  doc.font('regular').fontSize(9).moveDown(0.5);
  line(doc, 'Verhuurder', data.corporationName);
  line(doc, 'Huurder', `${data.debtor.name}, ${data.debtor.street}, ${data.debtor.postalCode} ${data.debtor.city}`);
  line(doc, 'Zaak', data.caseId);
  if (data.paymentReference) line(doc, 'Betalingskenmerk', data.paymentReference);
  line(doc, 'Opgemaakt op', longDate(madeOn));
  if (data.track) {
    const b = data.track.balance;
    line(doc, 'Stand', `${data.track.stage}${data.track.closedReason ? ` (${data.track.closedReason})` : ''}, per ${longDate(data.track.asOf)}`);
    line(doc, 'Openstaand', `${euro(b.outstanding)} (hoofdsom ${euro(b.principal)}, incassokosten ${euro(b.collectionCosts)}, btw ${euro(b.vat)}, rente ${euro(b.interest)}, betaald ${euro(b.paid)})`);
  } else {
    doc.text('Het procesverloop kon bij het opmaken niet worden opgevraagd: dit dossier bevat de gegevens uit de database.');
  }

  heading(doc, 'Inhoud');
  const sections = ['1. Vorderingen', '2. Betalingen', '3. Brieven en bewijs van bezorging', '4. Contactpogingen', '5. Vroegsignalering', '6. Verloop'];
  for (const s of sections) doc.text(s);
  data.letters.forEach((l, i) => doc.text(`Bijlage ${i + 1}: ${kindName(l.kind)} van ${longDate(l.postedOn)}`));

  heading(doc, '1. Vorderingen');
  for (const c of data.claims) doc.text(`${c.invoiceRef}  ${c.description}  vervallen ${longDate(c.dueDate)}  ${euro(c.amount)}`);
  heading(doc, '2. Betalingen');
  if (data.payments.length === 0) doc.text('Geen betalingen ontvangen.');
  for (const p of data.payments) doc.text(`${longDate(p.bookedOn)}  ${p.transactionId}  ${euro(p.amount)}${p.reversedOn ? `  — gestorneerd op ${longDate(p.reversedOn)}${p.reversalReason ? ` (${p.reversalReason})` : ''}` : ''}`);
  heading(doc, '3. Brieven en bewijs van bezorging');
  if (data.letters.length === 0) doc.text('Geen brieven verzonden.');
  data.letters.forEach((l, i) => letterProof(doc, l, i + 1));
  heading(doc, '4. Contactpogingen');
  if (data.tasks.length === 0) doc.text('Geen belrondes of huisbezoeken.');
  for (const t of data.tasks) doc.text(`${longDate(t.openedOn)}  ${t.kind === 'call' ? 'belronde' : t.kind === 'visit' ? 'huisbezoek' : t.kind}  ${t.status}${t.outcome ? `, uitkomst ${t.outcome}` : ''}${t.promisedOn ? ` (betaalbelofte ${longDate(t.promisedOn)})` : ''}${t.completedBy ? `, door ${t.completedBy}` : ''}`);
  heading(doc, '5. Vroegsignalering');
  if (data.earlyWarning.length === 0) doc.text('Geen signaal aan de gemeente.');
  for (const s of data.earlyWarning) doc.text(`${longDate(s.signalDate)}  gemeente ${s.municipalityCode ?? 'onbekend'}  achterstand ${euro(s.arrears)}  ontvangstbewijs ${s.receipt}`);
  heading(doc, '6. Verloop');
  if (!data.track) doc.text('Niet beschikbaar.');
  for (const t of data.track?.timeline ?? []) doc.text(`${t.at.slice(0, 10)}  ${t.event}`, { width });

  data.letters.forEach((letter, i) => {
    doc.addPage();
    doc.font('bold').fontSize(12).text(`Bijlage ${i + 1}: ${kindName(letter.kind)} van ${longDate(letter.postedOn)}`, margin, margin, { width });
    doc.font('regular').fontSize(8).text(`Brief ${letter.letterId} · SHA-256 ${letter.sha256 ?? '—'}${letter.pdf ? ` · de PDF zoals verzonden is als bestand bijgevoegd (brief-${i + 1}-${letter.letterId}.pdf)` : ''}`, { width });
    doc.moveDown(0.8).font('mono').fontSize(8.5).text(letter.body, { width });
    if (letter.pdf) {
      doc.file(letter.pdf, { name: `brief-${i + 1}-${letter.letterId}.pdf`, type: 'application/pdf', description: `${kindName(letter.kind)} van ${letter.postedOn}, SHA-256 ${letter.sha256}`, creationDate: new Date(`${letter.postedOn}T00:00:00Z`) });
    }
  });

  return finish();
}
