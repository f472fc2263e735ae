import { allHandlersFinished, condition, continueAsNew, patched, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import { arrangementProgressSignal, proposeArrangementUpdate } from '../../shared/arrangement/arrangement-messages.js';
import { amsterdamInstant } from '../../shared/calendar/amsterdam-clock.js';
import { bailiffProgressSignal } from '../../shared/track/bailiff-messages.js';
import { trackActor } from '../../shared/track/decisions.js';
import { holdSignal } from '../../shared/track/hold-messages.js';
import { letterDeliveredSignal } from '../../shared/track/letter-delivery-messages.js';
import {
  approveDecisionUpdate,
  completeTaskUpdate,
  confirmSegmentUpdate,
  proposeDecisionUpdate,
  recordEarlyWarningObjectionUpdate,
  registerClaimsUpdate,
  registerExceptionUpdate,
  registerPaymentUpdate,
  resolveExceptionUpdate,
  reversePaymentUpdate,
  trackStatusQuery,
} from '../../shared/track/messages.js';
import { confirmSegmentRequestSchema, registerClaimsRequestSchema, type CollectionTrackInput } from '../../shared/track/track-input.js';
import type { ClosedTrack } from '../../shared/track/track-status.js';
import { serviceActivities } from '../activity-proxies.js';
import { endLaterWikTerm, endWikTerm, endWorkTasks, loadPolicy, openWorkTask, sendEarlyWarningSignal, sendPrenotice, sendReminder, sendWikLetter } from './amicable-steps.js';
import { bailiffFinished, handOverBailiff, resumeBailiffPhase, startBailiffPhase } from './bailiff-link.js';
import { fileClaimInProceeding } from './claim-filing.js';
import { handOverMonitor, monitorFinished, startArrangement } from './monitor-link.js';
import { nextStep, type NextStep } from './next-step.js';
import { flushCaseEvents } from './read-model.js';
import { newTrackData, reopenTrackData, upgradeTrackData, type TrackData } from './track-data.js';
import { TrackRun } from './track-run.js';
import { TrackState } from './track-state.js';
import {
  validateApproval,
  validateArrangement,
  validateCompleteTask,
  validateEarlyWarningObjection,
  validateException,
  validatePayment,
  validateProposal,
  validateResolution,
  validateReversal,
} from './update-validators.js';
import { today } from '../workflow-clock.js';

const { ensurePaymentReference, loadCorporationSettings, activeHolds, loadTrackSetup } = serviceActivities;

/**
 * One debtor's collection track (one tenancy contract of one corporation): reminder, the 14-day
 * letter with its statutory term, hand-over with four-eyes approval, and the bailiff phase as a
 * child workflow. Payments can arrive at any moment and a zero balance closes the track as paid,
 * whatever stage it is in. Exceptions park it; it resumes where it stood.
 *
 * The state travels as plain data (`carried`) across continue-as-new, which happens when the
 * server suggests it or, in tests, after `continueAsNewAfterEvents`.
 */
export async function collectionTrack(input: CollectionTrackInput, carried?: TrackData): Promise<ClosedTrack> {
  // Carried from a closed run of the contract by a new request (a new claim after closing); a run
  // continued as new carries its own input, and may have closed just before.
  const reopened = carried !== undefined && carried.stage === 'closed' && carried.input.openedBy !== input.openedBy;
  const run = new TrackRun(new TrackState(!carried ? newTrackData(input) : reopened ? reopenTrackData(upgradeTrackData(carried), input) : upgradeTrackData(carried)));
  const track = run.state;
  registerHandlers(run);

  if (!carried || reopened) {
    track.record(reopened ? `new cycle opened on the closed contract (cycle ${track.cycle})` : 'track opened', Date.now());
    await setUp(track);
  }
  run.publish();

  for (;;) {
    const step = nextStep(track, today(), patched);
    if (step.kind === 'done') break;
    if (shouldContinueAsNew(track)) {
      await condition(allHandlersFinished);
      await Promise.all(run.signalsInFlight);
      await handOverMonitor(run);
      await handOverBailiff(run);
      track.startNextRun();
      await continueAsNew<typeof collectionTrack>(input, track.data);
    }
    await carryOut(run, step);
    run.publish();
  }
  await condition(allHandlersFinished);
  await Promise.all(run.signalsInFlight);
  await flushCaseEvents(track);
  // A bailiff phase started by this run finishes first (it tells the office to stop), so its
  // completion never arrives at a closed parent.
  await bailiffFinished(run);
  await monitorFinished(run);
  // The state goes with the result: a new claim on the contract opens the next cycle from it.
  return { ...run.status(), carry: track.data };
}

/**
 * The handlers, in the order they were always registered: a message buffered before the run
 * started is delivered as its handler is set, and must find the run where it found it before.
 */
function registerHandlers(run: TrackRun): void {
  const track = run.state;
  setHandler(proposeArrangementUpdate, (request) => run.proposeArrangement(request), { validator: (request) => validateArrangement(track, request) });
  setHandler(arrangementProgressSignal, (progress) => run.arrangementProgress(progress));
  setHandler(holdSignal, (hold) => run.applyHold(hold));
  setHandler(completeTaskUpdate, (request) => run.completeTask(request), { validator: (request) => validateCompleteTask(track, request) });
  setHandler(recordEarlyWarningObjectionUpdate, (request) => run.recordEarlyWarningObjection(request), { validator: (request) => validateEarlyWarningObjection(track, request) });
  setHandler(registerClaimsUpdate, (request) => track.registerClaims(request.claims, Date.now()), { validator: (request) => void registerClaimsRequestSchema.parse(request) });
  setHandler(registerPaymentUpdate, (request) => run.registerPayment(request), { validator: (request) => validatePayment(track, request) });
  setHandler(reversePaymentUpdate, (request) => run.reversePayment(request), { validator: (request) => validateReversal(track, request) });
  setHandler(confirmSegmentUpdate, (request) => run.confirmSegment(request), { validator: (request) => void confirmSegmentRequestSchema.parse(request) });
  setHandler(registerExceptionUpdate, (request) => run.registerException(request), { validator: (request) => validateException(track, request) });
  setHandler(resolveExceptionUpdate, (request) => run.resolveException(request), { validator: (request) => validateResolution(track, request) });
  setHandler(proposeDecisionUpdate, (request) => run.proposeDecision(request), { validator: (request) => validateProposal(track, request) });
  setHandler(approveDecisionUpdate, (request) => run.approveDecision(request), { validator: (request) => validateApproval(track, request) });
  setHandler(bailiffProgressSignal, (progress) => run.bailiffProgress(progress));
  resumeBailiffPhase(run);
  setHandler(trackStatusQuery, (asOf) => run.status(asOf));
  setHandler(letterDeliveredSignal, (report) => run.letterDelivered(report));
}

/** A new track (or a new cycle on a closed contract): the corporation's settings, policy and holds. */
async function setUp(track: TrackState): Promise<void> {
  const { corporationId, proposedSegment, caseId } = track.input;
  if (patched('track-setup-in-one-round-trip')) {
    // The intake issues the payment reference with the case now (services/case-intake/record-case.ts):
    // one activity and one workflow task fewer per track. Tracks started without one still ask.
    const referenceIssued = track.input.paymentReference !== undefined && patched('payment-reference-issued-at-intake');
    const [setup] = await Promise.all([loadTrackSetup(corporationId, proposedSegment), referenceIssued ? null : ensurePaymentReference(caseId)]);
    track.useSettings(setup.settings);
    track.adoptPolicy(setup.policy, Date.now());
    // A track opened during a segment-wide hold holds too.
    for (const hold of setup.activeHolds) track.applyHold(hold, Date.now());
  } else {
    track.useSettings(await loadCorporationSettings(corporationId));
    await loadPolicy(track);
    for (const hold of await activeHolds(corporationId, proposedSegment)) track.applyHold(hold, Date.now());
    await ensurePaymentReference(caseId);
  }
}

function shouldContinueAsNew(track: TrackState): boolean {
  const info = workflowInfo();
  const testThreshold = track.input.continueAsNewAfterEvents;
  return info.continueAsNewSuggested || (testThreshold !== undefined && info.historyLength >= testThreshold);
}

async function carryOut(run: TrackRun, step: Exclude<NextStep, { kind: 'done' }>): Promise<void> {
  const track = run.state;
  switch (step.kind) {
    case 'wait':
      return waitFor(run, step);
    case 'close_paid':
      return run.close('paid');
    case 'close_written_off':
      return run.close('written_off');
    case 'cancel_tasks':
      return endWorkTasks(track, 'cancelled', track.data.tasks.filter((t) => t.status === 'open').map((t) => t.taskId));
    case 'expire_task':
      return endWorkTasks(track, 'expired', [step.taskId]);
    case 'end_task':
      return endWorkTasks(track, 'cancelled', [step.taskId]);
    case 'load_policy':
      return loadPolicy(track);
    case 'start_arrangement':
      return startArrangement(run);
    case 'send_prenotice':
      return sendPrenotice(track, step.invoiceRefs, step.channel);
    case 'send_reminder':
      return sendReminder(track, step.rung, step.channel);
    case 'open_task':
      return openWorkTask(track, step.task, step.expiresOn);
    case 'send_early_warning':
      return sendEarlyWarningSignal(track);
    case 'send_wik_letter':
      return sendWikLetter(track, step.alongside);
    case 'end_wik_term':
      return endWikTerm(track, step.letterId);
    case 'end_later_wik_term':
      return endLaterWikTerm(track, step.letterId);
    case 'propose_handover':
      track.propose('handover', trackActor, uuid4(), Date.now());
      return;
    case 'start_bailiff_phase':
      // The office's dossier lists the payments from their projection: bring it up to date first.
      if (patched('payments-projected-before-handover')) await flushCaseEvents(track);
      return startBailiffPhase(run);
    case 'file_claim':
      // Tracks parked before claims were filed replay without the activity (no marker in their history).
      if (!patched('file-claim-with-administrator')) {
        track.addClaimFiling(step.proceeding, null, today());
        return;
      }
      return fileClaimInProceeding(track, step.proceeding, step.rulingDate);
  }
}

/** Until the step's day, or until a message changes the track; the read model is brought up to date first. */
async function waitFor(run: TrackRun, step: Extract<NextStep, { kind: 'wait' }>): Promise<void> {
  const track = run.state;
  // The read model gets a step's events in one batch, when the track settles down to wait.
  await flushCaseEvents(track);
  track.setDeadline(step.until ? { kind: step.reason, date: step.lastDay ?? step.until } : null);
  run.publish();
  const revision = track.revision;
  const woken = () => track.revision !== revision || shouldContinueAsNew(track);
  if (step.until) {
    const ms = amsterdamInstant(step.until) - Date.now();
    if (ms > 0) await condition(woken, ms, { summary: `${step.reason} on ${step.until}` });
  } else {
    await condition(woken);
  }
}
