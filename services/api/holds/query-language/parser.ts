import { isIsoDate } from '../../../../shared/calendar/iso-date.js';
import { holdQueryAttributes, type QueryAttribute } from './query-attributes.js';
import { HoldQueryError } from './query-error.js';
import { comparisonOperators, type ComparisonOperator, type HoldQueryNode } from './query-node.js';
import { tokenize, type Token } from './tokenizer.js';

// ---------------------------------------------------------------------------------------------
// The operator's extra filter: a small grammar over the project's search attributes.
//
// The free `query` of a hold is never passed on as text. It is parsed into comparisons of the
// track search attributes (query-attributes.ts: CorporationId excepted, the hold names the
// corporation) with literal values checked per attribute, and the visibility query Temporal gets
// is rebuilt from that tree (formatter.ts). Anything else (other attributes, functions, quotes inside values,
// comments, unbalanced parentheses) is refused with a 400, so nothing an operator types can widen
// the hold beyond its corporation.
//
//   query      := or
//   or         := and ( OR and )*
//   and        := term ( AND term )*
//   term       := '(' or ')' | comparison
//   comparison := Attribute ( '=' | '!=' | '<' | '<=' | '>' | '>=' ) value
//               | Attribute [NOT] IN '(' value ( ',' value )* ')'
//               | Attribute IS [NOT] NULL
//   value      := 'keyword' | "keyword" | integer | 'YYYY-MM-DD' | 'YYYY-MM-DDTHH:MM:SSZ'
//
// Keywords match [A-Za-z0-9._-]{1,80}; CollectionStage, DebtorSegment and ParkedReason must be one
// of the project's stages, segments and exception kinds. Keyword attributes take = != IN and
// IS NULL; OutstandingCents and NextDeadline also the ordering operators. A date is the start of
// that day in UTC, as Temporal's Datetime comparisons need an instant.
// ---------------------------------------------------------------------------------------------

export const maxQueryLength = 500;
const maxComparisons = 20;
const maxDepth = 4;
const maxInValues = 20;
const keywordPattern = /^[A-Za-z0-9._-]{1,80}$/;
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
/** isIsoDate without its type guard (an IsoDate is a string: the guard would narrow the rest to never). */
const isDate = (value: string): boolean => isIsoDate(value);
const reservedWords = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL']);

