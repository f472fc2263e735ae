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
 * - the subset's font file is deflated once, not again for every document;
 * - a fresh subset gets the common glyphs (looked up in the font's cmap once) as the first
 *   document of the font included them, and each subset's ToUnicode map is written out once.
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
  glyphs: number[];
  mapping: Record<number, number>;
  includeGlyph(id: number): number;
  encode(): Uint8Array;
}
/** pdfkit's EmbeddedFont, the parts this reaches into (pdfkit 0.20, js/pdfkit.node.mjs). */
interface EmbeddedFont {
  embed(): void;
  readonly font: FontkitFont;
  readonly subset: FontkitSubset;
  readonly scale: number;
  widths: (number | undefined)[];
  unicode: (number[] | undefined)[];
  layoutCache?: Record<string, unknown>;
  encode(text: string, features?: unknown): [string[], unknown[]];
  toUnicodeCmap(): StreamReference;
}

/** A reference of pdfkit's (PDFReference): a stream it deflates when it ends, unless told it is already compressed. */
interface StreamReference {
  compress: boolean;
  data: Record<string, unknown>;
  end(chunk?: Uint8Array | string): void;
}

const refsOf = (doc: typeof PDFDocument.prototype) => doc as unknown as { ref(data?: object): StreamReference };

/** Runs `run` with each stream the document makes meanwhile handed to `adapt` first. */
function withEachRef<T>(doc: typeof PDFDocument.prototype, adapt: (ref: StreamReference) => void, run: () => T): T {
  const target = refsOf(doc);
  // The document's own ref may be wrapped already (shared-stream-work.ts, or embed here): put back exactly that.
  const ownRef = Object.prototype.hasOwnProperty.call(target, 'ref');
  const documentRef = target.ref;
  target.ref = (data?: object) => {
    const ref = documentRef.call(doc, data);
    adapt(ref);
    return ref;
  };
  try {
    return run();
  } finally {
    if (ownRef) target.ref = documentRef;
    else delete (target as { ref?: unknown }).ref;
  }
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

/** The common characters' glyphs of each font, looked up in its cmap once rather than for every document. */
const commonGlyphs = new WeakMap<FontkitFont, readonly { id: number; width: number; codePoints: number[] }[]>();
function commonGlyphsOf(embedded: EmbeddedFont): readonly { id: number; width: number; codePoints: number[] }[] {
  let glyphs = commonGlyphs.get(embedded.font);
  if (!glyphs) {
    glyphs = commonCharacters.map((character) => {
      const glyph = embedded.font.glyphForCodePoint(character.codePointAt(0)!);
      return { id: glyph.id, width: glyph.advanceWidth * embedded.scale, codePoints: glyph.codePoints };
    });
    commonGlyphs.set(embedded.font, glyphs);
  }
  return glyphs;
}

/** Each font's fresh subset with the common glyphs included, as its first document made it. */
const subsetStarts = new WeakMap<FontkitFont, { glyphs: number[]; mapping: Record<number, number>; widths: (number | undefined)[]; unicode: (number[] | undefined)[] }>();

/**
 * Each font's ToUnicode map as pdfkit writes it, by the code points of its glyphs: the same for
 * nearly every letter, where pdfkit would write it out again for each (a twentieth of a letter).
 */
const unicodeMaps = new Map<string, string>();
const maxUnicodeMaps = 200;

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
    const subset = embedded.subset;
    const start = subsetStarts.get(embedded.font);
    if (start && subset.glyphs.length === 1 && embedded.widths.length === 1 && embedded.unicode.length === 1) {
      // A fresh subset: given the common glyphs as the first document of this font included them.
      subset.glyphs = [...start.glyphs];
      // fontkit only looks glyphs up in the mapping and adds to it: the common ones are found in the
      // shared one behind it (copying a sparse object of glyph ids was slower than the lookups).
      subset.mapping = Object.create(start.mapping) as Record<number, number>;
      embedded.widths = [...start.widths];
      embedded.unicode = [...start.unicode];
    } else {
      for (const glyph of commonGlyphsOf(embedded)) {
        const gid = subset.includeGlyph(glyph.id);
        embedded.widths[gid] ??= glyph.width;
        embedded.unicode[gid] ??= glyph.codePoints;
      }
      if (!start) subsetStarts.set(embedded.font, { glyphs: [...subset.glyphs], mapping: { ...subset.mapping }, widths: [...embedded.widths], unicode: [...embedded.unicode] });
    }
    const commonGlyphs = subset.glyphs.length;
    // Nearly every subset starts with the same common glyphs: its keys below name only what follows them.
    const usual = subsetStarts.get(embedded.font)!;
    const startsUsually = commonGlyphs === usual.glyphs.length && usual.glyphs.every((glyph, i) => subset.glyphs[i] === glyph);
    const ownFrom = startsUsually ? commonGlyphs : 0;
    const keyStart = `${embedded.font.postscriptName}:${startsUsually ? 'usual' : 'own'}`;
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
      const key = `${keyStart}+${subset.glyphs.slice(ownFrom).join(',')}`;
      let bytes = subsets.get(key);
      if (!bytes) {
        bytes = encode();
        if (subsets.size >= maxSubsets) subsets.clear();
        subsets.set(key, bytes);
      }
      return bytes;
    };
    const toUnicodeCmap = embedded.toUnicodeCmap.bind(embedded);
    embedded.toUnicodeCmap = () => {
      // The common glyphs' code points are set when the document starts and never changed after.
      const key = `${keyStart}+${embedded.unicode.slice(ownFrom).map((codePoints) => codePoints?.join(' ') ?? '').join(',')}`;
      const known = unicodeMaps.get(key);
      if (known !== undefined) {
        const cmap = refsOf(doc).ref();
        cmap.end(known);
        return cmap;
      }
      // The map's text is what pdfkit ends its one new stream with.
      return withEachRef(doc, (ref) => {
        const end = ref.end.bind(ref);
        ref.end = (chunk) => {
          if (typeof chunk === 'string') {
            if (unicodeMaps.size >= maxUnicodeMaps) unicodeMaps.clear();
            unicodeMaps.set(key, chunk);
          }
          end(chunk);
        };
      }, toUnicodeCmap);
    };
    // The font file is the first stream embed() makes: hand it the subset deflated already.
    const embed = embedded.embed.bind(embedded);
    embedded.embed = () => {
      let fontFile = true;
      withEachRef(doc, (ref) => {
        if (!fontFile || !ref.compress) return;
        fontFile = false;
        ref.compress = false;
        const end = ref.end.bind(ref);
        ref.end = (chunk) => {
          ref.data.Filter = 'FlateDecode';
          end(chunk instanceof Uint8Array ? deflatedSubset(chunk) : chunk);
        };
      }, embed);
    };
  }
}
