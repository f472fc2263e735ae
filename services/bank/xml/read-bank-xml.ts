import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { StatementRefused } from '../statements/statement-entry.js';

/**
 * How every bank file we take in is read (camt.053/.054, pain.002): well-formed or refused whole
 * with the line and element, no document type (no entity expansion: that is how XXE and
 * billion-laughs get in), and every value a string, so "0010008346912014" keeps its zeros and
 * "812.30" its cents. `alwaysArray` names the elements that may repeat, so one reads like many.
 */
export function readBankXml(xml: string, alwaysArray: ReadonlySet<string>): Record<string, unknown> {
  if (/<!DOCTYPE/i.test(xml)) throw new StatementRefused('malformed', 'a document type declaration is not allowed in a bank file', { line: lineOf(xml, xml.search(/<!DOCTYPE/i)), element: '!DOCTYPE' });
  const valid = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (valid !== true) {
    throw new StatementRefused('malformed', `not well-formed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`, {
      line: valid.err.line,
      // The element the validator's message names ("Expected closing tag 'Amt' …").
      element: valid.err.msg.match(/'([^']+)'/)?.[1],
    });
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    removeNSPrefix: true,
    processEntities: false,
    isArray: (name) => alwaysArray.has(name),
    // The callbacks get the path matcher, not its text: building that string for every element was a fifth of the parse.
    jPath: false,
  });
  return parser.parse(xml) as Record<string, unknown>;
}

export type XmlNode = Record<string, unknown>;
export const node = (value: unknown): XmlNode | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : undefined);
export const list = (value: unknown): XmlNode[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(node).filter((n): n is XmlNode => n !== undefined);
export const at = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((current, key) => node(current)?.[key], value);
/** An element's text: a plain string, or `#text` when it has attributes; blank is null. */
export function text(value: unknown): string | null {
  const raw = typeof value === 'string' ? value : node(value)?.['#text'];
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null;
}
export const textAt = (value: unknown, ...path: string[]) => text(at(value, ...path));

const lineOf = (xml: string, index: number) => xml.slice(0, Math.max(index, 0)).split('\n').length;
