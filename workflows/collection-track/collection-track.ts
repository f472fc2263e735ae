import {
  ApplicationFailure,
  allHandlersFinished,
  type ChildWorkflowHandle,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { amsterdamDate, amsterdamInstant } from '../../shared/calendar/amsterdam-clock.js';
import { compareIsoDates, maxIsoDate } from '../../shared/calendar/iso-date.js';
import { centsOf, formatMoney, money, sumMoney } from '../../shared/money.js';
import { earlyWarningObjectionRequestSchema } from '../../shared/track/early-warning.js';
import { holdSignal, holdSignalSchema, type HoldSignal } from '../../shared/track/holds.js';
import { completeTaskRequestSchema } from '../../shared/track/tasks.js';
import {
  ArrangementStatus,
  BailiffOffice,
  CollectionStage,
  CorporationId,
  DebtorSegment,
  NextDeadline,
  OutstandingCents,
  ParkedReason,
} from '../../shared/search-attributes.js';
import { bailiffControlSignal, bailiffPhaseWorkflowId, bailiffProgressSignal, type BailiffControl, type BailiffProgress } from '../../shared/track/bailiff-messages.js';
import {
  approveDecisionRequestSchema,
  exceptionRequestSchema,
  proposeDecisionRequestSchema,
  resolveExceptionRequestSchema,
  reversePaymentRequestSchema,
  trackActor,
} from '../../shared/track/decisions.js';
import {
  approveDecisionUpdate,
  completeTaskUpdate,
  confirmSegmentUpdate,
  recordEarlyWarningObjectionUpdate,
  proposeDecisionUpdate,
  registerClaimsUpdate,
  registerExceptionUpdate,
  registerPaymentUpdate,
  resolveExceptionUpdate,
  reversePaymentUpdate,
  trackStatusQuery,
} from '../../shared/track/messages.js';
import { confirmSegmentRequestSchema, registerClaimsRequestSchema, registerPaymentRequestSchema, type CollectionTrackInput } from '../../shared/track/track-input.js';
import type { TrackStatus } from '../../shared/track/track-status.js';
import type { bailiffPhase } from '../bailiff-phase/bailiff-phase.js';
import { localActivities, serviceActivities } from './activities.js';
import { adoptPolicy, endWikTerm, endWorkTasks, loadPolicy, openWorkTask, sendEarlyWarningSignal, sendPrenotice, sendReminder, sendWikLetter } from './amicable-steps.js';
import { endArrangement, handOverMonitor, monitorFinished, registerArrangementHandlers, startArrangement, tellMonitorOfPayments, type ArrangementContext } from './arrangement.js';
import { nextStep, type NextStep } from './next-step.js';
import { newTrackData, TrackState, upgradeTrackData, type TrackData } from './track-state.js';

const { ensurePaymentReference, loadCorporationSettings, activeHolds, fileClaim, loadTrackSetup } = serviceActivities;
const { recordCaseEvents } = localActivities;

const today = () => amsterdamDate(Date.now());
const refuse = (message: string, type = 'Refused') => ApplicationFailure.nonRetryable(message, type);

/**
 * One debtor's collection track (one tenancy contract of one corporation): reminder, the 14-day
 * letter with its statutory term, hand-over with four-eyes approval, and the bailiff phase as a
 * child workflow. Payments can arrive at any moment and a zero balance closes the track as paid,
 * whatever stage it is in. Exceptions park it; it resumes where it stood.
 *
 * The state travels as plain data (`carried`) across continue-as-new, which happens when the
 * server suggests it or, in tests, after `continueAsNewAfterEvents`.
 */
export async function collectionTrack(input: CollectionTrackInput, carried?: TrackData): Promise<TrackStatus> {
  const track = new TrackState(carried ? upgradeTrackData(carried) : newTrackData(input));
  registerHandlers(track);

  if (!carried) {
    track.record('track opened', Date.now());
    if (patched('track-setup-in-one-round-trip')) {
      const [setup] = await Promise.all([loadTrackSetup(input.corporationId, input.proposedSegment), ensurePaymentReference(input.caseId)]);
      track.data.settings = setup.settings;
      adoptPolicy(track, setup.policy);
      // A track opened during a segment-wide hold holds too.
      for (const hold of setup.activeHolds) applyHold(track, hold);
    } else {
      track.data.settings = await loadCorporationSettings(input.corporationId);
      await loadPolicy(track);
      for (const hold of await activeHolds(input.corporationId, input.proposedSegment)) applyHold(track, hold);
      await ensurePaymentReference(input.caseId);
    }
  }
  publish(track);

  for (;;) {
    const step = nextStep(track, today(), patched);
    if (step.kind === 'done') break;
    if (shouldContinueAsNew(track)) {
      await condition(allHandlersFinished);
      await Promise.all(signalsInFlight);
      await handOverMonitor(track);
      track.data.run++;
      await continueAsNew<typeof collectionTrack>(input, track.data);
    }
    await carryOut(track, step);
    publish(track);
  }
  await condition(allHandlersFinished);
  await Promise.all(signalsInFlight);
  await flushCaseEvents(track);
  // A bailiff phase started by this run finishes first (it tells the office to stop), so its
  // completion never arrives at a closed parent.
  if (bailiffChild && track.data.bailiff && !track.data.bailiff.ended) await bailiffChild.result().catch(() => undefined);
  await monitorFinished();
  return track.status(Date.now());
}

function shouldContinueAsNew(track: TrackState): boolean {
  const info = workflowInfo();
  const testThreshold = track.input.continueAsNewAfterEvents;
  return info.continueAsNewSuggested || (testThreshold !== undefined && info.historyLength >= testThreshold);
}

async function carryOut(track: TrackState, step: Exclude<NextStep, { kind: 'done' }>): Promise<void> {
  const now = Date.now();
  switch (step.kind) {
    case 'wait': {
      // The read model gets a step's events in one batch, when the track settles down to wait.
      await flushCaseEvents(track);
      track.setDeadline(step.until ? { kind: step.reason, date: step.lastDay ?? step.until } : null);
      publish(track);
      const revision = track.revision;
      const woken = () => track.revision !== revision || shouldContinueAsNew(track);
      if (step.until) {
        const ms = amsterdamInstant(step.until) - Date.now();
        if (ms > 0) await condition(woken, ms, { summary: `${step.reason} on ${step.until}` });
      } else {
        await condition(woken);
      }
      return;
    }
    case 'close_paid':
      return closeTrack(track, 'paid');
    case 'close_written_off':
      return closeTrack(track, 'written_off');
    case 'cancel_tasks':
      return endWorkTasks(track, 'cancelled', track.data.tasks.filter((t) => t.status === 'open').map((t) => t.taskId));
    case 'expire_task':
      return endWorkTasks(track, 'expired', [step.taskId]);
    case 'end_task':
      return endWorkTasks(track, 'cancelled', [step.taskId]);
    case 'load_policy':
      return loadPolicy(track);
    case 'start_arrangement':
      return startArrangement(track);
    case 'send_prenotice':
      return sendPrenotice(track, step.invoiceRefs, step.channel);
    case 'send_reminder':
      return sendReminder(track, step.rung, step.channel);
    case 'open_task':
      return openWorkTask(track, step.task, step.expiresOn);
    case 'send_early_warning':
      return sendEarlyWarningSignal(track);
    case 'send_wik_letter':
      return sendWikLetter(track);
    case 'end_wik_term':
      return endWikTerm(track, step.letterId);
    case 'propose_handover':
      track.propose('handover', trackActor, uuid4(), now);
      return;
    case 'start_bailiff_phase':
      return startBailiffPhase(track);
    case 'file_claim':
      // Tracks parked before claims were filed replay without the activity (no marker in their history).
      if (!patched('file-claim-with-administrator')) {
        track.data.claimFilings.push({ proceeding: step.proceeding, filingId: null, filedOn: today() });
        return;
      }
      return fileClaimInProceeding(track, step.proceeding, step.rulingDate);
  }
}

/** The amounts as they stood on the ruling's day: interest stops there (WSNP), costs already charged count. */
async function fileClaimInProceeding(track: TrackState, proceeding: 'wsnp' | 'bankruptcy', rulingDate: string): Promise<void> {
  const ledger = track.ledger(rulingDate);
  const open = ledger.claims.filter((c) => money(c.open).gt(0) || money(c.openInterest).gt(0));
  const principal = sumMoney(open.map((c) => c.open));
  const interest = sumMoney(open.map((c) => c.openInterest));
  const total = money(ledger.balance.outstanding);
  const filing = await fileClaim({
    idempotencyKey: `${workflowInfo().workflowId}/claim-filing/${proceeding}`,
    caseId: track.input.caseId,
    proceeding,
    rulingDate,
    invoiceRefs: open.map((c) => c.invoiceRef),
    principal: formatMoney(principal),
    interest: formatMoney(interest),
    costs: formatMoney(total.minus(principal).minus(interest)),
    total: formatMoney(total),
    filedOn: today(),
  });
  track.data.claimFilings.push({ proceeding, filingId: filing.filingId, filedOn: filing.filedOn });
  track.record(`claim of ${formatMoney(total)} filed in the ${proceeding} (filing ${filing.filingId})`, Date.now());
}

let bailiffChild: ChildWorkflowHandle<typeof bailiffPhase> | undefined;

async function startBailiffPhase(track: TrackState): Promise<void> {
  const officeId = track.data.settings?.bailiffOfficeId;
  if (!officeId) {
    track.record('hand-over approved, but the corporation has no bailiff office configured', Date.now());
    track.withdrawProposals((p) => p.decision === 'handover' && p.status === 'approved');
    return;
  }
  const workflowId = bailiffPhaseWorkflowId(workflowInfo().workflowId);
  track.data.bailiff = { officeId, workflowId, ended: false, evictionDate: null };
  track.emit('handed_over', workflowId, today(), track.outstanding(today()));
  track.moveTo('bailiff_amicable', Date.now());
  publish(track);
  bailiffChild = await startChild<typeof bailiffPhase>('bailiffPhase', {
    workflowId,
    args: [{ caseId: track.input.caseId, corporationId: track.input.corporationId, trackWorkflowId: workflowInfo().workflowId, officeId, paymentOnly: track.input.tenantDeparted ?? false }],
    // The child outlives a continue-as-new of this run; it reports back by signal to the track's id.
    parentClosePolicy: ParentClosePolicy.ABANDON,
    staticSummary: `Bailiff phase of ${workflowInfo().workflowId} at office ${officeId}`,
  });
}

/**
 * Signals sent from handlers, awaited before the run ends: a workflow that completes with a signal
 * still in flight leaves it undelivered on some servers.
 */
const signalsInFlight: Promise<unknown>[] = [];

function signalBailiff(track: TrackState, control: BailiffControl): void {
  const bailiff = track.data.bailiff;
  if (!bailiff || bailiff.ended) return;
  signalsInFlight.push(getExternalWorkflowHandle(bailiff.workflowId).signal(bailiffControlSignal, control).catch(() => undefined));
}

/**
 * Paid in full or written off: a running arrangement ends (kept, or cancelled), the bailiff phase
 * tells the office to stop and cancels a planned eviction, and the track closes.
 */
function closeTrack(track: TrackState, reason: 'paid' | 'written_off'): void {
  endArrangement(track, reason === 'paid' ? 'completed' : 'cancelled', reason === 'paid' ? 'paid in full' : 'written off', arrangementContext);
  track.close(reason, Date.now());
  signalBailiff(track, { kind: 'stop', reason });
}

const bailiffRef = (track: TrackState) => track.data.bailiff?.workflowId ?? 'bailiff';

/**
 * Writes the queued events to the read model. Tracks recorded before the read model existed
 * replay without the activity (no marker in their history); their events are dropped.
 */
async function flushCaseEvents(track: TrackState): Promise<void> {
  const events = track.data.pendingEvents;
  if (events.length === 0) return;
  track.data.pendingEvents = [];
  if (!patched('case-events-read-model')) return;
  await recordCaseEvents({ caseId: track.input.caseId, corporationId: track.input.corporationId, events });
}

function applyBailiffProgress(track: TrackState, progress: BailiffProgress): void {
  const now = Date.now();
  if (progress.event) track.record(progress.event, now);
  if (progress.fee) {
    track.chargeCosts({ kind: 'bailiff_fee', letterId: `bailiff:${progress.fee.ref}`, chargedOn: progress.fee.on, collectionCosts: progress.fee.amount, vat: '0.00' }, now);
  }
  if (progress.collected) {
    track.registerPayment({ transactionId: `bailiff:${progress.collected.eventId}`, amount: progress.collected.amount, bookedOn: progress.collected.on }, now);
  }
  if (progress.evictionDate && track.data.bailiff) track.data.bailiff.evictionDate = progress.evictionDate;
  if (progress.stage === 'court' && !track.data.courtStartedOn) {
    track.data.courtStartedOn = today();
    track.emit('court_case_started', bailiffRef(track), today());
  }
  // The bailiff phase reports the eviction by moving on to collection afterwards.
  if ((progress.stage === 'evicted' || progress.stage === 'post_eviction') && track.stage !== 'evicted' && track.stage !== 'post_eviction') {
    track.emit('evicted', bailiffRef(track), today());
  }
  if (progress.stage && !track.closed && !track.parked) track.moveTo(progress.stage, now);
  if (progress.ended && track.data.bailiff) {
    if (track.data.courtStartedOn) track.emit('court_case_ended', bailiffRef(track), today(), null, track.data.courtStartedOn);
    track.data.bailiff.ended = true;
    if (progress.ended.outcome === 'returned' && !track.closed) {
      // Returned by the office: back with the corporation, which decides on a new hand-over or a write-off.
      track.data.bailiff = null;
      track.withdrawProposals((p) => p.status === 'approved' && p.decision !== 'write_off');
      track.moveTo('awaiting_handover', now);
    }
  }
  if (progress.event?.startsWith('eviction needs')) track.propose('eviction', trackActor, uuid4(), now);
}

/** Set when the handlers are registered: what the arrangement code needs of this module. */
let arrangementContext: ArrangementContext;

function applyHold(track: TrackState, hold: HoldSignal): void {
  if (hold.action === 'start') {
    if (track.data.holds.some((h) => h.holdId === hold.holdId)) return;
    track.data.holds.push({ holdId: hold.holdId, from: hold.from, releasedOn: null });
    track.record(`hold ${hold.holdId} from ${hold.from}`, Date.now());
    return;
  }
  const held = track.data.holds.find((h) => h.holdId === hold.holdId);
  if (!held || held.releasedOn) return;
  // Released on the day it started (or a release dated before the start): no days to add.
  held.releasedOn = maxIsoDate(hold.on, held.from);
  track.record(`hold ${hold.holdId} released on ${held.releasedOn}`, Date.now());
}

function registerHandlers(track: TrackState): void {
  arrangementContext = { publish: () => publish(track), signalsInFlight };
  registerArrangementHandlers(track, arrangementContext);
  setHandler(holdSignal, (hold) => {
    const parsed = holdSignalSchema.safeParse(hold);
    // A malformed batch signal must not fail the track: it is recorded and ignored.
    if (!parsed.success) {
      track.record('a malformed hold signal was ignored', Date.now());
      return;
    }
    applyHold(track, parsed.data);
    publish(track);
  });
  setHandler(
    completeTaskUpdate,
    (request) => {
      const task = track.data.tasks.find((t) => t.taskId === request.taskId)!;
      if (task.status !== 'open') return { taskId: task.taskId, outcome: task.outcome ?? task.status, accepted: false };
      const now = Date.now();
      task.status = 'completed';
      task.outcome = request.outcome;
      task.completedOn = request.completedOn;
      track.record(`${task.kind} task ${task.taskId}: ${request.outcome}${request.promisedOn ? ` by ${request.promisedOn}` : ''} (${request.actor})`, now);
      if (request.outcome === 'promise_to_pay' && request.promisedOn) track.data.promisedUntil = request.promisedOn;
      if (request.outcome === 'dispute') track.registerException({ kind: 'dispute', since: request.completedOn, registeredBy: request.actor }, now);
      publish(track);
      return { taskId: task.taskId, outcome: request.outcome, accepted: true };
    },
    {
      validator: (request) => {
        const parsed = completeTaskRequestSchema.parse(request);
        if (!track.data.tasks.some((t) => t.taskId === parsed.taskId)) throw refuse(`no task ${parsed.taskId} on this track`, 'UnknownTask');
        if (parsed.outcome === 'promise_to_pay' && (!parsed.promisedOn || compareIsoDates(parsed.promisedOn, parsed.completedOn) < 0)) {
          throw refuse('a promise to pay needs promisedOn, not before today', 'InvalidOutcome');
        }
      },
    },
  );
  setHandler(
    recordEarlyWarningObjectionUpdate,
    (request) => {
      const recorded = !track.data.earlyWarningObjection;
      if (recorded) {
        track.data.earlyWarningObjection = { on: request.objectedOn, by: request.actor };
        track.record(`the tenant objected to the early-warning signal on ${request.objectedOn} (${request.actor})`, Date.now());
        publish(track);
      }
      return { recorded, signalSent: track.data.earlyWarning !== null };
    },
    {
      validator: (request) => {
        earlyWarningObjectionRequestSchema.parse(request);
        if (track.closed) throw refuse('the track is closed');
      },
    },
  );
  setHandler(
    registerClaimsUpdate,
    (request) => track.registerClaims(request.claims, Date.now()),
    { validator: (request) => void registerClaimsRequestSchema.parse(request) },
  );
  setHandler(
    registerPaymentUpdate,
    (request) => {
      const fresh = track.registerPayment(request, Date.now());
      if (!track.closed && track.isSettled(today())) {
        closeTrack(track, 'paid');
      } else if (fresh) {
        tellMonitorOfPayments(track, arrangementContext);
      }
      publish(track);
      return { duplicate: !fresh, outstanding: track.outstanding(today()), closed: track.closed };
    },
    { validator: (request) => void registerPaymentRequestSchema.parse(request) },
  );
  setHandler(
    reversePaymentUpdate,
    (request) => {
      const reversed = track.reversePayment(request.transactionId, request.reversedOn, request.reasonCode, Date.now());
      if (reversed) tellMonitorOfPayments(track, arrangementContext);
      publish(track);
      return { reversed, outstanding: track.outstanding(today()) };
    },
    {
      validator: (request) => {
        reversePaymentRequestSchema.parse(request);
        if (!track.hasPayment(request.transactionId)) throw refuse(`no payment ${request.transactionId} on this track`, 'UnknownPayment');
      },
    },
  );
  setHandler(
    confirmSegmentUpdate,
    (request) => {
      track.confirmSegment(request.segment, request.actor, Date.now());
      publish(track);
      return { segment: request.segment };
    },
    { validator: (request) => void confirmSegmentRequestSchema.parse(request) },
  );
  setHandler(
    registerExceptionUpdate,
    (request) => {
      // An exception ends a running arrangement; the track resumes, once resolved, where it stood before it.
      const arrangement = track.activeArrangement;
      if (arrangement) {
        endArrangement(track, 'cancelled', `exception ${request.kind}`, arrangementContext);
        track.moveTo(arrangement.stageBefore, Date.now());
      }
      const added = track.registerException({ kind: request.kind, since: request.since, registeredBy: request.actor }, Date.now());
      publish(track);
      return { added, stage: track.stage };
    },
    {
      validator: (request) => {
        exceptionRequestSchema.parse(request);
        if (track.closed) throw refuse('the track is closed');
      },
    },
  );
  setHandler(
    resolveExceptionUpdate,
    (request) => {
      const parsed = resolveExceptionRequestSchema.parse(request);
      track.resolveException(parsed.kind, parsed.actor, Date.now());
      // A settlement that ends in a clean slate or an estate without means: write the rest off,
      // which still needs a second person's approval.
      const proposal = parsed.outcome === 'write_off' ? track.propose('write_off', parsed.actor, uuid4(), Date.now()) : null;
      publish(track);
      return { stage: track.stage, proposalId: proposal?.proposalId ?? null };
    },
    {
      validator: (request) => {
        const parsed = resolveExceptionRequestSchema.parse(request);
        if (!track.data.exceptions.some((e) => e.kind === parsed.kind)) throw refuse(`no ${parsed.kind} exception on this track`, 'UnknownException');
      },
    },
  );
  setHandler(
    proposeDecisionUpdate,
    (request) => {
      const proposal = track.propose(request.decision, request.actor, uuid4(), Date.now());
      if (request.decision === 'handover' && track.stage !== 'awaiting_handover' && !track.data.bailiff) track.moveTo('awaiting_handover', Date.now());
      publish(track);
      return proposal;
    },
    {
      validator: (request) => {
        proposeDecisionRequestSchema.parse(request);
        if (track.closed) throw refuse('the track is closed');
        if (request.decision === 'eviction' && track.stage !== 'judgment') throw refuse('an eviction can be proposed after the judgment only', 'WrongStage');
        if (request.decision === 'handover' && track.data.bailiff) throw refuse('the case is already with a bailiff', 'WrongStage');
      },
    },
  );
  setHandler(
    approveDecisionUpdate,
    (request) => {
      const proposal = track.approve(request.proposalId, request.actor, Date.now());
      if (proposal.decision === 'eviction') signalBailiff(track, { kind: 'eviction_approved' });
      publish(track);
      return proposal;
    },
    {
      validator: (request) => {
        approveDecisionRequestSchema.parse(request);
        const proposal = track.data.proposals.find((p) => p.proposalId === request.proposalId);
        if (!proposal || proposal.decision !== request.decision) throw refuse(`no ${request.decision} proposal ${request.proposalId}`, 'UnknownProposal');
        if (proposal.status !== 'pending') throw refuse(`proposal ${request.proposalId} is ${proposal.status}`, 'ProposalNotPending');
        if (proposal.proposedBy === request.actor) throw refuse('four-eyes: the approver may not be the one who proposed it', 'FourEyes');
      },
    },
  );
  setHandler(bailiffProgressSignal, (progress) => {
    applyBailiffProgress(track, progress);
    publish(track);
  });
  setHandler(trackStatusQuery, (asOf) => track.status(Date.now(), asOf));
}

let lastPublished = '';

/**
 * Keeps the Temporal UI's view of the track current: search attributes (upserted only when they
 * change, since each upsert is a history event) and the details line.
 */
function publish(track: TrackState): void {
  const asOf = today();
  const outstanding = track.outstanding(asOf);
  const data = track.data;
  const arrangementStatus = data.arrangements.at(-1)?.status ?? null;
  const attributes = [data.stage, data.confirmedSegment ?? data.input.proposedSegment, centsOf(outstanding), data.nextDeadline?.date ?? null, data.exceptions[0]?.kind ?? null, data.bailiff?.officeId ?? null, arrangementStatus];
  const fingerprint = JSON.stringify(attributes);
  if (fingerprint !== lastPublished) {
    lastPublished = fingerprint;
    upsertSearchAttributes([
    { key: CollectionStage, value: data.stage },
    { key: CorporationId, value: data.input.corporationId },
    { key: DebtorSegment, value: data.confirmedSegment ?? data.input.proposedSegment },
    { key: OutstandingCents, value: centsOf(outstanding) },
    { key: NextDeadline, value: data.nextDeadline ? new Date(amsterdamInstant(data.nextDeadline.date)) : null },
    { key: ParkedReason, value: data.exceptions[0]?.kind ?? null },
    { key: BailiffOffice, value: data.bailiff?.officeId ?? null },
    { key: ArrangementStatus, value: arrangementStatus },
    ]);
  }
  const parts = [
    `Stage: ${data.stage}${data.closedReason ? ` (${data.closedReason})` : ''}.`,
    `Outstanding: € ${outstanding}.`,
    data.nextDeadline ? `Next: ${data.nextDeadline.kind}${data.nextDeadline.date ? ` on ${data.nextDeadline.date}` : ''}.` : '',
    data.exceptions.length ? `Parked: ${data.exceptions.map((e) => e.kind).join(', ')}.` : '',
    data.proposals.some((p) => p.status === 'pending') ? `Awaiting approval: ${data.proposals.filter((p) => p.status === 'pending').map((p) => p.decision).join(', ')}.` : '',
    track.activeArrangement ? `Arrangement: ${track.activeArrangement.instalments.length} instalments, total € ${track.activeArrangement.total}.` : '',
    track.onHold ? `On hold: ${data.holds.filter((h) => !h.releasedOn).map((h) => h.holdId).join(', ')}.` : '',
    data.bailiff ? `Bailiff: ${data.bailiff.officeId}${data.bailiff.evictionDate ? `, eviction ${data.bailiff.evictionDate}` : ''}.` : '',
  ];
  setCurrentDetails(parts.filter(Boolean).join(' '));
}
