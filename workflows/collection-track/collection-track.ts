import {
  ApplicationFailure,
  allHandlersFinished,
  type ChildWorkflowHandle,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { amsterdamDate, amsterdamInstant } from '../../shared/calendar/amsterdam-clock.js';
import { deliveryOffsetOn } from '../../shared/calendar/presumed-delivery.js';
import { collectionCosts, vatOnCosts } from '../../shared/legal/collection-costs.js';
import { nextWikLetter } from '../../shared/legal/wik-letter-claims.js';
import { wikLetterTerm } from '../../shared/legal/wik-letter-term.js';
import { centsOf, formatMoney, money } from '../../shared/money.js';
import { defaultCollectionPolicy } from '../../shared/policy/collection-policy.js';
import {
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
  confirmSegmentUpdate,
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
import { serviceActivities } from './activities.js';
import { nextStep, type NextStep } from './next-step.js';
import { newTrackData, TrackState, type TrackData } from './track-state.js';

const { sendLetter, ensurePaymentReference, loadCorporationSettings } = serviceActivities;

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
  currentInput = input;
  const track = new TrackState(carried ?? newTrackData(input));
  const policy = defaultCollectionPolicy;
  registerHandlers(track);

  if (!carried) {
    track.record('track opened', Date.now());
    track.data.settings = await loadCorporationSettings(input.corporationId);
    await ensurePaymentReference(input.caseId);
  }
  publish(track);

  for (;;) {
    const step = nextStep(track, today(), policy);
    if (step.kind === 'done') break;
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      await Promise.all(signalsInFlight);
      track.data.run++;
      await continueAsNew<typeof collectionTrack>(input, track.data);
    }
    await carryOut(track, step);
    publish(track);
  }
  await condition(allHandlersFinished);
  await Promise.all(signalsInFlight);
  // A bailiff phase started by this run finishes first (it tells the office to stop), so its
  // completion never arrives at a closed parent.
  if (bailiffChild && track.data.bailiff && !track.data.bailiff.ended) await bailiffChild.result().catch(() => undefined);
  return track.status(Date.now());
}

let currentInput: CollectionTrackInput | undefined;

function shouldContinueAsNew(): boolean {
  const info = workflowInfo();
  const testThreshold = currentInput?.continueAsNewAfterEvents;
  return info.continueAsNewSuggested || (testThreshold !== undefined && info.historyLength >= testThreshold);
}

async function carryOut(track: TrackState, step: Exclude<NextStep, { kind: 'done' }>): Promise<void> {
  const now = Date.now();
  switch (step.kind) {
    case 'wait': {
      track.setDeadline(step.until ? { kind: step.reason, date: step.lastDay ?? step.until } : null);
      publish(track);
      const revision = track.revision;
      const woken = () => track.revision !== revision || shouldContinueAsNew();
      if (step.until) {
        const ms = amsterdamInstant(step.until) - Date.now();
        if (ms > 0) await condition(woken, ms, { summary: `${step.reason} on ${step.until}` });
      } else {
        await condition(woken);
      }
      return;
    }
    case 'close_paid':
      track.close('paid', now);
      stopBailiff(track, 'paid');
      return;
    case 'close_written_off':
      track.close('written_off', now);
      stopBailiff(track, 'written_off');
      return;
    case 'send_reminder':
      return sendReminder(track);
    case 'send_wik_letter':
      return sendWikLetter(track);
    case 'end_wik_term':
      return endWikTerm(track, step.letterId);
    case 'propose_handover':
      track.propose('handover', trackActor, uuid4(), now);
      return;
    case 'start_bailiff_phase':
      return startBailiffPhase(track);
  }
}

async function sendReminder(track: TrackState): Promise<void> {
  const ledger = track.ledger(today());
  const open = ledger.claims.filter((c) => money(c.open).gt(0));
  const letter = await sendLetter({
    idempotencyKey: `${workflowInfo().workflowId}/reminder/${track.letters.length + 1}`,
    caseId: track.input.caseId,
    kind: 'reminder',
    postedOn: today(),
    facts: {
      invoiceRefs: open.map((c) => c.invoiceRef),
      principal: formatMoney(open.reduce((sum, c) => sum.plus(c.open), money(0))),
      interest: ledger.balance.interest,
      outstanding: ledger.balance.outstanding,
    },
  });
  track.addLetter(
    { letterId: letter.letterId, kind: 'reminder', date: letter.postedOn, channel: letter.channel, deliveredAt: letter.deliveredOn, invoiceRefs: open.map((c) => c.invoiceRef) },
    Date.now(),
  );
}

/**
 * The 14-day letter (art. 6:96 lid 6 BW): every claim in default that no earlier 14-day letter
 * held goes in (lid 7), the costs are stated exactly, and the term runs from the day after
 * presumed delivery.
 */
