import type { DebitOutcome } from '../../../shared/direct-debit/debit-outcome.js';

/**
 * What the bank import needs of the engine for our own direct debits: the outcome signalled to
 * the occupancy's advance account (`advanceAccountWorkflowId`, signal `debitOutcomeSignalName`).
 * Answers false when no account runs under that id (it takes the outcome from nobody then).
 */
export interface DebitOutcomeSignals {
  signalDebitOutcome(workflowId: string, outcome: DebitOutcome): Promise<boolean>;
}
