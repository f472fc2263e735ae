import { z } from 'zod';

/**
 * Refined zod building blocks for text that comes from outside (billing, operators, bailiff
 * offices). Postgres refuses NUL in text, Temporal's payloads and update ids refuse lone UTF-16
 * surrogates, and a line break in a name ends up in a letter's address block, where a tenant
 * would read it as a line of its own (a forged payment instruction). So text is checked as it
 * arrives, before anything stores or sends it.
 */

/** Controls (C0, DEL, C1), line and paragraph separators, and the bidi embeddings, overrides and isolates. */
const anyControl = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
/** The same, but for the line feed, carriage return and tab a free-text note may keep. */
const controlInNote = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/** String.prototype.isWellFormed (ES2024, in Node 20): false when the text holds a lone surrogate. */
export const isWellFormedText = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

/** True when the text holds a character no single-line field takes (see `singleLineText`). */
export const hasControlCharacters = (text: string): boolean => anyControl.test(text);

/** True when the text holds a character a note may not keep (see `multiLineNote`). */

// The checks look at the text as sent, before trimming: a control character is refused wherever
// it stands, so what is stored is what the caller meant.
const checked = (allowLineBreaks: boolean) =>
  z
    .string()
    .refine(isWellFormedText, { message: 'not well-formed Unicode (a lone UTF-16 surrogate)', abort: true })
    .refine((text) => !(allowLineBreaks ? controlInNote : anyControl).test(text), {
      message: allowLineBreaks
        ? 'no control characters (line breaks and tabs are fine)'
        : 'no control characters, line breaks or tabs',
      abort: true,
    });

/**
 * A name, street, city, description or other one-line text: well-formed, without control
 * characters or line breaks, trimmed, between `min` and `max` characters.
 */
export const singleLineText = (max: number, min = 1) => checked(false).trim().min(min).max(max);

/** Free text (a note, a reason): may keep line breaks and tabs, nothing else of the controls; trimmed. */
export const multiLineNote = (max: number) => checked(true).trim().max(max);

/**
 * An id another system made up (a bank's transaction id, a bailiff office's event id, a proposal
 * or task id): 1 to `max` characters, well-formed, no control characters and no surrounding
 * whitespace. Not trimmed: an id is compared as sent.
 */
export const wellFormedId = (max: number) =>
  checked(false)
    .min(1)
    .max(max)
    .refine((id) => id.trim() === id, { message: 'no leading or trailing whitespace' });
