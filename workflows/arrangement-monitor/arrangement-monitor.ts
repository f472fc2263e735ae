import {
  ActivityFailure,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  arrangementControlSignal,
  arrangementProgressSignal,
  type ArrangementMonitorInput,
  type ArrangementProgress,
} from '../../shared/arrangement/arrangement-messages.js';
import { instalmentStatus } from '../../shared/arrangement/arrangement-rules.js';
import { amsterdamInstant } from '../../shared/calendar/amsterdam-clock.js';
import { addDays, compareIsoDates, type IsoDate } from '../../shared/calendar/iso-date.js';
import { formatMoney, money, Money, sumMoney } from '../../shared/money.js';
import { serviceActivities } from '../activity-proxies.js';
import { today } from '../workflow-clock.js';

const { sendLetter } = serviceActivities;

/** `handed_over`: the track is about to continue as new and starts the monitor again in its next run. */
export type ArrangementOutcome = 'completed' | 'breached' | 'cancelled' | 'handed_over';

/** One thing the monitor does on a day: remind of an instalment, or judge whether it was kept. */
interface Step {
  readonly on: IsoDate;
  readonly kind: 'remind' | 'check';
  readonly instalment: number;
}

/**
 * The monitor's calendar, derived from its input alone (so the state stays small and a replay gives
 * the same plan). A reminder on `dueDate − reminderDaysBefore`, unless that day had passed when the
 * monitor started or an earlier monitor of the arrangement sent it; a check on the day after `dueDate + graceDays`, the first day a shortfall is a
 * breach (a payment on the last grace day keeps the arrangement). In date order, a check before a
 * reminder on the same day: after a breach no further reminder goes out. Instalments close together
 * interleave (the reminder of the next one need not wait for the check of the last).
 */
export function monitorPlan(input: Pick<ArrangementMonitorInput, 'instalments' | 'graceDays' | 'reminderDaysBefore' | 'remindedInstalments'>, startedOn: IsoDate): Step[] {
  const steps: Step[] = [];
  const reminded = new Set(input.remindedInstalments ?? []);
  input.instalments.forEach((instalment, index) => {
    const remindOn = addDays(instalment.dueDate, -input.reminderDaysBefore);
    // An earlier monitor of this arrangement (before the track continued as new) reminded already.
    if (compareIsoDates(remindOn, startedOn) >= 0 && !reminded.has(index)) steps.push({ on: remindOn, kind: 'remind', instalment: index });
    steps.push({ on: addDays(instalment.dueDate, input.graceDays + 1), kind: 'check', instalment: index });
  });
  const rank = (step: Step) => (step.kind === 'check' ? 0 : 1);
  return steps.sort((a, b) => compareIsoDates(a.on, b.on) || rank(a) - rank(b) || a.instalment - b.instalment);
}

/**
 * Watches one payment arrangement (domain.md §1 A.3 and C.1) as a child of the track: a reminder
 * before each instalment, a breach when the payments fall short of an instalment the day after its
 * grace days, completion as soon as the payments cover the total. The track keeps it informed of
 * what was paid since acceptance (`paid_so_far`), stops it (`cancel`), or ends it quietly before the
 * track continues as new (`handover`; the next run starts it again under the same id, and the
 * reminder letters are idempotent on that id). It reports each step back by signal to the track's
 * workflow id and awaits that signal before it goes on or returns.
 *
 * Payments count towards the instalments in order, so paying ahead covers later instalments (their
 * reminders are skipped) and a reversal after an instalment's check is judged at the next check.
 */
