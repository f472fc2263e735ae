import { HoldQueryError } from './query-error.js';

export type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly text: string; readonly at: number }
  | { readonly kind: 'number'; readonly text: string; readonly at: number }
  | { readonly kind: 'symbol'; readonly text: string; readonly at: number }
  | { readonly kind: 'end'; readonly text: ''; readonly at: number };

/** The query's tokens, ending in an `end` token; `at` is the 0-based position in the text. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const symbol = /^(<=|>=|!=|=|<|>|\(|\)|,)/.exec(rest);
    if (symbol) {
      tokens.push({ kind: 'symbol', text: symbol[1]!, at: i });
      i += symbol[1]!.length;
      continue;
    }
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, i + 1);
      if (end < 0) throw new HoldQueryError(`unterminated quoted value at position ${i + 1}`);
      tokens.push({ kind: 'string', text: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const number = /^-?\d+/.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (word) {
      tokens.push({ kind: 'word', text: word[0], at: i });
      i += word[0].length;
      continue;
    }
    throw new HoldQueryError(`unexpected ${JSON.stringify(char)} at position ${i + 1}`);
  }
  tokens.push({ kind: 'end', text: '', at: text.length });
  return tokens;
}
