/**
 * One debit of a run as the runs workflow's activities read it from Postgres, page by page: ids,
 * amounts and dates only.
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

/**
 * What the bank service answers when a run's file is made: the run's figures only. Its debits are
 * not listed: a run of 10,000 would be megabytes in the workflow's history for a list it reads in
 * pages from Postgres anyway.
 */
export interface RunFileResult {
  readonly runId: string;
  readonly status: 'submitted' | 'empty';
  readonly messageId: string;
  /** Debits in the file (withheld ones are not). */
  readonly count: number;
  readonly total: string;
  /** Debits of the run kept back over a bank limit (each has an operator task). */
  readonly withheld: number;
}
