import { continueAsNew, getExternalWorkflowHandle, log, patched, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { amsterdamInstant } from '../../shared/calendar/amsterdam-clock.js';
import { debitSubmittedSignal, debitWithheldSignal, type CollectionRunsInput, type LaterRun } from '../../shared/direct-debit/advance-account-messages.js';
import { firstMonthToAnnounce, monthCalendar, nextMonth, type RunDates } from '../../shared/direct-debit/collection-calendar.js';
import { advanceAccountWorkflowId } from '../../shared/direct-debit/debit-outcome.js';
import { directDebitRunId } from '../../shared/direct-debit/direct-debit-ids.js';
import type { RunDebitResult } from '../../shared/direct-debit/run-file-result.js';
import { serviceActivities } from '../activity-proxies.js';
import { today } from '../workflow-clock.js';

const { loadCollectionSchedule, runDebitsPage } = serviceActivities;
/** Debits per page: a page is one activity, three events, whatever its size; the input may set another. */
const defaultPageSize = 1000;
/** A page of a thousand signals takes a while; the heartbeat says the activity is alive. */
const { tellAccountsPage } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
/**
 * Before this patch the workflow read each page of a run's debits (ids, amounts, dates: some 150 kB
 * a thousand) into its history and signalled every account itself (two events a debit): a run of
 * 10,000 was over 20,000 events. Now an activity reads and signals a page; the history holds a cursor.
 */
const tellFromActivity = 'collection-runs-tell-accounts-from-activity';
/**
 * A month of a large creditor is thousands of debits: planning, notices and the file (built and
 * checked against the XSD) take minutes, not seconds. Each is keyed, so a retry goes on where the
 * last attempt stopped or answers what it made.
 */
const { planCollectionMonth, sendPrenotices, submitCollectionRun } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** The runs' work happens at 07:00 Amsterdam time on its day: before a bank's morning cut-off. */
const workHour = 7;
const sleepUntilDay = async (date: string) => {
  const wait = amsterdamInstant(date, workHour) - Date.now();
  if (wait > 0) await sleep(wait);
};

/**
 * One creditor's monthly collection (domain.md §11): for each month, on the pre-notification day
 * the month's debits are planned within the bank's limits and every occupant is told the amount
 * and date; by D-1 of each of the month's runs its pain.008 goes to the bank; each advance account
 * learns what went and what was withheld. Timers, not a Schedule, so the time-skipping server runs
 * it exactly as a real one. One month per run of the workflow: the next continues as new.
 */
export async function collectionRuns(input: CollectionRunsInput): Promise<void> {
  const schedule = await loadCollectionSchedule(input.creditorId);
  const month = input.month ?? firstMonthToAnnounce(schedule, today());
  const calendar = monthCalendar(schedule, month);

  await sleepUntilDay(calendar.prenoticeOn);
  await planCollectionMonth({ creditorId: input.creditorId, month, runs: calendar.runs });
  await sendPrenotices({ creditorId: input.creditorId, month, postedOn: today(), retryDate: calendar.runs[1]?.collectionDate ?? null });

  for (const run of calendar.runs) {
    await sleepUntilDay(run.submitBy);
    const result = await submitCollectionRun(directDebitRunId(input.creditorId, month, run.sequence)).catch((error: unknown) => {
      // A file the XSD refuses never leaves; the run is marked refused for an operator, the month goes on.
      log.error('collection run refused', { runId: directDebitRunId(input.creditorId, month, run.sequence), error: String(error) });
      return null;
    });
    if (!result) continue;
    const later = laterRuns(input.creditorId, month, calendar.runs, run);
    if (patched(tellFromActivity)) await tellAccountsByPage(input, result.runId, later);
    else await tellAccounts(input, result.runId, later);
  }
  return continueAsNew<typeof collectionRuns>({ ...input, month: nextMonth(month) });
}

function laterRuns(creditorId: string, month: string, runs: readonly RunDates[], current: RunDates): LaterRun[] {
  return runs
    .filter((r) => r.sequence > current.sequence)
    .map((r) => ({ runId: directDebitRunId(creditorId, month, r.sequence), collectionDate: r.collectionDate, submitBy: r.submitBy }));
}

/** Each advance account learns what of its month went to the bank, or was withheld: a page per activity. */
async function tellAccountsByPage(input: CollectionRunsInput, runId: string, later: LaterRun[]): Promise<void> {
  let missed = 0;
  for (let after: string | null = null; ; ) {
    const page: { missed: number; next: string | null } = await tellAccountsPage({ runId, corporationId: input.corporationId, after, limit: input.pageSize ?? defaultPageSize, laterRuns: later });
    missed += page.missed;
    if (page.next === null) break;
    after = page.next;
  }
  if (missed > 0) log.warn('advance accounts not reached', { runId, missed });
}

/** Before the patch: the workflow read each page and signalled every account itself. */
async function tellAccounts(input: CollectionRunsInput, runId: string, later: LaterRun[]): Promise<void> {
  const account = (occupancyId: string) => getExternalWorkflowHandle(advanceAccountWorkflowId(input.corporationId, occupancyId));
  let missed = 0;
  for (let after: string | null = null; ; ) {
    const page: RunDebitResult[] = await runDebitsPage({ runId, after, limit: defaultPageSize });
    const signals = page.map((d) =>
      d.withheldReason === null
        ? account(d.occupancyId).signal(debitSubmittedSignal, {
            endToEndId: d.endToEndId,
            runId,
            month: d.month,
            attempt: d.attempt,
            amount: d.amount,
            collectionDate: d.collectionDate,
            amendment: d.amendment,
            laterRuns: later,
          })
        : account(d.occupancyId).signal(debitWithheldSignal, {
            endToEndId: d.endToEndId,
            runId,
            month: d.month,
            attempt: d.attempt,
            amount: d.amount,
            collectionDate: d.collectionDate,
            reason: d.withheldReason,
          }),
    );
    // An account that is not running (an occupancy stored before its workflow could start) misses
    // the message; Postgres still holds the debit, and the GET shows it from there.
    missed += (await Promise.allSettled(signals)).filter((o) => o.status === 'rejected').length;
    if (page.length < defaultPageSize) break;
    after = page.at(-1)!.endToEndId;
  }
  if (missed > 0) log.warn('advance accounts not reached', { runId, missed });
}
