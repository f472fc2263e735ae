import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type PDFDocument from 'pdfkit';

/**
 * pdfkit deflates every stream of every document afresh, at zlib's default level: profiled, a
 * tenth of a letter's time. Here:
 * - streams that are the same in nearly every letter (the sRGB colour profile PDF/A asks for, and
 *   each font's ToUnicode map, which the shared subset makes the same) are deflated once per
 *   process; only those two kinds are looked up, by their content;
 * - the rest (a page's content, the letter's own) is deflated at level 1: a third of the time for
 *   about 800 bytes more in a letter of 45 KB, most of which is the font.
 * Deflate is deterministic, so a letter's bytes (and its SHA-256) do not depend on the cache.
 */
const pageContentLevel = 1;

const maxSharedStreams = 200;
const cmapStart = Buffer.from('/CIDInit /ProcSet findresource', 'latin1');
const deflatedByContent = new Map<string, Buffer>();

/** A stream of pdfkit's (PDFReference), the parts this reaches into (pdfkit 0.20, js/pdfkit.node.mjs). */
interface StreamReference {
  compress: boolean;
  data: Record<string, unknown>;
  buffer: Uint8Array[] | Uint8Array;
  finalize(): void;
}

function deflatedOnce(bytes: Uint8Array): Buffer {
  const key = createHash('sha1').update(bytes).digest('base64');
  let compressed = deflatedByContent.get(key);
  if (!compressed) {
    compressed = deflateSync(bytes);
    if (deflatedByContent.size >= maxSharedStreams) deflatedByContent.clear();
    deflatedByContent.set(key, compressed);
  }
  return compressed;
}

/** Deflates the stream as above when it ends, instead of pdfkit. */
function deflateHere(ref: StreamReference): void {
  const finalize = ref.finalize.bind(ref);
  ref.finalize = () => {
    const chunks = ref.buffer;
    if (ref.compress && Array.isArray(chunks) && chunks.length > 0) {
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      // The ICC profile (an OutputIntent's, the only stream with N), or a ToUnicode CMap.
      const shared = ref.data.N !== undefined || Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, cmapStart.length)).equals(cmapStart);
      // Deflated here: pdfkit writes it as it is, its Filter (FlateDecode) set by write().
      ref.buffer = [shared ? deflatedOnce(bytes) : deflateSync(bytes, { level: pageContentLevel })];
      ref.compress = false;
    }
    finalize();
  };
}

/** Makes a document deflate its streams here: the ones it makes from now on, and the first page's, made with the document. */
export function useSharedStreams(doc: typeof PDFDocument.prototype): void {
  const documentRef = (doc as unknown as { ref(data?: object): StreamReference }).ref;
  (doc as unknown as { ref(data?: object): StreamReference }).ref = (data?: object) => {
    const ref = documentRef.call(doc, data);
    deflateHere(ref);
    return ref;
  };
  const firstPage = (doc as unknown as { page?: { content?: StreamReference } }).page;
  if (firstPage?.content) deflateHere(firstPage.content);
}
