import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasControlCharacters, isWellFormedText, multiLineNote, singleLineText, wellFormedId } from '../../../shared/validation/text.js';

/** Every character a text field refuses: C0, DEL, C1, line/paragraph separators, bidi controls. */
const controls = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
  '\u2028', '\u2029', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069',
];
const lineBreaksAndTab = ['\n', '\r', '\t'];
const loneSurrogates = ['\ud800', '\udbff', '\udc00', '\udfff'];
const insertAt = (text: string, at: number, inserted: string) => text.slice(0, at) + inserted + text.slice(at);

describe('singleLineText', () => {
  const name = singleLineText(200);

  it('takes names as people write them, trimmed', () => {
    for (const value of ["J. de Vries-O'Brien", 'Zoë Çelik', 'Łukasz Wójcik', '李小龍', 'Ana 👩🏽‍🌾 Smit', 'ß'.repeat(200)]) {
      expect(name.parse(value)).toBe(value);
    }
    expect(name.parse('  T. Testhuurder ')).toBe('T. Testhuurder');
  });

  it('refuses every control character, line break and bidi control, wherever it stands', () => {
    for (const control of controls) {
      for (const value of [`Jan${control}Jansen`, `${control}Jan`, `Jan${control}`]) {
        const result = name.safeParse(value);
        expect(result.success, JSON.stringify(value)).toBe(false);
        expect(result.error!.issues[0]!.message).toMatch(/control characters/);
      }
    }
  });

  it('refuses lone surrogates but keeps pairs', () => {
    for (const surrogate of loneSurrogates) {
      const result = name.safeParse(`Jan${surrogate}`);
      expect(result.success).toBe(false);
      expect(result.error!.issues[0]!.message).toMatch(/well-formed/);
    }
    expect(name.parse('Jan \ud83d\ude00')).toBe('Jan 😀');
  });

  it('refuses empty, blank, too long and non-string values', () => {
    for (const value of ['', '   ', 'x'.repeat(201), 5, null, undefined, ['Jan'], { name: 'Jan' }]) {
      expect(name.safeParse(value).success, JSON.stringify(value)).toBe(false);
    }
    expect(singleLineText(10, 0).parse('')).toBe('');
  });

  it('accepts a generated string exactly when it is well-formed, free of controls and fits (property)', () => {
    const alphabet = fc.oneof(
      { weight: 8, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.constantFrom(...controls, ...loneSurrogates) },
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join('')), (value) => {
        const ok = isWellFormedText(value) && !hasControlCharacters(value) && value.trim().length >= 1 && value.trim().length <= 60;
        expect(singleLineText(60).safeParse(value).success).toBe(ok);
      }),
      { seed: 8_006, numRuns: 500 },
    );
  });
});

describe('multiLineNote', () => {
  const note = multiLineNote(2000);

  it('keeps line breaks and tabs inside a note, trims its ends and may be empty', () => {
    expect(note.parse('Gebeld:\r\n\tgeen gehoor.\nMorgen opnieuw. ')).toBe('Gebeld:\r\n\tgeen gehoor.\nMorgen opnieuw.');
    expect(note.parse('')).toBe('');
  });

  it('refuses the other control characters, lone surrogates and notes that are too long', () => {
    for (const control of controls.filter((c) => !lineBreaksAndTab.includes(c))) {
      expect(note.safeParse(`zie${control}brief`).success, JSON.stringify(control)).toBe(false);
    }
    for (const surrogate of loneSurrogates) expect(note.safeParse(`zie ${surrogate}`).success).toBe(false);
    expect(note.safeParse('x'.repeat(2001)).success).toBe(false);
    expect(note.safeParse(42).success).toBe(false);
  });

  it('refuses any note with a NUL, whatever surrounds it (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), fc.nat(), (text, at) => {
        expect(note.safeParse(insertAt(text, at % (text.length + 1), '\u0000')).success).toBe(false);
      }),
      { seed: 8_006 },
    );
  });
});

describe('wellFormedId', () => {
  const id = wellFormedId(100);

  it('takes ids as other systems make them, unchanged', () => {
    for (const value of ['TX-2026-000123', 'NOTPROVIDED', 'E2E/2026/11/20 0001', 'proposal-1', 'Ä1']) expect(id.parse(value)).toBe(value);
  });

  it('refuses lone surrogates, controls, surrounding whitespace, empty and too long ids', () => {
    for (const value of ['\ud800', 'TX\ud800', 'TX\udfff1', 'TX\u0000', 'TX\n1', 'TX\u007f', ' TX', 'TX ', '', 'x'.repeat(101), 12]) {
      expect(id.safeParse(value).success, JSON.stringify(value)).toBe(false);
    }
  });
});
