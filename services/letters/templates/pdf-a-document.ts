import PDFDocument from 'pdfkit';

/** A4 with the letters' margin; the dossier and the logo check use the same page. */
export const pageMargin = 56;

/**
 * A PDF/A-2b document (PDF 1.7, tagged, Dutch) and the bytes it ends as: the letters, the
 * pre-notifications, the case dossier and the logo check all open their document here, so the
 * conformance settings are written once. `font` is the default font (null: none, the caller
 * registers its own first).
 */
export function openPdfA(options: {
  readonly info: PDFKit.DocumentInfo;
  readonly font: PDFKit.Mixins.PDFFontSource | null;
  readonly bufferPages?: boolean;
  /** Points; the letters' by default. */
  readonly margin?: number;
}): { readonly doc: PDFKit.PDFDocument; finish(): Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    margin: options.margin ?? pageMargin,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    tagged: true,
    lang: 'nl-NL',
    displayTitle: true,
    bufferPages: options.bufferPages ?? false,
    font: options.font as unknown as string,
    info: options.info,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  return {
    doc,
    async finish() {
      doc.end();
      await ended;
      return Buffer.concat(chunks);
    },
  };
}
