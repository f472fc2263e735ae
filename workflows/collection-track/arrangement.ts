import { ApplicationFailure, getExternalWorkflowHandle, ParentClosePolicy, setHandler, startChild, uuid4, workflowInfo, type ChildWorkflowHandle } from '@temporalio/workflow';
import {
  arrangementControlSignal,
  arrangementMonitorWorkflowId,
  arrangementProgressSignal,
  arrangementRefusedFailureType,
  arrangementRequestSchema,
  proposeArrangementUpdate,
  type ArrangementControl,
  type ArrangementProgress,
  type Instalment,
} from '../../shared/arrangement/arrangement-messages.js';
import { checkArrangement } from '../../shared/arrangement/arrangement-rules.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { compareIsoDates } from '../../shared/calendar/iso-date.js';
import { money } from '../../shared/money.js';
import { defaultCollectionPolicy } from '../../shared/policy/collection-policy.js';
import type { arrangementMonitor } from '../arrangement-monitor/arrangement-monitor.js';
import { serviceActivities } from './activities.js';
import type { TrackArrangement, TrackState } from './track-state.js';

const { sendLetter } = serviceActivities;
const today = () => amsterdamDate(Date.now());

export interface ArrangementContext {
  readonly publish: () => void;
  readonly signalsInFlight: Promise<unknown>[];
}

let monitorChild: ChildWorkflowHandle<typeof arrangementMonitor> | undefined;

/**
 * Ends this run's monitor and waits for it, before the track continues as new or completes: a
 * child that outlives the run that started it is legal in Temporal, but it makes the history hard
 * to follow, and the time-skipping test server loses track of time over it. The next run starts
 * the monitor again with the same id (its letters are idempotent on that id).
 */
export async function handOverMonitor(track: TrackState): Promise<void> {
  const child = monitorChild;
  monitorChild = undefined;
  if (!child) return;
  await child.signal(arrangementControlSignal, { kind: 'handover' }).catch(() => undefined);
  await child.result().catch(() => undefined);
  for (const arrangement of track.data.arrangements) arrangement.monitorRunning = false;
}

/** Waits for this run's monitor to finish (it was told to stop, or it ended on its own). */
export async function monitorFinished(): Promise<void> {
  await monitorChild?.result().catch(() => undefined);
}

/** Before the first policy load (the very first moment of a track) the built-in rules apply. */
const arrangementRules = (track: TrackState) => (track.data.policy?.policy ?? defaultCollectionPolicy).arrangement;

/** The current month's rent is paid: every claim due this month up to today is settled. */
function currentRentPaid(track: TrackState, on: string): boolean {
  const month = on.slice(0, 7);
  return track
    .ledger(on)
    .claims.filter((c) => c.dueDate.startsWith(month) && compareIsoDates(c.dueDate, on) <= 0)
    .every((c) => money(c.open).lte(0));
}

/** The policy's rules applied to a proposal as the track stands today. */
function checkProposal(track: TrackState, instalments: readonly Instalment[], on: string) {
  return checkArrangement({
    instalments,
    rules: arrangementRules(track),
    today: on,
    outstanding: track.outstanding(on),
    currentRentPaid: currentRentPaid(track, on),
    // checkArrangement counts those of the last 12 months; breached and cancelled ones count too.
    earlierArrangementDates: track.data.arrangements.map((a) => a.acceptedOn),
  });
}

const refused = (check: { message: string; rule: string }) => ApplicationFailure.nonRetryable(check.message, arrangementRefusedFailureType, check.rule);

export function registerArrangementHandlers(track: TrackState, context: ArrangementContext): void {
  setHandler(
    proposeArrangementUpdate,
    (request) => {
      const on = today();
      const check = checkProposal(track, request.instalments, on);
      if (!check.ok) throw refused(check);
      const arrangementId = uuid4();
      track.data.arrangements.push({
        arrangementId,
        acceptedOn: on,
        acceptedBy: request.actor,
        instalments: request.instalments,
        total: check.total,
        paidBefore: track.paidTotal(),
        stageBefore: track.stage,
        policyVersion: track.data.policy?.version ?? 0,
        status: 'accepted',
        endedOn: null,
        monitorRunning: false,
        remindedInstalments: [],
      });
      track.moveTo('arrangement', Date.now(), { kind: 'instalment', date: check.firstDueDate });
      track.emit('arrangement_accepted', arrangementId, on, check.total);
      track.record(`arrangement ${arrangementId} of ${check.total} in ${request.instalments.length} instalments accepted by ${request.actor}`, Date.now());
      context.publish();
      return { accepted: true, arrangementId, total: check.total, instalments: request.instalments, firstDueDate: check.firstDueDate, lastDueDate: check.lastDueDate };
    },
    {
      validator: (request) => {
        const parsed = arrangementRequestSchema.parse(request);
        if (track.closed) throw ApplicationFailure.nonRetryable('the track is closed', 'Refused');
        if (track.parked) throw ApplicationFailure.nonRetryable('the track is parked under an exception; resolve it first', 'WrongStage');
        if (track.data.bailiff && !track.data.bailiff.ended) throw ApplicationFailure.nonRetryable('the case is with the bailiff, who arranges payment from here', 'WrongStage');
        if (track.activeArrangement) throw ApplicationFailure.nonRetryable('an arrangement is already running', 'ArrangementRunning');
        // The rules themselves, in the validator too, so a refused arrangement leaves no trace in history.
        const check = checkProposal(track, parsed.instalments, today());
        if (!check.ok) throw refused(check);
      },
    },
  );
  setHandler(arrangementProgressSignal, (progress) => {
    applyArrangementProgress(track, progress);
    context.publish();
  });
}

