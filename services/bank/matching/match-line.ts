import { isValidBetalingskenmerk } from '../../../shared/bank/betalingskenmerk.js';
import type { StatementLine } from '../statements/statement-entry.js';

/** Which rule tied a bank line to a case; stored with the line. */
export type MatchRule = 'structured_reference' | 'text_reference' | 'debtor_iban' | 'manual';

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
 * The case a bank line pays, by the first rule that finds exactly one: the structured creditor
 * reference, a betalingskenmerk in the free text, then the debtor's IBAN when it belongs to one
 * open case only. (Our own end-to-end ids come first once we send direct debits.) An IBAN shared
 * by two open cases is not guessed: the line goes to the worklist.
 */
export async function matchLine(line: StatementLine, cases: CaseLookup): Promise<Match | null> {
  const structured = line.structuredRef?.ref.replace(/\s/g, '');
  if (structured && isValidBetalingskenmerk(structured)) {
    const caseId = await cases.caseOfReference(structured);
    if (caseId) return { caseId, rule: 'structured_reference', reference: structured };
  }
  for (const reference of kenmerkenInText(line.freeText)) {
    const caseId = await cases.caseOfReference(reference);
    if (caseId) return { caseId, rule: 'text_reference', reference };
  }
  if (line.counterIban) {
    const open = await cases.openCasesOfIban(line.counterIban);
    if (open.length === 1) return { caseId: open[0]!, rule: 'debtor_iban', reference: null };
  }
  return null;
}
