import type { PaymentMatchRule } from '../../../shared/bank/bank-entry.js';
import { isValidBetalingskenmerk } from '../../../shared/bank/betalingskenmerk.js';
import { isValidRfReference, normaliseRf, rfBody, rfReferencesInText } from '../../../shared/bank/rf-reference.js';
import type { StatementLine } from '../statements/statement-entry.js';

/** Which rule tied a bank line to a case; stored with the line. */
export type MatchRule = PaymentMatchRule;

/** What matching may ask of the corporation's cases. */
export interface CaseLookup {
  /** The case a betalingskenmerk we issued belongs to. */
  caseOfReference(reference: string): Promise<string | null>;
  /** The open cases whose debtor pays from this IBAN. */
  openCasesOfIban(iban: string): Promise<readonly string[]>;
}

export interface Match {
  readonly caseId: string;
  readonly rule: MatchRule;
  readonly reference: string | null;
}

/** 16 digits, grouped in fours by spaces or dots as people type it: `5000 0567 8901 2345`. */
const typedKenmerk = /(?<!\d)(\d{4}[ .]?\d{4}[ .]?\d{4}[ .]?\d{4})(?!\d)/g;

/** The betalingskenmerken typed in free text, check digit valid, in order. */
export function kenmerkenInText(lines: readonly string[]): string[] {
  const found = lines.flatMap((line) => [...line.matchAll(typedKenmerk)].map((m) => m[1]!.replace(/[ .]/g, '')));
  return [...new Set(found.filter(isValidBetalingskenmerk))];
}

/**
 * What a reference may be looked up as: a betalingskenmerk as it is; an RF reference as itself (one
 * issued as RF and stored so), then, when its body is one of our betalingskenmerken, as that
 * kenmerk (a payer whose bank only offers ISO 11649 wraps ours in RF). Anything else: nothing.
 */
export function referenceKeys(reference: string): string[] {
  const compact = reference.replace(/\s/g, '');
  if (isValidBetalingskenmerk(compact)) return [compact];
  if (!isValidRfReference(compact)) return [];
  const body = rfBody(compact)!;
  return isValidBetalingskenmerk(body) ? [normaliseRf(compact), body] : [normaliseRf(compact)];
}

async function caseOfAnyKey(reference: string, cases: CaseLookup): Promise<{ caseId: string; reference: string } | null> {
  for (const key of referenceKeys(reference)) {
    const caseId = await cases.caseOfReference(key);
    if (caseId) return { caseId, reference: key };
  }
  return null;
}

/**
 * The case a bank line pays, by the first rule that finds exactly one: the structured creditor
 * reference (a betalingskenmerk, issuer CUR, or an ISO 11649 RF reference, issuer ISO: the shape
 * decides, as some banks leave the issuer out), a betalingskenmerk or RF reference in the free
 * text, then the debtor's IBAN when it belongs to one open case only. (Before these, the import
 * recognises our own direct debits by their end-to-end id, and a payment link's payout by the
 * provider's payment id: services/bank/matching/link-settlement.ts.) An IBAN shared by two open
 * cases is not guessed: the line goes to the worklist.
 */
export async function matchLine(line: StatementLine, cases: CaseLookup): Promise<Match | null> {
  const structured = line.structuredRef ? await caseOfAnyKey(line.structuredRef.ref, cases) : null;
  if (structured) return { ...structured, rule: 'structured_reference' };
  for (const typed of [...kenmerkenInText(line.freeText), ...rfReferencesInText(line.freeText)]) {
    const found = await caseOfAnyKey(typed, cases);
    if (found) return { ...found, rule: 'text_reference' };
  }
  if (line.counterIban) {
    const open = await cases.openCasesOfIban(line.counterIban);
    if (open.length === 1) return { caseId: open[0]!, rule: 'debtor_iban', reference: null };
  }
  return null;
}
