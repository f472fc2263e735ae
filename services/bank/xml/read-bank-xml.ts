import { SaxesParser } from 'saxes';
import { BankFileRefused } from './bank-file-refused.js';

/**
 * How every bank file we take in is read (camt.053/.054, pain.002): one strict streaming pass with
 * saxes, which checks well-formedness (namespaces included: an unbound prefix is an error) as it
 * goes, and builds only the elements the reader names. A file that is not well-formed is refused
 * whole with the line, column and element; a document type declaration is refused (no entity
 * expansion: that is how XXE and billion-laughs get in), and without one no entity but XML's own
 * five exists. Every value is a string, so "0010008346912014" keeps its zeros and "812.30" its cents.
 *
 * The tree has the shape the readers walk (`at`, `list`, `textAt`): an element with children is an
 * object of its children by local name; one with only text is that text; one with an attribute
 * the reader names keeps it as `@name` and its text as `#text`. Elements the reader does not name,
 * and elements of another namespace than the document's (supplementary data), are checked but not
 * built: a day statement's balances, codes and addresses cost no objects.
 *
 * Before this, the files were read with fast-xml-parser in two passes (its validator, then its
 * parser): about 3,700 camt.053 lines per CPU second. saxes alone reads the bench's file at some
 * 45,000 lines per CPU second; with this tree and the camt reader about 20,000 (bench bank-import).
 */
export interface BankXmlShape {
  /** The namespace the root element must be in (`urn:iso:std:iso:20022:tech:xsd:camt.053.001.02`). */
  readonly namespace: string;
  /** The local names of the elements the reader reads; any other element is skipped with what it holds. */
  readonly read: ReadonlySet<string>;
  /** Those that may repeat: always arrays, so one occurrence reads like many. */
  readonly repeating: ReadonlySet<string>;
  /** The attributes the reader reads (`Ccy`), kept as `@Ccy` on whichever element has them. */
  readonly attributes: readonly string[];
  /**
   * Elements handed over as each closes, built whole, instead of kept in the tree: a statement's
   * entries, each read to its lines while the rest streams past, so a file of 20,000 entries never
   * holds all their elements at once. `parent` is the enclosing element as far as it has been read
   * (its earlier children: a statement's account before its entries); `within` the names of the
   * enclosing elements (`Document/BkToCstmrStmt/Stmt`).
   */
  readonly streamed?: {
    readonly names: ReadonlySet<string>;
    each(name: string, element: XmlNode, parent: XmlNode, within: string): void;
  };
}

/** An element being built; one per depth, reused from element to element (a day statement has millions). */
interface Open {
  name: string;
  /** Its children and attributes; made when the first one comes (most elements hold only text). */
  node: XmlNode | null;
  text: string;
}

export function readBankXml(xml: string, shape: BankXmlShape): XmlNode {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const document: XmlNode = {};
  const open: Open[] = [{ name: '', node: document, text: '' }];
  let depth = 0;
  const streamed = shape.streamed;
  /** Depth inside an element that is not built (0: building). */
  let skipping = 0;
  let rootSeen = false;
  /** The element the last close tag closed: the one a wrong close tag was about, when saxes says so. */
  let lastClosed = '';

  parser.on('doctype', () => {
    throw new BankFileRefused('malformed', 'a document type declaration is not allowed in a bank file', { line: lineOf(xml, xml.indexOf('<!DOCTYPE')), element: '!DOCTYPE' });
  });
  parser.on('error', (error) => {
    const innermost = open[depth]!.name || undefined;
    const stray = strayAmpersand(xml, parser.position);
    if (stray) {
      throw new BankFileRefused('malformed', `not well-formed XML at line ${stray.line}, column ${stray.column}: an & that starts no entity reference (write &amp;)`, { line: stray.line, element: innermost });
    }
    throw new BankFileRefused('malformed', `not well-formed XML at line ${parser.line}, column ${parser.column}: ${error.message.replace(/^\d+:\d+: /, '')}`, {
      line: parser.line,
      element: elementOfError(error.message, lastClosed) ?? innermost,
    });
  });
  parser.on('opentag', (tag) => {
    if (!rootSeen) {
      rootSeen = true;
      if (tag.uri !== shape.namespace) {
        throw new BankFileRefused('unsupported', `the root element <${tag.name}> is in namespace ${JSON.stringify(tag.uri.slice(0, 200))}, not ${shape.namespace}`, { line: parser.line, element: tag.local });
      }
    }
    if (skipping > 0 || tag.uri !== shape.namespace || !shape.read.has(tag.local)) {
      // A self-closing tag gets its closetag event too, which undoes this.
      skipping++;
      return;
    }
    let node: XmlNode | null = null;
    // Only the attributes the reader reads, unprefixed (in no namespace, as ISO 20022's are).
    for (const name of shape.attributes) {
      const attribute = tag.attributes[name];
      if (attribute !== undefined) (node ??= {})[`@${name}`] = attribute.value;
    }
    const frame = open[++depth];
    if (frame) {
      frame.name = tag.local;
      frame.node = node;
      frame.text = '';
    } else {
      open.push({ name: tag.local, node, text: '' });
    }
  });
  parser.on('text', (text) => {
    if (skipping === 0) open[depth]!.text += text;
  });
  parser.on('cdata', (text) => {
    if (skipping === 0) open[depth]!.text += text;
  });
  parser.on('closetag', (tag) => {
    lastClosed = tag.local;
    if (skipping > 0) {
      skipping--;
      return;
    }
    const closed = open[depth--]!;
    const parentFrame = open[depth]!;
    let value: unknown;
    if (closed.node !== null) {
      // Whitespace between children is layout, not a value.
      if (closed.text.trim() !== '') closed.node['#text'] = closed.text;
      value = closed.node;
    } else {
      value = closed.text;
    }
    const name = closed.name;
    const parent = (parentFrame.node ??= {});
    const earlier = parent[name];
    if (streamed?.names.has(name)) {
      let within = open[1]?.name ?? '';
      for (let d = 2; d <= depth; d++) within += `/${open[d]!.name}`;
      streamed.each(name, node(value) ?? {}, parent, within);
    } else if (shape.repeating.has(name)) {
      if (earlier === undefined) parent[name] = [value];
      else (earlier as unknown[]).push(value);
    } else if (earlier === undefined) {
      parent[name] = value;
    } else {
      // Twice where the schema allows once: kept as a list, which the readers' `node` does not take
      // for one, so it reads as missing and the reader refuses the file naming the element.
      parent[name] = Array.isArray(earlier) ? [...earlier, value] : [earlier, value];
    }
    closed.node = null;
    closed.text = '';
  });
  parser.write(xml).close();
  return document;
}

