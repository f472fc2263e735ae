/**
 * What the bank service answers when a run's file is made: what became of each debit of the run.
 * Ids, amounts and dates only, as it enters the collection-runs workflow's history.
 */
export interface RunDebitResult {
  readonly occupancyId: string;
  readonly endToEndId: string;
  readonly month: string;
  readonly attempt: number;
  readonly amount: string;
  readonly collectionDate: string;
  readonly amendment: boolean;
  readonly withheldReason: string | null;
}

export interface RunFileResult {
  readonly runId: string;
  readonly status: 'submitted' | 'empty';
  readonly messageId: string;
  readonly count: number;
  readonly total: string;
  readonly submitted: readonly RunDebitResult[];
  readonly withheld: readonly RunDebitResult[];
}
