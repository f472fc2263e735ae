import type { DirectDebitStatus } from '../../../infra/db/direct-debit-tables.js';
import type { DebitOutcomeKind } from '../../../shared/direct-debit/debit-outcome.js';

/**
 * The occupant's refund right (interfaces.md §1.5): MD06 within 8 weeks of the debit, MD01 within
 * 13 months for a debit without a valid mandate. Every other code on a returned debit is a return
 * by the occupant's bank (AM04 no funds, AC04 account closed, MS02 refused…).
 */
const refundReasons = new Set(['MD06', 'MD01']);

export function returnKind(reasonCode: string | null): 'returned' | 'refunded' {
  return reasonCode !== null && refundReasons.has(reasonCode) ? 'refunded' : 'returned';
}

/**
 * Which statuses an outcome may follow. A reject comes before settlement (the debit may already
 * show as collected when the report is read late); a return or refund needs a debit that went to
 * the bank. What a debit already is counts as a repeat: the same report or file again.
 */
const follows: Record<DebitOutcomeKind, { readonly from: readonly DirectDebitStatus[]; readonly repeats: readonly DirectDebitStatus[] }> = {
  rejected: { from: ['planned', 'submitted', 'collected'], repeats: ['rejected'] },
  returned: { from: ['planned', 'submitted', 'collected'], repeats: ['returned', 'refunded'] },
  refunded: { from: ['planned', 'submitted', 'collected'], repeats: ['refunded'] },
};

export type OutcomeFit = 'new' | 'repeat' | 'does_not_fit';

export function outcomeFit(status: DirectDebitStatus, kind: DebitOutcomeKind): OutcomeFit {
  const rule = follows[kind];
  if (rule.repeats.includes(status)) return 'repeat';
  return rule.from.includes(status) ? 'new' : 'does_not_fit';
}

export const statusesAnOutcomeFollows = (kind: DebitOutcomeKind) => follows[kind].from;

/**
 * The sequence type a `PmtInfId` names, when it names one (`<MsgId>-FRST`): a run holds one
 * batch per sequence type, and a batch rejected whole rejects only its own debits.
 */
export function sequenceTypeOfBatch(paymentInfoId: string): string | null {
  return paymentInfoId.split(/[^A-Za-z0-9]+/).find((token) => ['FRST', 'RCUR', 'OOFF', 'FNAL'].includes(token.toUpperCase()))?.toUpperCase() ?? null;
}
