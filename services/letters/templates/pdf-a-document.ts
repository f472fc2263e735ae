import PDFDocument from 'pdfkit';
import { bytesOfWrites } from './shared-stream-work.js';

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
  const written = collectWrites(doc);
  return {
    doc,
    async finish() {
      doc.end();
      await ended;
      // What the constructor pushed (the header) came as data; everything after was collected.
      return Buffer.concat([...chunks, written()]);
    },
  };
}

/**
 * pdfkit pushes each line of the file (every object's header, every xref entry) through the
 * stream as bytes of its own; profiled, a twentieth of a letter. Here the document's writes are
 * kept and made bytes once, the same bytes (bytesOfWrites); pdfkit counts the offsets the xref
 * table needs as it would have written them: a string with a newline after it, one byte per char.
 */
function collectWrites(doc: PDFKit.PDFDocument): () => Uint8Array {
  const parts: (string | Uint8Array)[] = [];
  const writing = doc as unknown as { _offset: number; _write(data: string | Uint8Array): void };
  writing._write = (data) => {
    parts.push(data);
    writing._offset += typeof data === 'string' ? data.length + 1 : data.length;
  };
  return () => bytesOfWrites(parts);
}
