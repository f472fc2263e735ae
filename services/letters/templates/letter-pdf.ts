import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create as openFont } from 'fontkit';
import QRCode from 'qrcode';
import { openPdfA, pageMargin } from './pdf-a-document.js';
import { useSharedFonts } from './shared-font-work.js';
import { useSharedLines } from './shared-line-work.js';
import { useSharedStreams } from './shared-stream-work.js';
import { closingLines, composeLetter, longDate, type LetterContext, type LetterLine, type LetterRecipient, type LetterSender } from './render-letter.js';

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

const margin = pageMargin;
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

/** The logo's box, top left above the envelope window: wide logos are limited by width, tall ones by height. */
const logoBox = { width: 170, height: 64 } as const;

/** The corporation's letterhead: its logo top left; name, address, contact lines and account top right. */
function drawLetterhead(doc: PDFKit.PDFDocument, sender: LetterSender | null): void {
  if (!sender) return;
  if (sender.logo) doc.image(sender.logo.data, margin, margin, { fit: [logoBox.width, logoBox.height] });
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
 *
 * The mask is fixed rather than chosen: choosing scores all eight masks, four-fifths of the QR
 * code's time. Every mask is valid and scanners read any; the choice only avoids unlucky
 * patterns. Tried on 160 payment links, each drawn at 7 scales sharp and blurred, OpenCV's QR
 * reader read 2,163 of 2,240 codes with mask 1 and 2,119 with the masks the library chose. The
 * segments are given for the same reason: a link ends in the betalingskenmerk, whose digits go
 * in numeric mode (where the library's own search for the shortest segments puts them: the same
 * codes for 600 links tried) and the rest in byte mode.
 */
const qrMask = 1;
const trailingDigits = /^(.*?)(\d{8,})$/s;

function qrSegments(text: string): QRCode.QRCodeSegment[] {
  const split = trailingDigits.exec(text);
  if (!split?.[1]) return [{ data: Buffer.from(text), mode: 'byte' }];
  return [{ data: Buffer.from(split[1]), mode: 'byte' }, { data: split[2]!, mode: 'numeric' }];
}

function drawQrCode(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(qrSegments(text), { errorCorrectionLevel: 'M', maskPattern: qrMask });
  const quiet = 2;
  const cell = size / (modules.size + 2 * quiet);
  // Drawn in module units under one transform: each square's corner and size are small whole
  // numbers ("3 5 2 1 re"), a third of the content stream (and of its compression) of page units.
  doc.save();
  doc.translate(x + quiet * cell, y + quiet * cell).scale(cell);
  // One rectangle per run of dark modules in a row: a third of the path operators of one per
  // module; written as one piece, as doc.rect() would write them one by one.
  const squares: string[] = [];
  for (let row = 0; row < modules.size; row += 1) {
    for (let col = 0; col < modules.size; ) {
      if (!modules.get(row, col)) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col += 1;
      squares.push(`${start} ${row} ${col - start} 1 re`);
    }
  }
  if (squares.length > 0) doc.addContent(squares.join('\n'));
  doc.fillColor('black').fill();
  doc.restore();
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

/**
 * A document in the letters' house style: letterhead, the address in the envelope's window, date,
 * subject, body, closing, and the template version on every page. The letters and the direct-debit
 * pre-notification are both printed through it.
 */
export interface PrintedDocument {
  readonly sender: LetterSender | null;
  readonly recipient: LetterRecipient;
  readonly postedOn: string;
  readonly subject: string;
  readonly lines: readonly LetterLine[];
  readonly closing: readonly string[];
  readonly templateVersion: string;
  /** Drawn between the body and the closing (a letter's way to pay). */
  readonly afterBody?: (doc: PDFKit.PDFDocument) => void;
}

export async function renderLetterPdf(ctx: LetterContext, templateVersion: string): Promise<RenderedPdf> {
  const letter = composeLetter(ctx);
  return renderDocumentPdf({
    sender: ctx.sender,
    recipient: ctx.recipient,
    postedOn: ctx.postedOn,
    subject: letter.subject,
    lines: letter.lines,
    closing: closingLines,
    templateVersion,
    afterBody: letter.asksForMoney ? (doc) => drawPaymentBox(doc, ctx) : undefined,
  });
}

export async function renderDocumentPdf(document: PrintedDocument): Promise<RenderedPdf> {
  const { templateVersion } = document;
  // No default font: useSharedFonts registers the letter's own first. pdfkit's default (Helvetica)
  // would parse its metrics, and a default of DejaVu would be compared with the registered one
  // (the JSON of its name table) for every letter.
  const { doc, finish } = openPdfA({
    font: null,
    bufferPages: true,
    info: { Title: document.subject, Author: document.sender?.name ?? 'Afdeling Incasso', Subject: templateVersion, Creator: 'huurincasso', CreationDate: new Date(`${document.postedOn}T00:00:00Z`) },
  });
  useSharedStreams(doc);
  useSharedFonts(doc, { bold: boldFont, regular: regularFont });
  useSharedLines(doc);

  drawLetterhead(doc, document.sender);
  doc.font('regular').fontSize(10);
  doc.text(document.recipient.name, margin, addressTop);
  doc.text(document.recipient.street);
  doc.text(`${document.recipient.postalCode}  ${document.recipient.city}`);
  doc.moveDown(2.5);
  doc.text(`Datum: ${longDate(document.postedOn)}`);
  doc.font('bold').text(`Onderwerp: ${document.subject}`, { width: textWidth });
  doc.font('regular').moveDown(1);
  for (const line of document.lines) drawLine(doc, line);
  document.afterBody?.(doc);
  doc.moveDown(1);
  for (const line of document.closing) doc.text(line, margin);

  const pages = doc.bufferedPageRange().count;
  for (let i = 0; i < pages; i += 1) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin: without this pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    doc.fontSize(7).text(`${templateVersion} · pagina ${i + 1} van ${pages}`, margin, doc.page.height - margin + 16, { width: textWidth, align: 'right', lineBreak: false });
  }
  const pdf = await finish();
  return { pdf, sha256: createHash('sha256').update(pdf).digest('hex'), pages };
}

/**
 * Why a logo cannot go in a letterhead, or null: it is laid out in a document of its own as the
 * letters do, so an image with a good signature but damaged data is refused when it is stored, not
 * when a letter is due.
 */
export async function logoPrintProblem(logo: { readonly data: Buffer }): Promise<string | null> {
  try {
    const { doc, finish } = openPdfA({ font: regularFont, info: { Title: 'logo check' } });
    doc.image(logo.data, margin, margin, { fit: [logoBox.width, logoBox.height] });
    await finish();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