export async function arrangementMonitor(input: ArrangementMonitorInput): Promise<ArrangementOutcome> {
  const { instalments } = input;
  const total = sumMoney(instalments.map((i) => i.amount));
  const startedOn = today();
  let paid = money(input.paidSoFar);
  /**
   * Set by the first signal that ends this monitor: paid in full, stopped by the track, or handed
   * over to the track's next run (which starts the monitor again with what was paid by then).
   */
  let ending: { readonly kind: 'completed' | 'handed_over' } | { readonly kind: 'cancelled'; readonly reason: string } | null = paid.gte(total)
    ? { kind: 'completed' }
    : null;
  setHandler(arrangementControlSignal, (control) => {
    switch (control?.kind) {
      case 'paid_so_far':
        paid = money(control.amount);
        if (!ending && paid.gte(total)) ending = { kind: 'completed' };
        return;
      case 'cancel':
        ending ??= { kind: 'cancelled', reason: control.reason };
        return;
      case 'handover':
        ending ??= { kind: 'handed_over' };
        return;
      default:
        // A signal from a newer or older track version: ignored rather than failing every workflow task.
        log.warn('unknown arrangement control ignored', { arrangementId: input.arrangementId, kind: String((control as { kind?: unknown } | null)?.kind) });
    }
  });
  const ended = () => ending !== null;

  const track = getExternalWorkflowHandle(input.trackWorkflowId);
  const base = { arrangementId: input.arrangementId } as const;
  // Awaited, but best effort: a track that no longer runs has nobody left to tell.
  const report = (progress: ArrangementProgress) => track.signal(arrangementProgressSignal, progress).catch(() => undefined);
  const cumulativeThrough = (index: number) => sumMoney(instalments.slice(0, index + 1).map((i) => i.amount));
  const remaining = () => formatMoney(Money.max(total.minus(paid), 0));

  const describe = (where: string) =>
    setCurrentDetails(
      [
        `Payment arrangement ${input.arrangementId}: ${instalments.length} instalment${instalments.length === 1 ? '' : 's'} ` +
          `from ${instalments[0]?.dueDate ?? '-'} to ${instalments.at(-1)?.dueDate ?? '-'}, total ${formatMoney(total)}.`,
        `Paid so far ${formatMoney(paid)}, open ${remaining()}; grace ${input.graceDays} days, reminders ${input.reminderDaysBefore} days before.`,
        where,
      ].join('\n'),
    );
  const stepInWords = (step: Step) => {
    const instalment = instalments[step.instalment]!;
    const which = `instalment ${step.instalment + 1} of ${instalments.length} (${instalment.amount} due ${instalment.dueDate})`;
    return step.kind === 'remind'
      ? `Next: reminder for ${which} on ${step.on}.`
      : `Next: ${which} is judged on ${step.on}, the day after its grace ends (${addDays(instalment.dueDate, input.graceDays)}).`;
  };

  /** Until the start of `date` in Amsterdam; a payment in full or a cancellation wakes it. */
  const waitUntil = async (date: IsoDate, summary: string) => {
    const ms = amsterdamInstant(date) - Date.now();
    if (ms > 0) await condition(ended, ms, { summary });
  };

  const remind = async (index: number) => {
    const instalment = instalments[index]!;
    // Already covered by what was paid (ahead of time): no reminder.
    if (paid.gte(cumulativeThrough(index))) return;
    try {
      const letter = await sendLetter({
        idempotencyKey: `${workflowInfo().workflowId}/instalment/${index}`,
        caseId: input.caseId,
        kind: 'instalment_reminder',
        postedOn: today(),
        policyVersion: input.policyVersion,
        facts: {
          invoiceRefs: [input.arrangementId],
          principal: instalment.amount,
          interest: '0.00',
          outstanding: remaining(),
          instalment: { number: index + 1, count: instalments.length, dueDate: instalment.dueDate, amount: instalment.amount },
          graceDays: input.graceDays,
        },
      });
      await report({ ...base, kind: 'reminder_sent', instalment: index, letterId: letter.letterId, on: letter.postedOn });
    } catch (error) {
      // The letter service refused the letter for good (retries are the activity's own): the
      // arrangement still runs and is still judged; a missing reminder is no reason to stop watching.
      if (!(error instanceof ActivityFailure) || isCancellation(error)) throw error;
      log.warn('instalment reminder not sent', { arrangementId: input.arrangementId, instalment: index, error: error.cause?.message ?? error.message });
    }
  };

  /**
   * The tenant hears that the arrangement has lapsed, what fell short and what is open, before the
   * track takes over again (the track's own letters follow on their schedule). Monitors recorded
   * before this letter existed report the breach without it.
   */
  const sendBreachNotice = async (instalment: number, shortfall: string, on: IsoDate) => {
    if (!patched('arrangement-breach-notice')) return;
    const judged = instalments[instalment]!;
    try {
      await sendLetter({
        idempotencyKey: `${workflowInfo().workflowId}/breach`,
        caseId: input.caseId,
        kind: 'breach_notice',
        postedOn: on,
        policyVersion: input.policyVersion,
        facts: {
          invoiceRefs: [input.arrangementId],
          principal: remaining(),
          interest: '0.00',
          outstanding: remaining(),
          instalment: { number: instalment + 1, count: instalments.length, dueDate: judged.dueDate, amount: judged.amount },
          graceDays: input.graceDays,
          breach: { shortfall, on },
        },
      });
    } catch (error) {
      // Refused for good by the letter service: the breach still goes back to the track.
      if (!(error instanceof ActivityFailure) || isCancellation(error)) throw error;
      log.warn('breach notice not sent', { arrangementId: input.arrangementId, error: error.cause?.message ?? error.message });
    }
  };

  const finish = async (): Promise<ArrangementOutcome> => {
    const end = ending!;
    const on = today();
    switch (end.kind) {
      case 'handed_over':
        // Quietly: the track is waiting for this result before it continues as new.
        describe(`Handed over on ${on} to the track's next run, which watches the rest.`);
        return 'handed_over';
      case 'completed':
        describe(`Completed on ${on}: the payments cover the total.`);
        break;
      case 'cancelled':
        describe(`Cancelled on ${on} by the track (${end.reason}).`);
        break;
    }
    await report({ ...base, kind: end.kind, on });
    return end.kind;
  };

  try {
    for (const step of monitorPlan(input, startedOn)) {
      if (ended()) break;
      describe(stepInWords(step));
      await waitUntil(step.on, step.kind === 'remind' ? `instalment ${step.instalment + 1} reminder on ${step.on}` : `instalment ${step.instalment + 1} judged on ${step.on}`);
      if (ended()) break;
      if (step.kind === 'remind') {
        await remind(step.instalment);
        continue;
      }
      const on = today();
      const status = instalmentStatus(instalments, formatMoney(paid), on, input.graceDays);
      if (status.breachedInstalment !== null) {
        const shortfall = status.breachShortfall!;
        describe(`Breached on ${on}: instalment ${status.breachedInstalment + 1} short by ${shortfall}; control is back with the track.`);
        await sendBreachNotice(status.breachedInstalment, shortfall, on);
        await report({ ...base, kind: 'breached', instalment: status.breachedInstalment, shortfall, on });
        return 'breached';
      }
    }
    // The last check passed, so the payments cover every instalment (ending is set); this wait only
    // matters when the plan was empty, which a validated arrangement never is.
    describe('Every instalment is judged; waiting for the payments to cover the total.');
    await condition(ended);
    return await finish();
  } catch (error) {
    // Cancelled through Temporal (not by the track's signal): the track still hears that it ended.
    if (isCancellation(error)) {
      ending ??= { kind: 'cancelled', reason: 'monitor workflow cancelled' };
      await CancellationScope.nonCancellable(finish);
    }
    throw error;
  }
}
