import { ParentClosePolicy, patched, startChild, workflowInfo } from '@temporalio/workflow';
import { arrangementControlSignal, type ArrangementControl } from '../../shared/arrangement/arrangement-messages.js';
import { money, type MoneyString } from '../../shared/money.js';
import type { arrangementMonitor } from '../arrangement-monitor/arrangement-monitor.js';
import { serviceActivities } from '../activity-proxies.js';
import { arrangementRules } from './arrangement-check.js';
import type { TrackArrangement } from './track-data.js';
import type { TrackRun } from './track-run.js';
import { today } from '../workflow-clock.js';

/*
 * The track's side of an arrangement's monitor: a child workflow per arrangement, which each run
 * of the track starts for the arrangement that runs, and ends before the run does.
 */

const { sendLetter } = serviceActivities;

/**
 * Confirms an accepted arrangement by letter and starts its monitor; in a run after
 * continue-as-new, starts the monitor of the active one again (no second letter).
 */
export async function startArrangement(run: TrackRun): Promise<void> {
  const track = run.state;
  const arrangement = track.activeArrangement!;
  const restarted = arrangement.status === 'active';
  if (!restarted) {
    await sendLetter({
      idempotencyKey: `${workflowInfo().workflowId}/arrangement/${arrangement.arrangementId}/confirmation`,
      caseId: track.input.caseId,
      kind: 'arrangement_confirmation',
      postedOn: today(),
      policyVersion: arrangement.policyVersion,
      facts: {
        invoiceRefs: track.ledger(today()).claims.filter((c) => money(c.open).gt(0)).map((c) => c.invoiceRef),
        principal: arrangement.total,
        interest: '0.00',
        outstanding: arrangement.total,
        instalments: [...arrangement.instalments],
        graceDays: arrangementRules(track).graceDays,
      },
    });
  }
  track.monitorArrangement(arrangement);
  const rules = arrangementRules(track);
  const paidSoFar = track.paidSince(arrangement);
  run.monitor = await startChild<typeof arrangementMonitor>('arrangementMonitor', {
    workflowId: run.monitorWorkflowId(arrangement),
    args: [
      {
        caseId: track.input.caseId,
        trackWorkflowId: workflowInfo().workflowId,
        arrangementId: arrangement.arrangementId,
        instalments: arrangement.instalments,
        graceDays: rules.graceDays,
        reminderDaysBefore: rules.reminderDaysBefore,
        paidSoFar,
        remindedInstalments: arrangement.remindedInstalments ?? [],
        policyVersion: arrangement.policyVersion,
      },
    ],
    // Ended by the track before it continues as new (handOverMonitor); should a run ever close
    // without that, the monitor is not left behind.
    parentClosePolicy: ParentClosePolicy.TERMINATE,
    staticSummary: `Payment arrangement of ${workflowInfo().workflowId}`,
  });
  tellMonitorWhatItMissed(run, arrangement, paidSoFar);
  track.record(restarted ? `arrangement ${arrangement.arrangementId} monitored in this run` : `arrangement ${arrangement.arrangementId} confirmed by letter; monitor started`, Date.now());
}

/**
 * The track signals its monitor by id from the moment the arrangement is active, but the server
 * starts the child a moment after the command: a payment, a reversal or an end handled in between
 * was signalled to a monitor that was not there yet, and lost (a payment it never hears of can
 * become a false breach). Told again now it runs; both controls are idempotent, so one that did
 * arrive does no harm. Runs recorded before this catch-up have no marker and send nothing here.
 */
function tellMonitorWhatItMissed(run: TrackRun, arrangement: TrackArrangement, startedWith: MoneyString): void {
  const monitor = run.monitor!;
  const control: ArrangementControl | null =
    arrangement.status !== 'active'
      ? { kind: 'cancel', reason: `arrangement ${arrangement.status} while its monitor started` }
      : !money(run.state.paidSince(arrangement)).eq(money(startedWith))
        ? { kind: 'paid_so_far', amount: run.state.paidSince(arrangement) }
        : null;
  if (control && patched('arrangement-monitor-told-after-start')) run.signalsInFlight.push(monitor.signal(arrangementControlSignal, control).catch(() => undefined));
}

/**
 * Ends this run's monitor and waits for it, before the track continues as new or completes: a
 * child that outlives the run that started it is legal in Temporal, but it makes the history hard
 * to follow, and the time-skipping test server loses track of time over it. The next run starts
 * the monitor again with the same id (its letters are idempotent on that id).
 */
export async function handOverMonitor(run: TrackRun): Promise<void> {
  const child = run.monitor;
  run.monitor = undefined;
  if (!child) return;
  await child.signal(arrangementControlSignal, { kind: 'handover' }).catch(() => undefined);
  await child.result().catch(() => undefined);
  run.state.monitorsHandedOver();
}

/** Waits for this run's monitor to finish (it was told to stop, or it ended on its own). */
export async function monitorFinished(run: TrackRun): Promise<void> {
  await run.monitor?.result().catch(() => undefined);
}
