import { createHash } from 'node:crypto';
import { deflateSync, type ZlibOptions } from 'node:zlib';
import type PDFDocument from 'pdfkit';

/**
 * pdfkit turns every operator it writes to a stream into bytes of its own (a page is hundreds of
 * them: each QR square, each line of text) and deflates every stream of every document afresh, at
 * zlib's default level: profiled, a sixth of a letter's time. Here:
 * - a stream's writes are kept as they come and made bytes once, when the stream ends (the same
 *   bytes: pdfkit writes each string with a newline after it, one byte per char code, low byte);
 * - streams that are the same in nearly every letter (the sRGB colour profile PDF/A asks for, and
 *   each font's ToUnicode map, which the shared subset makes the same) are deflated once per
 *   process; only those two kinds are looked up, by their content;
 * - the rest (a page's content, the letter's own) is deflated at level 1: half the time of the
 *   default level for about 800 bytes more in a letter of 46 KB, most of which is the font (a
 *   smaller window or memory level measured no faster for a page of 15 KB).
 * Deflate is deterministic, so a letter's bytes (and its SHA-256) do not depend on the cache.
 */
const pageContentDeflate: ZlibOptions = { level: 1 };

const maxSharedStreams = 200;
const cmapStart = '/CIDInit /ProcSet findresource';
const deflatedByContent = new Map<string, Buffer>();
/** pdfkit reads its colour profile once and writes that same buffer into every document. */
const deflatedProfiles = new WeakMap<Uint8Array, Buffer>();

/** A stream of pdfkit's (PDFReference), the parts this reaches into (pdfkit 0.20, js/pdfkit.node.mjs). */
interface StreamReference {
  compress: boolean;
  data: Record<string, unknown>;
  buffer: Uint8Array[] | Uint8Array;
  write(chunk: string | Uint8Array): void;
  finalize(): void;
}

function deflatedOnce(key: string, bytes: () => Uint8Array): Buffer {
  let compressed = deflatedByContent.get(key);
  if (!compressed) {
    compressed = deflateSync(bytes());
    if (deflatedByContent.size >= maxSharedStreams) deflatedByContent.clear();
    deflatedByContent.set(key, compressed);
  }
  return compressed;
}

function deflatedProfile(profile: Uint8Array): Buffer {
  let compressed = deflatedProfiles.get(profile);
  if (!compressed) {
    compressed = deflatedOnce(createHash('sha1').update(profile).digest('base64'), () => profile);
    deflatedProfiles.set(profile, compressed);
  }
  return compressed;
}

/** The bytes pdfkit would make of these writes (PDFReference.write: a string gets a newline). */
export function bytesOfWrites(parts: readonly (string | Uint8Array)[]): Uint8Array {
  if (parts.length === 1 && typeof parts[0] !== 'string') return parts[0]!;
  const chunks: Uint8Array[] = [];
  let text: string[] = [];
  const endText = () => {
    if (text.length === 0) return;
    chunks.push(Buffer.from(`${text.join('\n')}\n`, 'latin1'));
    text = [];
  };
  for (const part of parts) {
    if (typeof part === 'string') text.push(part);
    else {
      endText();
      chunks.push(part);
    }
  }
  endText();
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** Collects the stream's writes, and makes them bytes and deflates them as above when it ends, instead of pdfkit. */
function deflateHere(ref: StreamReference): void {
  // What was written before (the first page's opening transform) stays first.
  const parts: (string | Uint8Array)[] = Array.isArray(ref.buffer) ? [...ref.buffer] : [];
  ref.buffer = [];
  ref.write = (chunk) => {
    parts.push(chunk);
  };
  const finalize = ref.finalize.bind(ref);
  ref.finalize = () => {
    if (parts.length > 0) {
      const only = parts.length === 1 ? parts[0]! : null;
      let bytes: Uint8Array;
      if (!ref.compress) bytes = bytesOfWrites(parts);
      // The ICC profile (an OutputIntent's, the only stream with N), or a ToUnicode CMap.
      else if (ref.data.N !== undefined && only instanceof Uint8Array) bytes = deflatedProfile(only);
      else if (typeof only === 'string' && only.startsWith(cmapStart)) bytes = deflatedOnce(only, () => bytesOfWrites(parts));
      else bytes = deflateSync(bytesOfWrites(parts), pageContentDeflate);
      // pdfkit writes the buffer as it is and sets Length from it; the keys come in the order its own write() adds them.
      ref.data.Length ??= 0;
      if (ref.compress) ref.data.Filter = 'FlateDecode';
      ref.compress = false;
      ref.buffer = [bytes];
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
