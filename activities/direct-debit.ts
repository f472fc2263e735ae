import { heartbeat } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { debitResultOf } from '../infra/db/direct-debit/debit-result.js';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/db/database.js';
import { collectionSchedule } from '../infra/db/direct-debit/creditor-store.js';
import { bookRetry, planCollectionMonth, type MonthPlan } from '../infra/db/direct-debit/run-planning.js';
import type { RunDates } from '../shared/direct-debit/collection-calendar.js';
import { debitSubmittedSignal, debitWithheldSignal, type AttemptStatus, type LaterRun } from '../shared/direct-debit/advance-account-messages.js';
import { advanceAccountWorkflowId } from '../shared/direct-debit/debit-outcome.js';
import type { RunDebitResult, RunFileResult } from '../shared/direct-debit/run-file-result.js';
import { money } from '../shared/money.js';
import { callService, type ServiceEndpoint } from './service-client.js';

export type { MonthPlan, RunFileResult };

/**
 * The collection service's side effects: planning a month's runs (Postgres), the pre-notices (the
 * letter service), the run's file (the bank service, which builds, validates and drops it) and the
 * fate of each debit. Each is keyed by creditor and month, run, or end-to-end id, so a retried
 * activity plans, notifies and submits nothing twice.
 */
export function createDirectDebitActivities(db: Kysely<Database>, letters: ServiceEndpoint, bank: ServiceEndpoint, client?: Client) {
  /** The run's debits after `after` (end-to-end id order), ids, amounts and dates only. */
  const runDebitsPage = async (request: { runId: string; after: string | null; limit: number }): Promise<RunDebitResult[]> => {
    let query = db
      .selectFrom('direct_debit')
      .select(['occupancy_id', 'end_to_end_id', 'month', 'attempt', 'amount', 'collection_date', 'amendment', 'withheld_reason', 'status'])
      .where('run_id', '=', request.runId)
      .where('status', '<>', 'planned')
      .orderBy('end_to_end_id')
      .limit(request.limit);
    if (request.after !== null) query = query.where('end_to_end_id', '>', request.after);
    return (await query.execute()).map(debitResultOf);
  };

  return {
    async loadCollectionSchedule(creditorId: string) {
      return collectionSchedule(db, creditorId);
    },

    async planCollectionMonth(request: { creditorId: string; month: string; runs: readonly RunDates[] }): Promise<MonthPlan> {
      return planCollectionMonth(db, request.creditorId, request.month, request.runs);
    },

    /** One notice per planned debit of the month; answers how many went out (repeats included). */
    async sendPrenotices(request: { creditorId: string; month: string; postedOn: string; retryDate: string | null }): Promise<{ notices: number }> {
      const debits = await db
        .selectFrom('direct_debit')
        .select(['occupancy_id', 'amount', 'collection_date'])
        .where('creditor_id', '=', request.creditorId)
        .where('month', '=', request.month)
        .where('attempt', '=', 1)
        .where('status', '=', 'planned')
        // Those already notified are skipped: a retry after a timeout goes on where it stopped.
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('direct_debit_prenotice as p').select('p.month').whereRef('p.occupancy_id', '=', 'direct_debit.occupancy_id').whereRef('p.month', '=', 'direct_debit.month'))),
        )
        .execute();
      for (const debit of debits) {
        heartbeat();
        await callService(letters, '/direct-debit-prenotices', {
          occupancyId: debit.occupancy_id,
          month: request.month,
          amount: debit.amount,
          collectionDate: debit.collection_date,
          retryDate: request.retryDate !== null && request.retryDate > debit.collection_date ? request.retryDate : null,
          postedOn: request.postedOn,
        });
      }
      await db.updateTable('direct_debit_run').set({ status: 'prenotified' }).where('creditor_id', '=', request.creditorId).where('month', '=', request.month).where('status', '=', 'planned').execute();
      return { notices: debits.length };
    },

    /**
     * Has the bank service build, validate, store and drop the run's pain.008. Answers the run's
     * figures only (count, total, message id): the debits themselves are read in pages, as a run
     * of 10,000 would not fit in one payload of the workflow's history.
     */
    async submitCollectionRun(runId: string): Promise<RunFileResult> {
      return callService<RunFileResult>(bank, `/direct-debit/runs/${encodeURIComponent(runId)}/file`, {}, { timeoutMs: 9 * 60_000 });
    },

    /** Kept for runs of the collection-runs workflow started before its debits were told from an activity. */
    runDebitsPage,

    /**
     * One page of a run's debits told to their advance accounts, read from Postgres and signalled
     * from here rather than from the runs workflow: a run of 10,000 signalled there would be
     * 20,000 events and every page's list in its history; here it is three events a page. Answers
     * where the next page starts (null: this was the last). A retried page tells its debits again,
     * which changes nothing: an account applies a debit once per end-to-end id.
     */
    async tellAccountsPage(request: { runId: string; corporationId: string; after: string | null; limit: number; laterRuns: readonly LaterRun[] }): Promise<{ told: number; missed: number; next: string | null }> {
      if (!client) throw ApplicationFailure.nonRetryable('the direct-debit activities were created without a Temporal client', 'NoTemporalClient');
      const page = await runDebitsPage(request);
      let missed = 0;
      // Fifty at a time: enough to keep the server busy, few enough not to swamp it.
      for (let i = 0; i < page.length; i += 50) {
        heartbeat();
        const outcomes = await Promise.allSettled(page.slice(i, i + 50).map((d) => tell(client, request.corporationId, request.runId, d, request.laterRuns)));
        for (const outcome of outcomes) {
          if (outcome.status === 'fulfilled') continue;
          // An account that is not running (an occupancy stored before its workflow could start)
          // misses the message; Postgres still holds the debit and the GET shows it from there.
          if (outcome.reason instanceof WorkflowNotFoundError) missed += 1;
          else throw outcome.reason;
        }
      }
      return { told: page.length - missed, missed, next: page.length < request.limit ? null : page.at(-1)!.endToEndId };
    },

    async bookDebitRetry(request: { occupancyId: string; month: string; attempt: number; runId: string }) {
      const booked = await bookRetry(db, request);
      if (!booked) throw ApplicationFailure.nonRetryable(`run ${request.runId} has already been submitted`, 'RetryTooLate');
      return booked;
    },

    /** What became of a debit, as its account decided; a later fate (a refund after collection) overwrites. */
    async recordDebitFate(request: { endToEndId: string; status: AttemptStatus; reasonCode: string | null }): Promise<void> {
      await db.updateTable('direct_debit').set({ status: request.status, reason_code: request.reasonCode }).where('end_to_end_id', '=', request.endToEndId).execute();
    },
  };
}

/** What of its month went to the bank, or was withheld, to one advance account. */
function tell(client: Client, corporationId: string, runId: string, d: RunDebitResult, laterRuns: readonly LaterRun[]): Promise<void> {
  const account = client.workflow.getHandle(advanceAccountWorkflowId(corporationId, d.occupancyId));
  const debit = { endToEndId: d.endToEndId, runId, month: d.month, attempt: d.attempt, amount: d.amount, collectionDate: d.collectionDate };
  return d.withheldReason === null
    ? account.signal(debitSubmittedSignal, { ...debit, amendment: d.amendment, laterRuns })
    : account.signal(debitWithheldSignal, { ...debit, reason: d.withheldReason });
}
