import { BankFileRefused } from '../xml/bank-file-refused.js';
import { type StatementFormat } from './statement-entry.js';

export const supportedFormats: readonly StatementFormat[] = ['camt.053.001.02', 'camt.053.001.08', 'camt.054.001.02', 'camt.054.001.08'];
/** Recognised, but not read yet: a status report rejects our own direct debits, which we do not send yet. */
const recognisedNotYet = /^pain\.002\.001\.(03|10)$/;

/**
 * The format of a bank file from its root element's namespace (`urn:iso:std:iso:20022:tech:xsd:camt.053.001.02`),
 * before it is parsed: the namespace, not the file name or the Content-Type, says what it is.
 */
export function recogniseFormat(xml: string): StatementFormat {
  const root = rootElement(xml);
  if (!root) throw new BankFileRefused('malformed', 'no root element found');
  const namespace = namespaceOf(root);
  const found = isoMessageName(namespace);
  if (found && (supportedFormats as readonly string[]).includes(found)) return found as StatementFormat;
  if (found && recognisedNotYet.test(found)) throw new BankFileRefused('unsupported', `${found} (a payment status report) is not supported yet`);
  const what = found ?? (namespace ? `namespace ${JSON.stringify(namespace.slice(0, 200))}` : `root element <${root.name.slice(0, 100)}> without a namespace`);
  throw new BankFileRefused('unsupported', `${what} is not a bank file read here; send ${supportedFormats.join(', ')}`);
}

/**
 * The ISO 20022 message name of a file from its root namespace (`pain.002.001.10`), or null: lets
 * a caller route a payment status report (services/bank/status-reports) before recogniseFormat.
 */
export function isoMessageNameOf(xml: string): string | null {
  const root = rootElement(xml);
  return root ? isoMessageName(namespaceOf(root)) ?? null : null;
}

const isoMessageName = (namespace: string | null) => namespace?.match(/^urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3}\.\d{3}\.\d{2})$/)?.[1];

interface RootElement {
  readonly name: string;
  readonly prefix: string | null;
  readonly attributes: string;
}

function rootElement(xml: string): RootElement | null {
  // Skip the declaration, comments and processing instructions before the first element.
  const body = xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, '');
  const match = body.match(/<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)((?:\s[^>]*)?)\/?>/);
  return match ? { prefix: match[1] ?? null, name: match[2]!, attributes: match[3] ?? '' } : null;
}

function namespaceOf(root: RootElement): string | null {
  const attribute = root.prefix ? `xmlns:${root.prefix}` : 'xmlns';
  const match = root.attributes.match(new RegExp(`\\s${attribute.replace('.', '\\.')}\\s*=\\s*(["'])(.*?)\\1`));
  return match ? match[2]!.trim() : null;
}
