import * as pdfkit from 'pdfkit';
import type PDFDocument from 'pdfkit';

/**
 * pdfkit wraps every `text()` with a width afresh: it runs the Unicode line-breaking algorithm
 * over the text and measures each word, for every line of every letter, though most lines of a
 * letter are the template's own words. Profiled, a sixth of a letter's time. The words and their
 * widths depend on the text, the font, its size and the spacing only, so they are kept per
 * process and replayed to pdfkit's own wrapping, which still decides where the lines end and
 * where a page ends: the letter's bytes are what they would be without the cache.
 *
 * Only a plain wrap is replayed: no OpenType features, no indent, no continued text, and no word
 * wider than the line (pdfkit splits such a word by the space left on the line, which depends on
 * what came before it). Anything else, and the first wrap of a text, goes through pdfkit as it is.
 */

/** A break opportunity as the line breaker gives it: where, and whether the line must end there. */
interface Break {
  readonly position: number;
  readonly required: boolean;
}
type WordCallback = (word: string, width: number, here: Break, previous: Break | null) => unknown;

/** pdfkit's LineWrapper, the parts this reaches into (pdfkit 0.20, js/pdfkit.node.mjs). */
interface LineWrapper {
  readonly document: typeof PDFDocument.prototype;
  readonly lineWidth: number;
  readonly continuedX: number;
  readonly indent: number;
  readonly characterSpacing: number;
  readonly wordSpacing: number;
  readonly horizontalScaling: number;
  readonly features?: unknown;
  eachWord(text: string, each: WordCallback): void;
}

interface WrappedText {
  readonly words: readonly { readonly word: string; readonly width: number; readonly here: Break }[];
  readonly widest: number;
}

const maxTexts = 20_000;
const wrapsByFont = new WeakMap<object, Map<string, WrappedText>>();
const sharingDocuments = new WeakSet<object>();

const wrapperPrototype = (pdfkit as unknown as { LineWrapper: { prototype: LineWrapper } }).LineWrapper.prototype;
const eachWordOfPdfkit = wrapperPrototype.eachWord;

wrapperPrototype.eachWord = function eachWord(this: LineWrapper, text: string, each: WordCallback): void {
  const doc = this.document as unknown as { _font?: { font?: object }; _fontSize: number };
  const font = doc._font?.font;
  if (!sharingDocuments.has(this.document) || !font || this.features || this.indent || this.continuedX) {
    eachWordOfPdfkit.call(this, text, each);
    return;
  }
  let wraps = wrapsByFont.get(font);
  if (!wraps) wrapsByFont.set(font, (wraps = new Map()));
  const key = `${doc._fontSize}|${this.characterSpacing}|${this.wordSpacing}|${this.horizontalScaling}|${text}`;
  const known = wraps.get(key);
  if (known && known.widest <= this.lineWidth) {
    let previous: Break | null = null;
    for (const { word, width, here } of known.words) {
      if (each(word, width, here, previous) === false) return;
      previous = here;
    }
    return;
  }
  // The first wrap of this text: pdfkit's, recorded as it goes.
  const words: { word: string; width: number; here: Break }[] = [];
  let whole = true;
  let widest = 0;
  eachWordOfPdfkit.call(this, text, (word, width, here, previous) => {
    // A piece of a split word comes with a break of pdfkit's own, without a position.
    if (typeof here.position !== 'number') whole = false;
    words.push({ word, width, here: { position: here.position, required: here.required } });
    widest = Math.max(widest, width);
    const goOn = each(word, width, here, previous);
    if (goOn === false) whole = false;
    return goOn;
  });
  if (!whole || words.map((w) => w.word).join('') !== text) return;
  if (wraps.size >= maxTexts) wraps.clear();
  wraps.set(key, { words, widest });
};

/**
 * A line's text operator (`[<glyphs> kerning ...] TJ`) as pdfkit writes it, kept per encoded line:
 * the font work (shared-font-work.ts) hands out the same encoding for a line of common glyphs in
 * every document, and pdfkit would build the operator from it again for each (a tenth of a letter).
 */
const textOperators = new WeakMap<object, string>();

