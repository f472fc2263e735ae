import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { debitOutcomeSignalName, type DebitOutcome } from './debit-outcome.js';

/**
 * The message contract of the two direct-debit workflows, shared by the workflows, the activities
 * and the API (which never imports workflow code). Ids, amounts, dates and codes only.
 */
export interface AdvanceAccountInput {
  readonly corporationId: string;
  readonly occupancyId: string;
  readonly creditorId: string;
  /** The state a previous run handed over at continue-as-new. */
  readonly carried?: AdvanceAccountSnapshot;
}

export interface CollectionRunsInput {
  readonly creditorId: string;
  readonly corporationId: string;
  /** `YYYY-MM`: the month this run of the workflow plans; absent: the first it can still announce. */
  readonly month?: string;
  /** Debits told to their accounts per activity (default 1,000); a test sets a few to see the paging. */
  readonly pageSize?: number;
}

/** A later run of the same month: where a failed debit can be tried once more. */
export interface LaterRun {
  readonly runId: string;
  readonly collectionDate: string;
  readonly submitBy: string;
}

/** A debit went to the bank in a run's file. */
export interface DebitSubmitted {
  readonly endToEndId: string;
  readonly runId: string;
  readonly month: string;
  readonly attempt: number;
  readonly amount: string;
  readonly collectionDate: string;
  /** The debit carries a mandate amendment (AmdmntInd true). */
  readonly amendment: boolean;
  readonly laterRuns: readonly LaterRun[];
}

/** A debit was kept back over a bank limit; an operator task says why. */
export interface DebitWithheld {
  readonly endToEndId: string;
  readonly runId: string;
  readonly month: string;
  readonly attempt: number;
  readonly amount: string;
  readonly collectionDate: string;
  readonly reason: string;
}

export type AttemptStatus = 'submitted' | 'collected' | 'rejected' | 'returned' | 'refunded' | 'withheld';

export interface AdvanceAttempt {
  readonly attempt: number;
  readonly endToEndId: string;
  readonly runId: string;
  readonly collectionDate: string;
  readonly amount: string;
  readonly status: AttemptStatus;
  readonly reasonCode: string | null;
  readonly amendment: boolean;
}

/** One month's advance as the account knows it. */
export interface AdvanceMonth {
  readonly month: string;
  readonly amount: string;
  readonly attempts: readonly AdvanceAttempt[];
  /** A retry is booked in a later run of the month. */
  readonly retryRunId: string | null;
  /** The day the unpaid advance went to the collection track; null while it has not. */
  readonly handedOverOn: string | null;
  /** The day it was paid another way, as an operator recorded it; absent or null while it was not. */
  readonly paidOtherwiseOn?: string | null;
}

/** An operator recorded a month's advance as paid another way (the reference stays in Postgres). */
export interface AdvancePaidOtherwise {
  readonly month: string;
  readonly amount: string;
  readonly paidOn: string;
}

/** Whether the month had gone to the collection track before: then the payment is booked there. */
export interface AdvancePaidOtherwiseResult {
  readonly handedToTrack: boolean;
}

export interface AdvanceAccountSnapshot {
  readonly months: readonly AdvanceMonth[];
  /** `endToEndId/kind` of every outcome already applied: a repeated bank file changes nothing. */
  readonly seenOutcomes: readonly string[];
}

export const debitSubmittedSignal = defineSignal<[DebitSubmitted]>('debitSubmitted');
export const debitWithheldSignal = defineSignal<[DebitWithheld]>('debitWithheld');
export const debitOutcomeSignal = defineSignal<[DebitOutcome]>(debitOutcomeSignalName);
export const advanceMonthsQuery = defineQuery<AdvanceMonth[]>('advanceMonths');
export const advancePaidOtherwiseUpdate = defineUpdate<AdvancePaidOtherwiseResult, [AdvancePaidOtherwise]>('advancePaidOtherwise');

/** SDD Core: the unconditional refund right (MD06) runs 8 weeks after the debit. */
export const refundWindowDays = 56;
/** An unauthorised debit (MD01) can be refunded for 13 months: the account keeps a month that long. */
export const unauthorisedRefundMonths = 13;
