import { ParentClosePolicy, patched, startChild, workflowInfo, type ChildWorkflowHandle } from '@temporalio/workflow';
import { bailiffControlSignal, type BailiffPhaseInput, type BailiffPhaseState } from '../../shared/track/bailiff-messages.js';
import { bailiffPhaseWorkflowId } from '../../shared/track/workflow-id.js';
import { applyBailiffControl } from '../bailiff-phase/bailiff-phase-state.js';
import type { bailiffPhase } from '../bailiff-phase/bailiff-phase.js';
import type { BailiffAssignment } from './track-data.js';
import type { TrackRun } from './track-run.js';

/*
 * The track's side of its bailiff phase: a child workflow under one id, which each run of the
 * track owns. It is started with ParentClosePolicy.TERMINATE (phases started before that patch
 * were ABANDONed and outlived their run), handed over before the run continues as new, started
 * again by the next run from the state it handed over, and waited for before the run completes.
 * Controls to it go through TrackRun.signalBailiff.
 */

const phaseInput = (run: TrackRun, officeId: string): BailiffPhaseInput => ({
  caseId: run.state.input.caseId,
  corporationId: run.state.input.corporationId,
  trackWorkflowId: workflowInfo().workflowId,
  officeId,
  paymentOnly: run.state.input.tenantDeparted ?? false,
  policyVersion: run.state.data.policy?.version,
});

const phaseSummary = (officeId: string) => `Bailiff phase of ${workflowInfo().workflowId} at office ${officeId}`;

export async function startBailiffPhase(run: TrackRun): Promise<void> {
  const bailiff = run.state.handOverToBailiff(bailiffPhaseWorkflowId(workflowInfo().workflowId), Date.now());
  if (!bailiff) return;
  run.publish();
  const link = run.bailiffPhase;
  link.endsWithRun = patched('bailiff-phase-ends-with-track-run');
  link.child = await startChild<typeof bailiffPhase>('bailiffPhase', {
    workflowId: bailiff.workflowId,
    args: [phaseInput(run, bailiff.officeId)],
    parentClosePolicy: link.endsWithRun ? ParentClosePolicy.TERMINATE : ParentClosePolicy.ABANDON,
    staticSummary: phaseSummary(bailiff.officeId),
  });
}

/** The phase again under its id, going on from the state its previous run handed over. */
function startPhaseFrom(run: TrackRun, bailiff: BailiffAssignment, state: BailiffPhaseState): Promise<ChildWorkflowHandle<typeof bailiffPhase>> {
  return startChild<typeof bailiffPhase>('bailiffPhase', {
    workflowId: bailiff.workflowId,
    args: [{ ...phaseInput(run, bailiff.officeId), resume: state }],
    parentClosePolicy: ParentClosePolicy.TERMINATE,
    staticSummary: phaseSummary(bailiff.officeId),
  });
}

/**
 * In a run that carries a handed-over phase, starts it again at once (before any step, so the
 * office's reports wait as briefly as possible).
 */
export function resumeBailiffPhase(run: TrackRun): void {
  const bailiff = run.state.data.bailiff;
  if (bailiff?.carried && !bailiff.ended) run.bailiffPhase.resuming = resume(run, bailiff, bailiff.carried);
}

async function resume(run: TrackRun, bailiff: BailiffAssignment, carried: BailiffPhaseState): Promise<void> {
  const link = run.bailiffPhase;
  link.held = [];
  try {
    link.child = await startPhaseFrom(run, bailiff, carried);
    link.endsWithRun = true;
    run.state.bailiffResumed(bailiff, Date.now());
  } catch {
    // Not started (the server refused it): the state stays carried and the next run tries again.
    run.state.record('the bailiff phase could not be resumed in this run', Date.now());
  }
  const controls = link.held;
  link.held = null;
  for (const control of controls) run.signalBailiff(control);
}

/**
 * Before the track continues as new: this run's phase reports what it has and returns its state,
 * which the track carries (`bailiff.carried`) to its next run, where the phase starts again with
 * the same id. A phase that has ended, or stops now, is waited for and stays ended.
 */
export async function handOverBailiff(run: TrackRun): Promise<void> {
  const link = run.bailiffPhase;
  await link.resuming;
  const current = link.child;
  if (!current) return;
  const track = run.state;
  const bailiff = track.data.bailiff;
  if (!bailiff || bailiff.ended) {
    // Its last report is in; it closes on its own, and must not be cut off by this run's end.
    if (link.endsWithRun) await current.result().catch(() => undefined);
    return;
  }
  // Tracks recorded before the hand-over left the phase running (ABANDON) across continue-as-new.
  if (!patched('bailiff-phase-handover')) return;
  link.child = undefined;
  link.held = [];
  await current.signal(bailiffControlSignal, { kind: 'handover' }).catch(() => undefined);
  const result = await current.result().catch(() => null);
  const controls = link.held;
  link.held = null;
  // Returned by the office meanwhile: nothing to carry.
  const after = track.data.bailiff;
  if (!after || after.ended) return;
  if (result?.outcome !== 'handed_over') {
    // Stopped (the track closed first) or ended otherwise: nothing to start again.
    track.bailiffEnded(after);
    if (!result) track.record('the bailiff phase ended without handing over', Date.now());
    return;
  }
  for (const control of controls) if (control.kind !== 'handover') applyBailiffControl(result.state, control);
  if (result.state.stop) {
    // The track closed while the phase was being handed over: it stops from this run (it tells the
    // office, cancels an eviction), rather than leave that to a next run that may not carry it.
    const stopping = await startPhaseFrom(run, after, result.state);
    await stopping.result().catch(() => undefined);
    track.bailiffEnded(after);
    return;
  }
  track.carryBailiff(after, result.state);
}

/** Before the run completes: this run's phase finishes first (it tells the office to stop), so it never reports to a closed track. */
export async function bailiffFinished(run: TrackRun): Promise<void> {
  const link = run.bailiffPhase;
  await link.resuming;
  const bailiff = run.state.data.bailiff;
  if (link.child && (link.endsWithRun || (bailiff && !bailiff.ended))) await link.child.result().catch(() => undefined);
}