/**
 * The element a well-formedness error is about: the one named in saxes's message (`unclosed tag:
 * Ntry`), or the element a wrong close tag tried to close (saxes has popped it when it says so);
 * else the caller names the innermost one being built.
 */
function elementOfError(message: string, lastClosed: string): string | undefined {
  const name = message.match(/(?:unclosed tag|unmatched closing tag): ([^\s.]+)/)?.[1] ?? (/unexpected close tag/.test(message) ? lastClosed : undefined);
  return name?.replace(/^[^:]*:/, '');
}

/**
 * An `&` in text that starts no entity reference, before where saxes noticed trouble: saxes reads
 * an entity name up to the next `;`, so a bare `&` in a name is reported lines later, or at the
 * end of the file; this names where it is instead. Only asked once a file is refused.
 */
function strayAmpersand(xml: string, before: number): { line: number; column: number } | null {
  const bare = /&(?![A-Za-z_:][\w.:-]*;|#\d+;|#x[\dA-Fa-f]+;)/g;
  for (let match = bare.exec(xml); match && match.index < before; match = bare.exec(xml)) {
    const at = match.index;
    // Inside a comment or a CDATA section an & is only a character.
    if (xml.lastIndexOf('<![CDATA[', at) > xml.lastIndexOf(']]>', at) || xml.lastIndexOf('<!--', at) > xml.lastIndexOf('-->', at)) continue;
    const lineStart = xml.lastIndexOf('\n', at) + 1;
    return { line: lineOf(xml, at), column: at - lineStart + 1 };
  }
  return null;
}

export type XmlNode = Record<string, unknown>;
export const node = (value: unknown): XmlNode | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : undefined);
export const list = (value: unknown): XmlNode[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(node).filter((n): n is XmlNode => n !== undefined);
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (let i = 0; i < path.length && current !== undefined; i++) current = node(current)?.[path[i]!];
  return current;
}
/** An element's text: a plain string, or `#text` when it has attributes; blank is null. */
export function text(value: unknown): string | null {
  const raw = typeof value === 'string' ? value : node(value)?.['#text'];
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null;
}
export const textAt = (value: unknown, ...path: string[]) => text(at(value, ...path));

/**
 * An amount as the bank wrote it (camt and pain.002 alike), checked: never a float. Euro amounts
 * are to the cent (the schema allows five decimals for other currencies); a sub-cent amount would
 * be rounded silently by the numeric(…, 2) columns and the track, so it refuses the file instead.
 * Kept as written, not normalised: a line's key is made of what the file says.
 */
export function bankAmount(value: unknown, where: string): string {
  const amount = text(value);
  if (!amount || !/^\d{1,15}(\.\d{1,2})?$/.test(amount)) throw new BankFileRefused('malformed', `${where} is ${JSON.stringify(amount)}, not a decimal amount`, { element: where });
  return amount;
}

const lineOf = (xml: string, index: number) => xml.slice(0, Math.max(index, 0)).split('\n').length;
