import { patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { today } from '../workflow-clock.js';

/**
 * A batch is one database transaction per case; a few minutes is ample, and a failed batch retries
 * (each case is anonymised at most once: the activity re-checks under the case's lock).
 */
const { anonymiseDueCases, anonymiseDueBankEntries, recordRetentionRun } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export interface RetentionInput {
  /** Cases per activity call. */
  readonly batchSize?: number;
}

export interface RetentionResult {
  readonly ranOn: string;
  readonly anonymised: number;
  /** Bank lines of no case scrubbed after their period (runs before the bank-entry patch: absent). */
  readonly bankEntries?: number;
}

/** At most this many batches a day; what is left is due again tomorrow. */
const maxBatches = 1_000;

/**
 * The retention job (AVG art. 5(1)(e)), started daily by the `retention-daily` Schedule
 * (worker/retention-schedule.ts): anonymises the personal data of the cases whose corporation's
 * retention period has ended. Its history holds only dates and counts.
 */
export async function retention(input: RetentionInput = {}): Promise<RetentionResult> {
  // The workflow's clock: the same day on replay, and the simulated day in simulation.
  const ranOn = today();
  const batchSize = input.batchSize ?? 200;
  let anonymised = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const result = await anonymiseDueCases({ today: ranOn, batchSize });
    anonymised += result.anonymised;
    // No progress means the rest is held by other transactions: tomorrow's run takes it.
    if (!result.more || result.anonymised === 0) break;
  }
  // Bank lines booked to no case have no closing day: their period runs from their booking date.
  let bankEntries: number | undefined;
  if (patched('retention-bank-entries')) {
    bankEntries = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const result = await anonymiseDueBankEntries({ today: ranOn, batchSize });
      bankEntries += result.anonymised;
      if (!result.more || result.anonymised === 0) break;
    }
  }
  const { workflowId, runId } = workflowInfo();
  await recordRetentionRun({ runKey: `${workflowId}/${runId}`, ranOn, anonymised });
  return bankEntries === undefined ? { ranOn, anonymised } : { ranOn, anonymised, bankEntries };
}
