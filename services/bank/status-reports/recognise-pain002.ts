import { isoMessageNameOf } from '../statements/recognise-format.js';
import type { Pain002Format } from './payment-status-report.js';

export const pain002Formats: readonly Pain002Format[] = ['pain.002.001.03', 'pain.002.001.10'];

/**
 * The pain.002 version of a file from its root namespace, or null for any other file: the import
 * asks this first, and hands everything else to recogniseFormat (camt), which is unchanged.
 */
export function paymentStatusReportFormat(xml: string): Pain002Format | null {
  const name = isoMessageNameOf(xml);
  return (pain002Formats as readonly (string | null)[]).includes(name) ? (name as Pain002Format) : null;
}