class HoldQueryParser {
  private position = 0;
  private comparisons = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): HoldQueryNode {
    const node = this.or(0);
    const next = this.peek();
    if (next.kind !== 'end') throw this.unexpected(next, 'AND, OR or the end of the query');
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position]!;
  }

  private take(): Token {
    return this.tokens[this.position++]!;
  }

  private isWord(token: Token, word: string): boolean {
    return token.kind === 'word' && token.text.toUpperCase() === word;
  }

  private expectWord(word: string): void {
    const token = this.take();
    if (!this.isWord(token, word)) throw this.unexpected(token, word);
  }

  private expectSymbol(symbol: string): void {
    const token = this.take();
    if (token.kind !== 'symbol' || token.text !== symbol) throw this.unexpected(token, `"${symbol}"`);
  }

  private unexpected(token: Token, expected: string): HoldQueryError {
    const found = token.kind === 'end' ? 'the end of the query' : JSON.stringify(token.text);
    return new HoldQueryError(`expected ${expected} at position ${token.at + 1}, found ${found}`);
  }

  private or(depth: number): HoldQueryNode {
    const items = [this.and(depth)];
    while (this.isWord(this.peek(), 'OR')) {
      this.take();
      items.push(this.and(depth));
    }
    return items.length === 1 ? items[0]! : { type: 'or', items };
  }

  private and(depth: number): HoldQueryNode {
    const items = [this.term(depth)];
    while (this.isWord(this.peek(), 'AND')) {
      this.take();
      items.push(this.term(depth));
    }
    return items.length === 1 ? items[0]! : { type: 'and', items };
  }

  private term(depth: number): HoldQueryNode {
    const token = this.peek();
    if (token.kind === 'symbol' && token.text === '(') {
      if (depth >= maxDepth) throw new HoldQueryError(`parentheses nest deeper than ${maxDepth} levels at position ${token.at + 1}`);
      this.take();
      const inner = this.or(depth + 1);
      this.expectSymbol(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): HoldQueryNode {
    const name = this.take();
    if (name.kind !== 'word' || reservedWords.has(name.text.toUpperCase())) throw this.unexpected(name, 'a search attribute');
    const attribute = holdQueryAttributes[name.text];
    if (!attribute) {
      throw new HoldQueryError(
        `${name.text} at position ${name.at + 1} is not a search attribute a hold may filter on (${Object.keys(holdQueryAttributes).join(', ')})`,
      );
    }
    if (++this.comparisons > maxComparisons) throw new HoldQueryError(`more than ${maxComparisons} comparisons`);

    const next = this.take();
    if (this.isWord(next, 'IS')) {
      const negated = this.isWord(this.peek(), 'NOT');
      if (negated) this.take();
      this.expectWord('NULL');
      return { type: 'null', attribute: name.text, negated };
    }
    if (this.isWord(next, 'IN') || this.isWord(next, 'NOT')) {
      const negated = this.isWord(next, 'NOT');
      if (negated) this.expectWord('IN');
      if (attribute.kind !== 'keyword') throw new HoldQueryError(`${name.text} takes no IN list (position ${next.at + 1})`);
      this.expectSymbol('(');
      const values = [this.value(name.text, attribute)];
      for (;;) {
        const separator = this.take();
        if (separator.kind === 'symbol' && separator.text === ')') break;
        if (separator.kind !== 'symbol' || separator.text !== ',') throw this.unexpected(separator, '"," or ")"');
        values.push(this.value(name.text, attribute));
        if (values.length > maxInValues) throw new HoldQueryError(`an IN list holds at most ${maxInValues} values`);
      }
      return { type: 'in', attribute: name.text, negated, values };
    }
    if (next.kind !== 'symbol' || !(comparisonOperators as readonly string[]).includes(next.text)) {
      throw this.unexpected(next, 'an operator (= != < <= > >= IN, IS NULL)');
    }
    const operator = next.text as ComparisonOperator;
    if (attribute.kind === 'keyword' && operator !== '=' && operator !== '!=') {
      throw new HoldQueryError(`${name.text} is compared with = or != only (position ${next.at + 1})`);
    }
    return { type: 'compare', attribute: name.text, operator, value: this.value(name.text, attribute) };
  }

  /** A literal, checked for its attribute and returned in the form the visibility query needs. */
  private value(name: string, attribute: QueryAttribute): string {
    const token = this.take();
    const where = `position ${token.at + 1}`;
    switch (attribute.kind) {
      case 'int': {
        if (token.kind !== 'number') throw this.unexpected(token, `a whole number for ${name}`);
        const value = Number(token.text);
        if (!Number.isSafeInteger(value)) throw new HoldQueryError(`${token.text} at ${where} is out of range`);
        return String(value);
      }
      case 'datetime': {
        if (token.kind !== 'string') throw this.unexpected(token, `a quoted date for ${name}`);
        const text: string = token.text;
        if (isDate(text)) return `'${text}T00:00:00Z'`;
        if (instantPattern.test(text) && isDate(text.slice(0, 10)) && !Number.isNaN(Date.parse(text))) return `'${text}'`;
        throw new HoldQueryError(`${JSON.stringify(text)} at ${where} is not a date (YYYY-MM-DD) or a UTC instant (YYYY-MM-DDTHH:MM:SSZ)`);
      }
      case 'keyword': {
        if (token.kind !== 'string') throw this.unexpected(token, `a quoted value for ${name}`);
        if (!keywordPattern.test(token.text)) throw new HoldQueryError(`${JSON.stringify(token.text)} at ${where} is not a valid value (letters, digits, . _ - only)`);
        if (attribute.values && !attribute.values.includes(token.text)) {
          throw new HoldQueryError(`${JSON.stringify(token.text)} at ${where} is not a ${name} (${attribute.values.join(', ')})`);
        }
        return `'${token.text}'`;
      }
    }
  }
}

export function parseHoldQuery(text: string): HoldQueryNode {
  if (text.length > maxQueryLength) throw new HoldQueryError(`longer than ${maxQueryLength} characters`);
  return new HoldQueryParser(tokenize(text)).parse();
}
