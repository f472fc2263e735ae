/**
 * What the bank says became of one of our direct debits, and how it reaches the occupancy's
 * advance account. The bank import (pain.002, camt.053/.054) finds the debit by its end-to-end id
 * in `direct_debit` and signals the account; the account decides whether to retry or to hand the
 * advance to the collection track. Ids, amounts, dates and codes only: this crosses the history.
 */
export type DebitOutcomeKind =
  /** pain.002: refused before settlement (technical, or by the debtor's bank). */
  | 'rejected'
  /** camt: returned by the debtor's bank after settlement (AM04, AC04…). */
  | 'returned'
  /** camt: refunded at the occupant's request (MD06 within 8 weeks, MD01 within 13 months). */
  | 'refunded';

export interface DebitOutcome {
  readonly endToEndId: string;
  readonly kind: DebitOutcomeKind;
  /** The ISO 20022 reason code (AM04, MD06, AC04…); null when the bank gave none. */
  readonly reasonCode: string | null;
  /** The booking date of the return, or the day the status report was read. */
  readonly on: string;
  readonly amount: string;
  readonly source: 'pain.002' | 'camt.053' | 'camt.054';
}

export const debitOutcomeSignalName = 'debitOutcome';

/** An advance that stays unpaid, handed to the huurincasso track of the occupancy's contract. */
export interface UnpaidAdvanceClaim {
  readonly corporationId: string;
  readonly occupancyId: string;
  /** `YYYY-MM`: which month's advance. */
  readonly month: string;
  readonly amount: string;
  /** The collection date the advance was due on. */
  readonly dueDate: string;
  readonly reasonCode: string | null;
}

/** The claim's invoice reference on the track: stable, so a repeat hand-over adds nothing. */
export function unpaidAdvanceInvoiceRef(occupancyId: string, month: string): string {
  return `advance-${occupancyId}-${month}`;
}

export function advanceAccountWorkflowId(corporationId: string, occupancyId: string): string {
  return `advance/${corporationId}/${occupancyId}`;
}

export function collectionRunsWorkflowId(creditorId: string): string {
  return `collection-runs/${creditorId}`;
}