interface GlyphPosition {
  readonly xAdvance: number;
  readonly advanceWidth: number;
  readonly xOffset?: number;
  readonly yOffset?: number;
}
interface FragmentOptions {
  readonly width?: number;
  readonly lineWidth?: number;
  readonly align?: string;
  readonly [option: string]: unknown;
}
/** The document as _fragment uses it (pdfkit 0.20, TextMixin._fragment). */
interface DrawingDocument {
  _fragment(text: string, x: number, y: number, options: FragmentOptions): void;
  readonly _font: { readonly id: string; readonly ascender: number; ref(): unknown; encode(text: string, features?: unknown): [string[], GlyphPosition[]] };
  readonly _fontSize: number;
  readonly page: { readonly height: number; readonly fonts: Record<string, unknown> };
  widthOfString(text: string, options?: object): number;
  save(): unknown;
  restore(): unknown;
  transform(...matrix: number[]): unknown;
  addContent(operators: string): unknown;
}

/** pdfkit's PDFObject.number: numbers in content streams are rounded to six decimals. */
function pdfNumber(n: number): number {
  if (n > -1e21 && n < 1e21) return Math.round(n * 1e6) / 1e6;
  throw new Error(`unsupported number: ${n}`);
}

/** Options under which a line is drawn as plain text, left or right aligned: the only ones drawn here. */
const plainLine = (options: FragmentOptions) =>
  (options.align === undefined || options.align === 'left' || options.align === 'right') &&
  !options.wordSpacing && !options.characterSpacing && (!options.horizontalScaling || options.horizontalScaling === 100) &&
  options.baseline === undefined && options.features === undefined && options.link == null && options.goTo == null &&
  options.destination == null && !options.underline && !options.strike && !options.oblique && !options.stroke;

/** The TJ operator of an encoded line without glyph offsets, as pdfkit's _fragment writes it; null when it has offsets. */
function textOperator(encoded: readonly string[], positions: readonly GlyphPosition[]): string | null {
  const segments: string[] = [];
  let last = 0;
  const segment = (end: number) => {
    if (last < end) {
      const advance = positions[end - 1]!.xAdvance - positions[end - 1]!.advanceWidth;
      segments.push(`<${encoded.slice(last, end).join('')}> ${pdfNumber(-advance)}`);
    }
    last = end;
  };
  for (let i = 0; i < positions.length; i += 1) {
    const position = positions[i]!;
    if (position.xOffset || position.yOffset) return null;
    if (position.xAdvance - position.advanceWidth !== 0) segment(i + 1);
  }
  segment(positions.length);
  return segments.length > 0 ? `[${segments.join(' ')}] TJ` : '';
}

/**
 * Makes the document's wrapping of text share the words measured for earlier documents, and its
 * plain lines share their text operators. A line drawn otherwise (justified, spaced, underlined,
 * a link, glyphs with offsets) is drawn by pdfkit as it is.
 */
export function useSharedLines(doc: typeof PDFDocument.prototype): void {
  sharingDocuments.add(doc);
  const drawing = doc as unknown as DrawingDocument;
  const fragmentOfPdfkit = drawing._fragment;
  drawing._fragment = function fragment(this: DrawingDocument, line, x, y, options) {
    if (!plainLine(options)) return fragmentOfPdfkit.call(this, line, x, y, options);
    const text = `${line}`.replace(/\n/g, '');
    if (text.length === 0) return;
    const encoding = this._font.encode(text);
    let operator = textOperators.get(encoding);
    if (operator === undefined) {
      const made = textOperator(encoding[0], encoding[1]);
      if (made === null) return fragmentOfPdfkit.call(this, line, x, y, options);
      operator = made;
      textOperators.set(encoding, operator);
    }
    let left = x;
    if (options.width && options.align === 'right') left += options.lineWidth! - this.widthOfString(text.replace(/\s+$/, ''), options);
    const baseline = (this._font.ascender / 1000) * this._fontSize;
    this.save();
    this.transform(1, 0, 0, -1, 0, this.page.height);
    const top = this.page.height - y - baseline;
    if (this.page.fonts[this._font.id] == null) this.page.fonts[this._font.id] = this._font.ref();
    // One write of the lines pdfkit writes one by one (shared-stream-work.ts joins writes with newlines).
    const head = `BT\n1 0 0 1 ${pdfNumber(left)} ${pdfNumber(top)} Tm\n/${this._font.id} ${pdfNumber(this._fontSize)} Tf`;
    this.addContent(operator ? `${head}\n${operator}\nET` : `${head}\nET`);
    this.restore();
  };
}
