import { parseCamt } from './camt-entries.js';
import { recogniseFormat } from './recognise-format.js';
import type { ParsedStatement } from './statement-entry.js';

/** A bank file read whole, or refused whole (BankFileRefused): nothing is stored before this succeeds. */
export function parseStatement(xml: string): ParsedStatement {
  return parseCamt(xml, recogniseFormat(xml));
}