const monitorIdOf = (arrangement: TrackArrangement) => arrangementMonitorWorkflowId(workflowInfo().workflowId, arrangement.arrangementId);

/**
 * Confirms an accepted arrangement by letter and starts its monitor; in a run after
 * continue-as-new, starts the monitor of the active one again (no second letter).
 */
export async function startArrangement(track: TrackState): Promise<void> {
  const arrangement = track.activeArrangement!;
  const restarted = arrangement.status === 'active';
  if (!restarted) {
    await sendLetter({
      idempotencyKey: `${workflowInfo().workflowId}/arrangement/${arrangement.arrangementId}/confirmation`,
      caseId: track.input.caseId,
      kind: 'arrangement_confirmation',
      postedOn: today(),
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
  arrangement.status = 'active';
  arrangement.monitorRunning = true;
  const rules = arrangementRules(track);
  monitorChild = await startChild<typeof arrangementMonitor>('arrangementMonitor', {
    workflowId: monitorIdOf(arrangement),
    args: [
      {
        caseId: track.input.caseId,
        trackWorkflowId: workflowInfo().workflowId,
        arrangementId: arrangement.arrangementId,
        instalments: arrangement.instalments,
        graceDays: rules.graceDays,
        reminderDaysBefore: rules.reminderDaysBefore,
        paidSoFar: track.paidSince(arrangement),
        remindedInstalments: arrangement.remindedInstalments ?? [],
      },
    ],
    // Ended by the track before it continues as new (handOverMonitor); should a run ever close
    // without that, the monitor is not left behind.
    parentClosePolicy: ParentClosePolicy.TERMINATE,
    staticSummary: `Payment arrangement of ${workflowInfo().workflowId}`,
  });
  track.record(restarted ? `arrangement ${arrangement.arrangementId} monitored in this run` : `arrangement ${arrangement.arrangementId} confirmed by letter; monitor started`, Date.now());
}

function signalMonitor(track: TrackState, control: ArrangementControl, context: ArrangementContext): void {
  const arrangement = track.activeArrangement;
  if (arrangement?.status !== 'active') return;
  context.signalsInFlight.push(getExternalWorkflowHandle(monitorIdOf(arrangement)).signal(arrangementControlSignal, control).catch(() => undefined));
}

/** After a payment or a reversal: the monitor checks instalments against what was paid since. */
export function tellMonitorOfPayments(track: TrackState, context: ArrangementContext): void {
  const arrangement = track.activeArrangement;
  if (arrangement) signalMonitor(track, { kind: 'paid_so_far', amount: track.paidSince(arrangement) }, context);
}

/**
 * Ends a running arrangement from the track's side: paid in full (completed), or an exception or a
 * write-off (cancelled). The monitor is told to stop.
 */
export function endArrangement(track: TrackState, status: 'completed' | 'cancelled', reason: string, context: ArrangementContext): void {
  const arrangement = track.activeArrangement;
  if (!arrangement) return;
  signalMonitor(track, { kind: 'cancel', reason }, context);
  arrangement.status = status;
  arrangement.endedOn = today();
  if (status === 'completed') track.emit('arrangement_kept', arrangement.arrangementId, arrangement.endedOn, arrangement.total);
  track.record(`arrangement ${arrangement.arrangementId} ${status} (${reason})`, Date.now());
}

function applyArrangementProgress(track: TrackState, progress: ArrangementProgress): void {
  const arrangement = track.data.arrangements.find((a) => a.arrangementId === progress.arrangementId);
  if (!arrangement) return;
  const now = Date.now();
  if (progress.kind !== 'reminder_sent') arrangement.monitorRunning = false;
  switch (progress.kind) {
    case 'reminder_sent': {
      const reminded = (arrangement.remindedInstalments ??= []);
      if (reminded.includes(progress.instalment)) return;
      reminded.push(progress.instalment);
      track.record(`instalment ${progress.instalment + 1} reminder sent (letter ${progress.letterId})`, now);
      return;
    }
    case 'breached':
      if (arrangement.status !== 'active') return;
      arrangement.status = 'breached';
      arrangement.endedOn = progress.on;
      track.emit('arrangement_breached', arrangement.arrangementId, progress.on, progress.shortfall);
      track.record(`arrangement ${arrangement.arrangementId} breached: instalment ${progress.instalment + 1} short by ${progress.shortfall}`, now);
      // Control goes back to the track, at the step where it stood; interest over the period is owed again.
      if (track.stage === 'arrangement') track.moveTo(arrangement.stageBefore, now);
      track.data.policyLoadedForCycle = 0;
      return;
    case 'completed':
      if (arrangement.status !== 'active') return;
      arrangement.status = 'completed';
      arrangement.endedOn = progress.on;
      track.emit('arrangement_kept', arrangement.arrangementId, progress.on, arrangement.total);
      track.record(`arrangement ${arrangement.arrangementId} completed`, now);
      // Paid in full closes the track (the loop sees the zero balance); rent that fell due meanwhile
      // and stayed unpaid starts a cycle of its own.
      if (track.stage === 'arrangement') track.moveTo('reminder', now);
      return;
    case 'cancelled':
      if (arrangement.status === 'active' || arrangement.status === 'accepted') {
        arrangement.status = 'cancelled';
        arrangement.endedOn = progress.on;
        if (track.stage === 'arrangement') track.moveTo(arrangement.stageBefore, now);
      }
      return;
  }
}