async function sendWikLetter(track: TrackState): Promise<void> {
  const postedOn = today();
  const settings = track.data.settings!;
  const ledger = track.ledger(postedOn);
  const earlierLetters = track.letters
    .filter((l) => l.kind === 'wik')
    .map((l) => ({ postedOn: l.date, invoiceRefs: l.invoiceRefs, principal: l.principal ?? '0.00', collectionCosts: l.collectionCosts ?? '0.00' }));
  const content = nextWikLetter({ openClaims: ledger.claims.map((c) => ({ invoiceRef: c.invoiceRef, dueDate: c.dueDate, open: c.open })), earlierLetters, today: postedOn });
  if (!content) {
    // Nothing in default that a 14-day letter may still claim: wait for hand-over instead.
    track.moveTo('awaiting_handover', Date.now());
    return;
  }
  if (track.stage !== 'wik_letter') track.moveTo('wik_letter', Date.now());
  const vat = formatMoney(vatOnCosts(content.collectionCosts, settings.vatSurcharge, postedOn));
  const term = wikLetterTerm({ posted: postedOn, days: 14, deliveryDays: deliveryOffsetOn(postedOn, settings.deliveryOffsetSchedule) });
  const letter = await sendLetter({
    idempotencyKey: `${workflowInfo().workflowId}/wik/${track.letters.length + 1}`,
    caseId: track.input.caseId,
    kind: 'wik',
    postedOn,
    facts: {
      invoiceRefs: content.invoiceRefs,
      principal: content.principal,
      interest: ledger.balance.interest,
      collectionCosts: content.collectionCosts,
      vat,
      outstanding: ledger.balance.outstanding,
      termDays: 14,
      presumedDelivery: term.delivered,
      deadline: term.deadline,
    },
  });
  track.addLetter(
    {
      letterId: letter.letterId,
      kind: 'wik',
      date: letter.postedOn,
      channel: letter.channel,
      deliveredAt: letter.deliveredOn,
      presumedDelivery: term.delivered,
      deadline: term.deadline,
      costsDueFrom: term.costsDueFrom,
      invoiceRefs: content.invoiceRefs,
      principal: content.principal,
      collectionCosts: content.collectionCosts,
      vat,
    },
    Date.now(),
  );
}

/**
 * The term has passed. Costs are owed over what was not paid in time (never more than the letter
 * announced); if the letter's claims were paid, any newer claims start a cycle of their own.
 */
function endWikTerm(track: TrackState, letterId: string): void {
  const letter = track.letters.find((l) => l.letterId === letterId)!;
  const unpaid = track
    .ledger(letter.costsDueFrom!)
    .claims.filter((c) => letter.invoiceRefs.includes(c.invoiceRef))
    .reduce((sum, c) => sum.plus(c.open), money(0));
  if (centsOf(unpaid) === 0) {
    track.moveTo('reminder', Date.now());
    return;
  }
  const settings = track.data.settings!;
  const overUnpaid = collectionCosts({ principal: formatMoney(unpaid), vatSurcharge: settings.vatSurcharge, on: letter.costsDueFrom! });
  const announced = money(letter.collectionCosts ?? '0.00');
  const costs = money(overUnpaid.collectionCosts).lt(announced) ? money(overUnpaid.collectionCosts) : announced;
  track.chargeCosts(
    {
      kind: 'collection_costs',
      letterId,
      chargedOn: letter.costsDueFrom!,
      collectionCosts: formatMoney(costs),
      vat: formatMoney(vatOnCosts(costs, settings.vatSurcharge, letter.costsDueFrom!)),
    },
    Date.now(),
  );
  track.moveTo('awaiting_handover', Date.now());
}

let bailiffChild: ChildWorkflowHandle<typeof bailiffPhase> | undefined;

async function startBailiffPhase(track: TrackState): Promise<void> {
  const officeId = track.data.settings?.bailiffOfficeId;
  if (!officeId) {
    track.record('hand-over approved, but the corporation has no bailiff office configured', Date.now());
    track.data.proposals = track.data.proposals.map((p) => (p.decision === 'handover' && p.status === 'approved' ? { ...p, status: 'withdrawn' } : p));
    return;
  }
  const workflowId = bailiffPhaseWorkflowId(workflowInfo().workflowId);
  track.data.bailiff = { officeId, workflowId, ended: false, evictionDate: null };
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

/** The bailiff phase tells the office to stop and cancels a planned eviction. */
function stopBailiff(track: TrackState, reason: 'paid' | 'written_off'): void {
  signalBailiff(track, { kind: 'stop', reason });
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
  if (progress.stage && !track.closed && !track.parked) track.moveTo(progress.stage, now);
  if (progress.ended && track.data.bailiff) {
    track.data.bailiff.ended = true;
    if (progress.ended.outcome === 'returned' && !track.closed) {
      // Returned by the office: back with the corporation, which decides on a new hand-over or a write-off.
      track.data.bailiff = null;
      track.data.proposals = track.data.proposals.map((p) => (p.status === 'approved' && p.decision !== 'write_off' ? { ...p, status: 'withdrawn' } : p));
      track.moveTo('awaiting_handover', now);
    }
  }
  if (progress.event?.startsWith('eviction needs')) track.propose('eviction', trackActor, uuid4(), now);
}

function registerHandlers(track: TrackState): void {
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
        track.close('paid', Date.now());
        stopBailiff(track, 'paid');
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
  const attributes = [data.stage, data.confirmedSegment ?? data.input.proposedSegment, centsOf(outstanding), data.nextDeadline?.date ?? null, data.exceptions[0]?.kind ?? null, data.bailiff?.officeId ?? null];
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
    ]);
  }
  const parts = [
    `Stage: ${data.stage}${data.closedReason ? ` (${data.closedReason})` : ''}.`,
    `Outstanding: € ${outstanding}.`,
    data.nextDeadline ? `Next: ${data.nextDeadline.kind}${data.nextDeadline.date ? ` on ${data.nextDeadline.date}` : ''}.` : '',
    data.exceptions.length ? `Parked: ${data.exceptions.map((e) => e.kind).join(', ')}.` : '',
    data.proposals.some((p) => p.status === 'pending') ? `Awaiting approval: ${data.proposals.filter((p) => p.status === 'pending').map((p) => p.decision).join(', ')}.` : '',
    data.bailiff ? `Bailiff: ${data.bailiff.officeId}${data.bailiff.evictionDate ? `, eviction ${data.bailiff.evictionDate}` : ''}.` : '',
  ];
  setCurrentDetails(parts.filter(Boolean).join(' '));
}
