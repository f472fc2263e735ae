import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create as openFont } from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { useSharedFonts } from './shared-font-work.js';
import { closingLines, composeLetter, longDate, type LetterContext, type LetterLine } from './render-letter.js';

/**
 * The letter as a PDF/A-2b document. PDF/A requires every font embedded, so the letters use
 * DejaVu Sans from the `dejavu-fonts-ttf` package (not pdfkit's standard fonts, which are only
 * named, and not the machine's fonts, which CI machines may lack). DejaVu covers €, ë and é.
 */
const require = createRequire(import.meta.url);
const fontDir = `${require.resolve('dejavu-fonts-ttf/package.json').replace(/package\.json$/, '')}ttf/`;
// Parsed once and shared: parsing DejaVu for every letter took 25 ms of a letter's 30; pdfkit
// subsets the shared font afresh for each document.
function loadFont(file: string): PDFKit.Mixins.PDFFontSource {
  const font = openFont(readFileSync(`${fontDir}${file}`));
  if ('fonts' in font) throw new Error(`${file} is a font collection, not one font`);
  // pdfkit takes a parsed fontkit font as it takes the file; its types name only files and buffers.
  return font as unknown as PDFKit.Mixins.PDFFontSource;
}
const regularFont = loadFont('DejaVuSans.ttf');
const boldFont = loadFont('DejaVuSans-Bold.ttf');
/** The letters' fonts, parsed once, for other documents in the same house style (the case dossier). */
export const documentFonts = { regular: regularFont, bold: boldFont, mono: loadFont('DejaVuSansMono.ttf') } as const;

export interface RenderedPdf {
  readonly pdf: Buffer;
  readonly sha256: string;
  readonly pages: number;
}

const margin = 56;
const pageWidth = 595.28; // A4
const textWidth = pageWidth - 2 * margin;
/** Where the envelope's window shows the address (left, at 50 mm from the top). */
const addressTop = 142;
/** The claim and schedule columns: reference, description, date, amount (right-aligned). */
const columns = [0, 90, 250, 400] as const;
const amountWidth = textWidth - columns[3];

function drawLine(doc: PDFKit.PDFDocument, line: LetterLine): void {
  if (typeof line === 'string') {
    if (line === '') doc.moveDown(0.6);
    else doc.text(line, margin, undefined, { width: textWidth });
    return;
  }
  const y = doc.y;
  const [ref = '', description = '', date = '', amount = ''] = line.cells;
  doc.text(ref, margin + columns[0], y, { width: columns[1] - columns[0] - 6, lineBreak: false });
  doc.text(description, margin + columns[1], y, { width: columns[2] - columns[1] - 6, lineBreak: false, ellipsis: true });
  doc.text(date, margin + columns[2], y, { width: columns[3] - columns[2] - 6, lineBreak: false });
  doc.text(amount, margin + columns[3], y, { width: amountWidth, align: 'right', lineBreak: false });
  doc.x = margin;
  doc.y = y + doc.currentLineHeight(true) + 2;
}

/** The corporation's letterhead, top right: name, address, contact lines and account. */
function drawLetterhead(doc: PDFKit.PDFDocument, ctx: LetterContext): void {
  const sender = ctx.sender;
  if (!sender) return;
  const x = margin + 300;
  const width = textWidth - 300;
  doc.font('bold').fontSize(11).text(sender.name, x, margin, { width });
  doc.font('regular').fontSize(8.5);
  for (const line of [...sender.addressLines, ...sender.contactLines]) doc.text(line, x, undefined, { width });
  if (sender.iban) doc.text(`IBAN ${sender.iban}${sender.bic ? `  BIC ${sender.bic}` : ''}`, x, undefined, { width });
}

/**
 * The QR code drawn as vector squares rather than embedded as a PNG: sharp at any print
 * resolution, and a third of the time (PNG encoding took 10 ms a letter).
 */
function drawQrCode(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 2;
  const cell = size / (modules.size + 2 * quiet);
  // One rectangle per run of dark modules in a row: a third of the path operators of one per module.
  for (let row = 0; row < modules.size; row += 1) {
    for (let col = 0; col < modules.size; ) {
      if (!modules.get(row, col)) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col += 1;
      doc.rect(x + (start + quiet) * cell, y + (row + quiet) * cell, (col - start) * cell, cell);
    }
  }
  doc.fillColor('black').fill();
}

/** The way to pay, with a QR code of the payment link a phone's camera opens. */
function drawPaymentBox(doc: PDFKit.PDFDocument, ctx: LetterContext): void {
  if (!ctx.paymentReference) return;
  const qrSize = 96;
  const lines = [
    ...(ctx.sender?.iban ? [`IBAN: ${ctx.sender.iban}`, `Ten name van: ${ctx.sender.name}`] : []),
    `Betalingskenmerk: ${ctx.paymentReference}`,
    ...(ctx.paymentLink ? [`Betaallink: ${ctx.paymentLink}`] : []),
  ];
  if (doc.y + qrSize + 40 > doc.page.height - margin) doc.addPage();
  doc.moveDown(1);
  const top = doc.y;
  doc.font('bold').fontSize(10).text('Zo betaalt u', margin, top);
  doc.font('regular').fontSize(9.5);
  for (const line of lines) doc.text(line, margin, undefined, { width: textWidth - qrSize - 16 });
  if (ctx.paymentLink) drawQrCode(doc, ctx.paymentLink, margin + textWidth - qrSize, top, qrSize);
  doc.x = margin;
  doc.y = Math.max(doc.y, top + qrSize) + 8;
  doc.fontSize(10);
}

export async function renderLetterPdf(ctx: LetterContext, templateVersion: string): Promise<RenderedPdf> {
  const letter = composeLetter(ctx);
  const doc = new PDFDocument({
    size: 'A4',
    margin,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    tagged: true,
    lang: 'nl-NL',
    displayTitle: true,
    bufferPages: true,
    // The letter's own font from the start: pdfkit's default (Helvetica) would parse its metrics for every letter.
    font: regularFont as unknown as string,
    info: { Title: letter.subject, Author: ctx.sender?.name ?? 'Afdeling Incasso', Subject: templateVersion, Creator: 'huurincasso', CreationDate: new Date(`${ctx.postedOn}T00:00:00Z`) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  useSharedFonts(doc, { bold: boldFont, regular: regularFont });

  drawLetterhead(doc, ctx);
  doc.font('regular').fontSize(10);
  doc.text(ctx.recipient.name, margin, addressTop);
  doc.text(ctx.recipient.street);
  doc.text(`${ctx.recipient.postalCode}  ${ctx.recipient.city}`);
  doc.moveDown(2.5);
  doc.text(`Datum: ${longDate(ctx.postedOn)}`);
  doc.font('bold').text(`Onderwerp: ${letter.subject}`, { width: textWidth });
  doc.font('regular').moveDown(1);
  for (const line of letter.lines) drawLine(doc, line);
  if (letter.asksForMoney) drawPaymentBox(doc, ctx);
  doc.moveDown(1);
  for (const line of closingLines) doc.text(line, margin);

  const pages = doc.bufferedPageRange().count;
  for (let i = 0; i < pages; i += 1) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin: without this pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    doc.fontSize(7).text(`${templateVersion} · pagina ${i + 1} van ${pages}`, margin, doc.page.height - margin + 16, { width: textWidth, align: 'right', lineBreak: false });
  }
  doc.end();
  await ended;
  const pdf = Buffer.concat(chunks);
  return { pdf, sha256: createHash('sha256').update(pdf).digest('hex'), pages };
}
