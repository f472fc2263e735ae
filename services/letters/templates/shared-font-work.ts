import { deflateSync } from 'node:zlib';
import type PDFDocument from 'pdfkit';

/**
 * pdfkit does two costly things with an embedded font in every document: it shapes each word with
 * fontkit (the GSUB/GPOS lookups; its cache of shaped words lives in the document), and at the end
 * it builds the font subset (decoding and re-encoding the glyphs used). Profiled, these were 28 %
 * and 19 % of a letter's time. Both depend on the font and the text only, so they are shared
 * between documents here:
 * - one cache of shaped words per font for the whole process (the shaped runs are not changed
 *   after they are made; pdfkit shares them within a document the same way);
 * - every subset starts with the same glyphs in the same order (printable ASCII, the euro sign and
 *   the accented letters of Dutch names), so the subset of nearly every letter is the same and is
 *   built once; a subset with other glyphs (a name in another script) is built and kept as well.
 * - the subset's font file is deflated once, not again for every document.
 * The subset is encoded deterministically by fontkit, so a letter's bytes (and its SHA-256) are
 * what they would be without the caches.
 */

/** The glyphs every subset holds, in this order. */
const commonCharacters = [
  ...Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i)),
  ...'€–—‘’“”…·ëéèêïíöóòüúûáàäâçñÉËÏÖÜ',
];

/** Bounds on the process-wide caches: words of many names and amounts, and unusual subsets. */
const maxShapedWords = 100_000;
const maxSubsets = 200;

interface FontkitFont {
  readonly postscriptName: string;
  glyphForCodePoint(codePoint: number): { readonly id: number; readonly advanceWidth: number; readonly codePoints: number[] };
}
interface FontkitSubset {
  readonly glyphs: number[];
  includeGlyph(id: number): number;
  encode(): Uint8Array;
}
/** pdfkit's EmbeddedFont, the parts this reaches into (pdfkit 0.20, js/pdfkit.node.mjs). */
interface EmbeddedFont {
  embed(): void;
  readonly font: FontkitFont;
  readonly subset: FontkitSubset;
  readonly scale: number;
  readonly widths: (number | undefined)[];
  readonly unicode: (number[] | undefined)[];
  layoutCache?: Record<string, unknown>;
  encode(text: string, features?: unknown): [string[], unknown[]];
}

/** A reference of pdfkit's (PDFReference): a stream it deflates when it ends, unless told it is already compressed. */
interface StreamReference {
  compress: boolean;
  data: Record<string, unknown>;
  end(chunk?: Uint8Array): void;
}

/** Each cached subset deflated once: pdfkit would deflate the font file again for every document. */
const deflated = new WeakMap<Uint8Array, Buffer>();
const deflatedSubset = (bytes: Uint8Array) => {
  let compressed = deflated.get(bytes);
  if (!compressed) {
    compressed = deflateSync(bytes);
    deflated.set(bytes, compressed);
  }
  return compressed;
};

const shapedWords = new WeakMap<FontkitFont, { words: Record<string, unknown>; count: number }>();

/**
 * Lines as pdfkit encodes them (glyph ids in the subset, positions), per font, for lines of the
 * common glyphs only: their ids are the same in every subset (the common glyphs come first, in one
 * order), so a line of the letters' fixed wording is encoded once per process. A line with another
 * glyph gets that glyph's id from the order of the document and is encoded as pdfkit does.
 */
const maxEncodedLines = 20_000;
const encodedLines = new WeakMap<FontkitFont, Map<string, [string[], unknown[]]>>();
const subsets = new Map<string, Uint8Array>();

function sharedLayoutCache(font: FontkitFont): Record<string, unknown> {
  let entry = shapedWords.get(font);
  if (!entry || entry.count > maxShapedWords) {
    entry = { words: Object.create(null) as Record<string, unknown>, count: 0 };
    shapedWords.set(font, entry);
  }
  const shared = entry;
  shared.count += 1;
  return shared.words;
}

/** Registers the fonts with a document (as `doc.registerFont`) and makes the document share their work. */
export function useSharedFonts(doc: typeof PDFDocument.prototype, fonts: Readonly<Record<string, PDFKit.Mixins.PDFFontSource>>): void {
  for (const [name, source] of Object.entries(fonts)) {
    doc.registerFont(name, source);
    doc.font(name);
    const embedded = (doc as unknown as { _font: EmbeddedFont })._font;
    if (!embedded?.subset || !embedded.font?.glyphForCodePoint) continue;
    embedded.layoutCache = sharedLayoutCache(embedded.font);
    for (const character of commonCharacters) {
      const glyph = embedded.font.glyphForCodePoint(character.codePointAt(0)!);
      const gid = embedded.subset.includeGlyph(glyph.id);
      embedded.widths[gid] ??= glyph.advanceWidth * embedded.scale;
      embedded.unicode[gid] ??= glyph.codePoints;
    }
    const subset = embedded.subset;
    const commonGlyphs = subset.glyphs.length;
    let lines = encodedLines.get(embedded.font);
    if (!lines) encodedLines.set(embedded.font, (lines = new Map()));
    const lineCache = lines;
    const encodeLine = embedded.encode.bind(embedded);
    embedded.encode = (text, features) => {
      if (features) return encodeLine(text, features);
      const known = lineCache.get(text);
      if (known) return known;
      const encoded = encodeLine(text, features);
      // pdfkit does not change what encode returns (it concatenates into new arrays), so it can be shared.
      if (encoded[0].every((hex) => parseInt(hex, 16) < commonGlyphs)) {
        if (lineCache.size >= maxEncodedLines) lineCache.clear();
        lineCache.set(text, encoded);
      }
      return encoded;
    };
    const encode = subset.encode.bind(subset);
    subset.encode = () => {
      const key = `${embedded.font.postscriptName}:${subset.glyphs.join(',')}`;
      let bytes = subsets.get(key);
      if (!bytes) {
        bytes = encode();
        if (subsets.size >= maxSubsets) subsets.clear();
        subsets.set(key, bytes);
      }
      return bytes;
    };
    // The font file is the first stream embed() makes: hand it the subset deflated already.
    const embed = embedded.embed.bind(embedded);
    embedded.embed = () => {
      // The document's own ref may be wrapped already (shared-stream-work.ts): put back exactly that.
      const ownRef = Object.prototype.hasOwnProperty.call(doc, 'ref');
      const documentRef = (doc as unknown as { ref(data?: object): StreamReference }).ref;
      let fontFile = true;
      const patched = doc as unknown as { ref(data?: object): StreamReference };
      patched.ref = (data?: object) => {
        const ref = documentRef.call(doc, data);
        if (fontFile && ref.compress) {
          fontFile = false;
          ref.compress = false;
          const end = ref.end.bind(ref);
          ref.end = (chunk?: Uint8Array) => {
            ref.data.Filter = 'FlateDecode';
            end(chunk ? deflatedSubset(chunk) : chunk);
          };
        }
        return ref;
      };
      try {
        embed();
      } finally {
        if (ownRef) patched.ref = documentRef;
        else delete (patched as { ref?: unknown }).ref;
      }
    };
  }
}
