import { allHandlersFinished, condition, continueAsNew, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { amsterdamInstant } from '../../shared/calendar/amsterdam-clock.js';
import {
  advanceMonthsQuery,
  advancePaidOtherwiseUpdate,
  debitOutcomeSignal,
  debitSubmittedSignal,
  debitWithheldSignal,
  type AdvanceAccountInput,
} from '../../shared/direct-debit/advance-account-messages.js';
import type { UnpaidAdvanceClaim } from '../../shared/direct-debit/debit-outcome.js';
import { localActivities, serviceActivities } from '../activity-proxies.js';
import { AdvanceAccount, type AccountDecision } from './advance-account-state.js';
import { today } from '../workflow-clock.js';

/** Implemented beside the bank import (activities/unpaid-advances.ts): opens or extends the contract's track. */
const { claimUnpaidAdvance } = proxyActivities<{ claimUnpaidAdvance(claim: UnpaidAdvanceClaim): Promise<unknown> }>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});
const { bookDebitRetry } = serviceActivities;
const { recordDebitFate } = localActivities;

/**
 * Some ten events a month: after a couple of thousand (years of months) the next run starts with
 * the months that can still change (13 months for MD01), so history and state stay small.
 */
const timeToContinue = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 2000;
/** Debits count as collected at the end of their collection day. */
const endOfDay = (date: string) => amsterdamInstant(date, 23, 0);

/**
 * One occupancy's advance account (domain.md §11): the fate of every month's advance. The runs
 * tell it what went to the bank, the bank import what came back; a failed debit is tried once more
 * in a later run of the month when the reason allows, and what stays unpaid becomes a claim on the
 * collection track of the contract. History holds ids, amounts, dates and codes only.
 */
export async function advanceAccount(input: AdvanceAccountInput): Promise<void> {
  const account = new AdvanceAccount(input.carried);
  setHandler(debitSubmittedSignal, (debit) => account.submitted(debit));
  setHandler(debitWithheldSignal, (debit) => account.withheld(debit));
  setHandler(debitOutcomeSignal, (outcome) => account.outcome(outcome, today()));
  setHandler(advanceMonthsQuery, () => account.months());
  // Answered between decisions, never during one: a hand-over in flight has landed on the track (or not) by then.
  let carrying = false;
  setHandler(advancePaidOtherwiseUpdate, async (paid) => {
    await condition(() => !carrying);
    return account.paidOtherwise(paid);
  });

  for (;;) {
    carrying = true;
    for (const decision of account.takeDecisions()) await carryOut(decision);
    carrying = false;
    const next = account.nextCollectionDate();
    const wait = next === null ? undefined : Math.max(endOfDay(next) - Date.now(), 0);
    // A debit submitted meanwhile may bring the next collection date forward: wake to set the timer anew.
    await condition(() => account.hasDecisions() || account.nextCollectionDate() !== next || timeToContinue(), wait);
    account.collectDue(today());
    if (timeToContinue() && !account.hasDecisions()) break;
  }
  // What arrived while the last decisions were carried out is done here, not lost at the hand-over.
  carrying = true;
  while (account.hasDecisions()) for (const decision of account.takeDecisions()) await carryOut(decision);
  carrying = false;
  // An operator's update waiting for the decisions is answered by this run, not lost at the hand-over.
  await condition(allHandlersFinished);
  return continueAsNew<typeof advanceAccount>({ ...input, carried: account.snapshot(today()) });

  async function carryOut(decision: AccountDecision): Promise<void> {
    switch (decision.kind) {
      case 'record_fate':
        await recordDebitFate({ endToEndId: decision.endToEndId, status: decision.status, reasonCode: decision.reasonCode });
        return;
      case 'retry':
        // Paid another way since the decision was taken: nothing to book.
        if (account.isPaidOtherwise(decision.month)) return;
        try {
          await bookDebitRetry({ occupancyId: input.occupancyId, month: decision.month, attempt: decision.attempt, runId: decision.run.runId });
        } catch (error) {
          // No retry could be booked (the run went meanwhile): the advance goes to the track instead.
          log.warn('retry not booked', { month: decision.month, error: String(error) });
          account.retryFailed(decision.month);
        }
        return;
      case 'hand_over':
        if (account.isPaidOtherwise(decision.month)) return;
        try {
          await claimUnpaidAdvance({ corporationId: input.corporationId, occupancyId: input.occupancyId, month: decision.month, amount: decision.amount, dueDate: decision.dueDate, reasonCode: decision.reasonCode });
          account.handedOver(decision.month, today());
        } catch (error) {
          // Refused for good (the contract's track cannot take it): the month stays unpaid, visible in the GET.
          log.error('unpaid advance not handed over', { month: decision.month, error: String(error) });
        }
        return;
    }
  }
}
