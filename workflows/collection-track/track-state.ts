import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays, compareIsoDates, daysBetween, maxIsoDate, type IsoDate } from '../../shared/calendar/iso-date.js';
import { centsOf, formatMoney, money, Money, sumMoney, type MoneyString } from '../../shared/money.js';
import type { ArrangementProgress, ArrangementRequest } from '../../shared/arrangement/arrangement-messages.js';
import type { BailiffPhaseState, BailiffProgress } from '../../shared/track/bailiff-messages.js';
import type { CostCharge } from '../../shared/track/balance.js';
import type { CaseEvent, CaseEventKind } from '../../shared/track/case-events.js';
import type { Actor, Decision, ExceptionKind, Proposal } from '../../shared/track/decisions.js';
import type { EarlyWarningObjectionRequest, EarlyWarningReceipt } from '../../shared/track/early-warning.js';
import type { HoldSignal } from '../../shared/track/hold-messages.js';
import type { VersionedPolicy } from '../../shared/policy/collection-policy.js';
import type { Ledger } from '../../shared/track/ledger.js';
import type { ClosedReason, Segment, Stage } from '../../shared/track/stages.js';
import type { CompleteTaskRequest, CompleteTaskResult } from '../../shared/track/task-messages.js';
import type { CollectionTrackInput, CorporationSettings, RegisterClaimsResult, RegisterPaymentRequest, TrackClaim } from '../../shared/track/track-input.js';
import type { LetterRecord } from '../../shared/track/track-status.js';
import {
  trackLedger,
  type BailiffAssignment,
  type Deadline,
  type TrackArrangement,
  type TrackData,
  type TrackException,
  type TrackPayment,
  type TrackTask,
} from './track-data.js';

/** Keeps the carried timeline bounded; the full history stays in the earlier runs. */
const timelineLimit = 200;

/**
 * The control state of one track and the rules that change it: every change to the track's data
 * goes through here. The workflow owns the timers and activities, its run (TrackRun) the children
 * and signals; this owns the bookkeeping.
 */
export class TrackState {
  /** Bumped on every change, so a waiting step can wake up and look again. */
  revision = 0;

  constructor(readonly data: TrackData) {}

  get input(): CollectionTrackInput {
    return this.data.input;
  }
  get stage(): Stage {
    return this.data.stage;
  }
  get closed(): boolean {
    return this.data.stage === 'closed';
  }
  get parked(): boolean {
    return this.data.exceptions.length > 0;
  }
  get claims(): readonly TrackClaim[] {
    return this.data.claims;
  }
  get letters(): readonly LetterRecord[] {
    return this.data.letters;
  }

  /** A cycle is the run-up to one 14-day letter; claims that fall due after it start the next. */
  get cycle(): number {
    return this.data.letters.filter((l) => l.kind === 'wik').length + 1 + this.data.earlierCycles;
  }

  /** The letters since the last 14-day letter (or since the cycle opened on a closed contract). */
  get lettersOfCycle(): readonly LetterRecord[] {
    const start = Math.max(this.data.letters.findLastIndex((l) => l.kind === 'wik') + 1, this.data.cycleStartsAtLetter);
    return this.data.letters.slice(start);
  }

  get activeArrangement(): TrackArrangement | undefined {
    return this.data.arrangements.find((a) => a.status === 'accepted' || a.status === 'active');
  }

  /** Paid towards an arrangement: what came in (and stayed) after its acceptance, never below 0.00. */
  paidSince(arrangement: TrackArrangement): MoneyString {
    return formatMoney(Money.max(money(this.paidTotal()).minus(arrangement.paidBefore), 0));
  }

  /** The first day of default (the day after the due date, art. 6:83 sub a BW) of the oldest claim still open. */
  defaultSince(today: IsoDate): IsoDate | null {
    const oldestDue = this.ledger(today)
      .claims.filter((c) => money(c.open).gt(0) && compareIsoDates(c.dueDate, today) < 0)
      .map((c) => c.dueDate)
      .sort(compareIsoDates)[0];
    return oldestDue ? addDays(oldestDue, 1) : null;
  }

  /** Calls and visits that got an outcome: the personal contact attempts the Bgs asks for (§7). */
  get contactAttempts(): readonly TrackTask[] {
    return this.data.tasks.filter((t) => t.status === 'completed' && (t.kind === 'call' || t.kind === 'visit'));
  }

  /** Approved (or pending) decisions that no longer apply: a hand-over that cannot go ahead, a returned case. */
  withdrawProposals(applies: (proposal: Proposal) => boolean): void {
    this.data.proposals = this.data.proposals.map((p) => (applies(p) ? { ...p, status: 'withdrawn' } : p));
  }

  get onHold(): boolean {
    return this.data.holds.some((h) => h.releasedOn === null);
  }

  /** A segment-wide hold (from the hold batch) starts or is released; a repeat changes nothing. */
  applyHold(hold: HoldSignal, nowMs: number): void {
    if (hold.action === 'start') {
      if (this.data.holds.some((h) => h.holdId === hold.holdId)) return;
      this.data.holds.push({ holdId: hold.holdId, from: hold.from, releasedOn: null });
      this.record(`hold ${hold.holdId} from ${hold.from}`, nowMs);
      return;
    }
    const held = this.data.holds.find((h) => h.holdId === hold.holdId);
    if (!held || held.releasedOn) return;
    // Released on the day it started (or a release dated before the start): no days to add.
    held.releasedOn = maxIsoDate(hold.on, held.from);
    this.record(`hold ${hold.holdId} released on ${held.releasedOn}`, nowMs);
  }

  /**
   * A date the policy set, counted from `since`, moved on by the days of every released hold that
   * fell in between: the hold stops the clock, it does not shorten what is left.
   */
  extendByHolds(date: IsoDate, since: IsoDate): IsoDate {
    let extended = date;
    for (const hold of [...this.data.holds].sort((a, b) => compareIsoDates(a.from, b.from))) {
      if (!hold.releasedOn) continue;
      const start = maxIsoDate(hold.from, since);
      if (compareIsoDates(start, hold.releasedOn) >= 0 || compareIsoDates(start, extended) > 0) continue;
      extended = addDays(extended, daysBetween(start, hold.releasedOn));
    }
    return extended;
  }

  useSettings(settings: CorporationSettings): void {
    this.data.settings = settings;
  }

  /** The next run (continue-as-new) counts itself, for the Temporal UI's details line. */
  startNextRun(): void {
    this.data.run++;
  }

  /** Queues an event for the read model; `ref` makes its key unique within the case. */
  emit(kind: CaseEventKind, ref: string, occurredOn: string, amount: MoneyString | null = null, since?: string): void {
    this.data.pendingEvents.push({ key: `${this.input.caseId}/${kind}/${ref}`, kind, occurredOn, amount, ...(since ? { since } : {}) });
  }

  /** The stage the read model does not have yet, if any. */
  get unrecordedStage(): Stage | null {
    return this.data.stage !== this.data.projectedStage ? this.data.stage : null;
  }

  get hasUnrecordedEvents(): boolean {
    return this.data.pendingEvents.length > 0;
  }

  /** Hands the queued events, and the payments changed since the last write, to the read model's writer. */
  takeUnrecorded(): { events: CaseEvent[]; payments: TrackPayment[] } {
    const events = this.data.pendingEvents;
    this.data.pendingEvents = [];
    const changed = new Set(this.data.pendingPayments.splice(0));
    return { events, payments: this.data.payments.filter((p) => changed.has(p.transactionId)) };
  }

  stageRecorded(stage: Stage): void {
    this.data.projectedStage = stage;
  }

  record(event: string, nowMs: number): void {
    this.data.timeline.push({ at: new Date(nowMs).toISOString(), event });
    if (this.data.timeline.length > timelineLimit) this.data.timeline.splice(0, this.data.timeline.length - timelineLimit);
    this.revision++;
  }

  /**
   * Adopts a policy version for the current cycle (loaded at a safe point only: see loadPolicy).
   * A reload of the same version is no news for the timeline.
   */
  adoptPolicy(loaded: VersionedPolicy, nowMs: number): void {
    const previous = this.data.policy?.version;
    this.data.policy = loaded;
    this.data.policyLoadedForCycle = this.cycle;
    if (previous !== loaded.version) this.record(`collection policy version ${loaded.version} governs cycle ${this.cycle}`, nowMs);
  }

  /** On the worklist (the task service has it): a dispute goes to the complaints worklist. */
  addTask(task: TrackTask, nowMs: number): void {
    this.data.tasks.push(task);
    if (task.kind === 'dispute') {
      this.record(`dispute routed to the complaints worklist (${task.taskId}), to be answered by ${task.expiresOn}`, nowMs);
      return;
    }
    this.record(`${task.kind} task ${task.taskId} opened until ${task.expiresOn}`, nowMs);
  }

  /** Closed at the task service: an outcome that raced the close has been taken already, and stays. */
  endTask(task: TrackTask, status: 'expired' | 'cancelled', nowMs: number): void {
    if (task.status !== 'open') return;
    task.status = status;
    this.record(`${task.kind} task ${task.taskId} ${status}`, nowMs);
  }

  earlyWarningSent(receipt: EarlyWarningReceipt, arrears: MoneyString, nowMs: number): void {
    this.data.earlyWarning = { ...receipt, arrears };
    this.record(`early warning sent to the municipality (receipt ${receipt.receipt}) over arrears of ${arrears}`, nowMs);
  }

  /** A 14-day letter sent alongside the cycle's: its term has been dealt with. */
  wikTermEnded(letterId: string): void {
    this.data.endedWikTerms.push(letterId);
  }

  /** A person's outcome of a call or visit; a task that has already ended takes none. */
  completeTask(request: CompleteTaskRequest, nowMs: number): CompleteTaskResult {
    const task = this.data.tasks.find((t) => t.taskId === request.taskId)!;
    if (task.status !== 'open') return { taskId: task.taskId, outcome: task.outcome ?? task.status, accepted: false };
    task.status = 'completed';
    task.outcome = request.outcome;
    task.completedOn = request.completedOn;
    this.record(`${task.kind} task ${task.taskId}: ${request.outcome}${request.promisedOn ? ` by ${request.promisedOn}` : ''} (${request.actor})`, nowMs);
    if (request.outcome === 'promise_to_pay' && request.promisedOn) this.data.promisedUntil = request.promisedOn;
    if (request.outcome === 'dispute') this.registerException({ kind: 'dispute', since: request.completedOn, registeredBy: request.actor }, nowMs);
    return { taskId: task.taskId, outcome: request.outcome, accepted: true };
  }

  /** The tenant's first objection counts; the answer says whether the signal had gone out already. */
  recordEarlyWarningObjection(request: EarlyWarningObjectionRequest, nowMs: number): { recorded: boolean; signalSent: boolean } {
    const recorded = !this.data.earlyWarningObjection;
    if (recorded) {
      this.data.earlyWarningObjection = { on: request.objectedOn, by: request.actor };
      this.record(`the tenant objected to the early-warning signal on ${request.objectedOn} (${request.actor})`, nowMs);
    }
    return { recorded, signalSent: this.data.earlyWarning !== null };
  }

  registerClaims(claims: readonly TrackClaim[], nowMs: number): RegisterClaimsResult {
    const added: string[] = [];
    const alreadyKnown: string[] = [];
    for (const claim of claims) {
      if (this.data.claims.some((known) => known.invoiceRef === claim.invoiceRef)) {
        alreadyKnown.push(claim.invoiceRef);
        continue;
      }
      this.data.claims.push({ ...claim });
      added.push(claim.invoiceRef);
    }
    if (added.length > 0) this.record(`claims added: ${added.join(', ')}`, nowMs);
    return { caseId: this.input.caseId, openedBy: this.input.openedBy, added, alreadyKnown };
  }

  hasPayment(transactionId: string): boolean {
    return this.data.payments.some((p) => p.transactionId === transactionId);
  }

  /** Why a payment cannot be taken as a repeat: its transaction id is booked with other details. */
  paymentConflict(payment: RegisterPaymentRequest): string | null {
    const known = this.data.payments.find((p) => p.transactionId === payment.transactionId);
    if (!known || (money(known.amount).equals(payment.amount) && known.bookedOn === payment.bookedOn)) return null;
    return `transaction ${payment.transactionId} is already booked with amount ${known.amount} on ${known.bookedOn}`;
  }

  /** Why a reversal cannot be taken as a repeat: the payment was reversed on another day or for another reason. */
  reversalConflict(transactionId: string, reversedOn: string, reason: string): string | null {
    const known = this.data.payments.find((p) => p.transactionId === transactionId);
    if (!known?.reversedOn || (known.reversedOn === reversedOn && known.reversalReason === reason)) return null;
    return `payment ${transactionId} was already reversed on ${known.reversedOn} (${known.reversalReason})`;
  }

  registerPayment(payment: RegisterPaymentRequest, nowMs: number): boolean {
    if (this.hasPayment(payment.transactionId)) return false;
    this.data.payments.push({ ...payment });
    this.data.pendingPayments.push(payment.transactionId);
    this.emit('payment', payment.transactionId, payment.bookedOn, payment.amount);
    this.record(`payment ${payment.transactionId} of ${payment.amount} booked on ${payment.bookedOn}`, nowMs);
    return true;
  }

  reversePayment(transactionId: string, reversedOn: string, reason: string, nowMs: number): boolean {
    const payment = this.data.payments.find((p) => p.transactionId === transactionId);
    if (!payment || payment.reversedOn) return false;
    payment.reversedOn = reversedOn;
    payment.reversalReason = reason;
    this.data.pendingPayments.push(transactionId);
    this.emit('payment_reversed', transactionId, reversedOn, payment.amount);
    this.record(`payment ${transactionId} reversed on ${reversedOn} (${reason})`, nowMs);
    return true;
  }

  chargeCosts(charge: CostCharge, nowMs: number): void {
    if (this.data.costCharges.some((c) => c.letterId === charge.letterId)) return;
    this.data.costCharges.push(charge);
    if (charge.kind !== 'bailiff_fee') this.emit('collection_costs', charge.letterId, charge.chargedOn, formatMoney(money(charge.collectionCosts).plus(charge.vat)));
    this.record(`costs ${charge.collectionCosts} (VAT ${charge.vat}) charged for ${charge.letterId}`, nowMs);
  }

  addLetter(letter: LetterRecord, nowMs: number): void {
    this.data.letters.push(letter);
    this.record(`${letter.kind} letter ${letter.letterId} posted on ${letter.date}`, nowMs);
  }

  moveTo(stage: Stage, nowMs: number, deadline: Deadline | null = null): void {
    this.data.stage = stage;
    this.data.nextDeadline = deadline;
    this.record(`stage ${stage}${deadline ? ` until ${deadline.date} (${deadline.kind})` : ''}`, nowMs);
  }

  setDeadline(deadline: Deadline | null): void {
    this.data.nextDeadline = deadline;
  }

  close(reason: ClosedReason, nowMs: number): void {
    const on = amsterdamDate(nowMs);
    if (reason === 'paid') {
      const firstDue = this.data.claims.map((c) => c.dueDate).sort(compareIsoDates)[0];
      this.emit('closed_paid', 'track', on, this.paidTotal(), firstDue ? addDays(firstDue, 1) : undefined);
    }
    if (reason === 'written_off') this.emit('written_off', 'track', on, this.outstanding(on));
    // Paid or written off while the bailiff's court case runs: that ends the case too.
    const bailiff = this.data.bailiff;
    if (bailiff && !bailiff.ended && this.data.courtStartedOn) this.emit('court_case_ended', bailiff.workflowId, on, null, this.data.courtStartedOn);
    this.data.closedReason = reason;
    this.data.closedOn = on;
    this.data.stageBeforeParking = null;
    this.moveTo('closed', nowMs);
  }

  confirmSegment(segment: Segment, actor: Actor, nowMs: number): void {
    this.data.confirmedSegment = segment;
    this.record(`segment ${segment} confirmed by ${actor}`, nowMs);
  }

  registerException(exception: TrackException, nowMs: number): boolean {
    if (this.data.exceptions.some((e) => e.kind === exception.kind)) return false;
    this.data.exceptions.push(exception);
    if ((exception.kind === 'wsnp' || exception.kind === 'bankruptcy') && !this.data.interestStopsOn) {
      this.data.interestStopsOn = exception.since;
    }
    if (this.data.stage !== 'parked') {
      this.data.stageBeforeParking = this.data.stage;
      this.moveTo('parked', nowMs);
    }
    this.record(`exception ${exception.kind} since ${exception.since} registered by ${exception.registeredBy}`, nowMs);
    return true;
  }

  resolveException(kind: ExceptionKind, actor: Actor, nowMs: number): boolean {
    const index = this.data.exceptions.findIndex((e) => e.kind === kind);
    if (index < 0) return false;
    this.data.exceptions.splice(index, 1);
    this.record(`exception ${kind} resolved by ${actor}`, nowMs);
    if (this.data.exceptions.length === 0 && this.data.stage === 'parked') {
      this.moveTo(this.data.stageBeforeParking ?? 'reminder', nowMs);
      this.data.stageBeforeParking = null;
      // Resuming is a safe point: the policy in force now governs what comes next.
      this.data.policyLoadedForCycle = 0;
    }
    return true;
  }

  pendingProposal(decision: Decision): Proposal | undefined {
    return this.data.proposals.find((p) => p.decision === decision && p.status === 'pending');
  }

  approvedProposal(decision: Decision): Proposal | undefined {
    return this.data.proposals.find((p) => p.decision === decision && p.status === 'approved');
  }

  propose(decision: Decision, proposedBy: Actor, proposalId: string, nowMs: number): Proposal {
    const existing = this.pendingProposal(decision);
    if (existing) return existing;
    const proposal: Proposal = { proposalId, decision, proposedBy, proposedAt: new Date(nowMs).toISOString(), status: 'pending', approvedBy: null };
    this.data.proposals.push(proposal);
    this.record(`${decision} proposed by ${proposedBy} (${proposalId})`, nowMs);
    return proposal;
  }

  /** A hand-over proposed by a person moves the track to wait for its approval, unless a bailiff has the case. */
  proposeDecision(decision: Decision, proposedBy: Actor, proposalId: string, nowMs: number): Proposal {
    const proposal = this.propose(decision, proposedBy, proposalId, nowMs);
    if (decision === 'handover' && this.data.stage !== 'awaiting_handover' && !this.data.bailiff) this.moveTo('awaiting_handover', nowMs);
    return proposal;
  }

  approve(proposalId: string, approver: Actor, nowMs: number): Proposal {
    const proposal = this.data.proposals.find((p) => p.proposalId === proposalId)!;
    proposal.status = 'approved';
    proposal.approvedBy = approver;
    this.record(`${proposal.decision} approved by ${approver}`, nowMs);
    return proposal;
  }

  /** Accepted today under the policy's rules (already checked); the monitor starts with the confirmation letter. */
  acceptArrangement(arrangementId: string, request: ArrangementRequest, terms: { total: MoneyString; firstDueDate: IsoDate }, on: IsoDate, nowMs: number): void {
    this.data.arrangements.push({
      arrangementId,
      acceptedOn: on,
      acceptedBy: request.actor,
      instalments: request.instalments,
      total: terms.total,
      paidBefore: this.paidTotal(),
      stageBefore: this.stage,
      policyVersion: this.data.policy?.version ?? 0,
      status: 'accepted',
      endedOn: null,
      monitorRunning: false,
      remindedInstalments: [],
    });
    this.moveTo('arrangement', nowMs, { kind: 'instalment', date: terms.firstDueDate });
    this.emit('arrangement_accepted', arrangementId, on, terms.total);
    this.record(`arrangement ${arrangementId} of ${terms.total} in ${request.instalments.length} instalments accepted by ${request.actor}`, nowMs);
  }

  /** Confirmed by letter (or carried into this run): from now on a monitor watches it. */
  monitorArrangement(arrangement: TrackArrangement): void {
    arrangement.status = 'active';
    arrangement.monitorRunning = true;
  }

  /** The monitors ended with the run that started them; the next run starts them again. */
  monitorsHandedOver(): void {
    for (const arrangement of this.data.arrangements) arrangement.monitorRunning = false;
  }

  endArrangement(arrangement: TrackArrangement, ending: ArrangementEnding, nowMs: number): void {
    arrangement.status = ending.status;
    arrangement.endedOn = ending.on;
    if (ending.status === 'completed') this.emit('arrangement_kept', arrangement.arrangementId, ending.on, arrangement.total);
    if (ending.status === 'breached') this.emit('arrangement_breached', arrangement.arrangementId, ending.on, ending.shortfall ?? null);
    if (ending.note) this.record(`arrangement ${arrangement.arrangementId} ${ending.note}`, nowMs);
    if (ending.resumeAt && (ending.always || this.data.stage === 'arrangement')) this.moveTo(ending.resumeAt, nowMs);
  }

  /** What the arrangement's monitor reports: a reminder sent, or how the arrangement ended. */
  applyArrangementProgress(progress: ArrangementProgress, nowMs: number): void {
    const arrangement = this.data.arrangements.find((a) => a.arrangementId === progress.arrangementId);
    if (!arrangement) return;
    if (progress.kind !== 'reminder_sent') arrangement.monitorRunning = false;
    switch (progress.kind) {
      case 'reminder_sent': {
        const reminded = (arrangement.remindedInstalments ??= []);
        if (reminded.includes(progress.instalment)) return;
        reminded.push(progress.instalment);
        this.record(`instalment ${progress.instalment + 1} reminder sent (letter ${progress.letterId})`, nowMs);
        return;
      }
      case 'breached':
        if (arrangement.status !== 'active') return;
        // Control goes back to the track, at the step where it stood; interest over the period is owed again.
        this.endArrangement(
          arrangement,
          { status: 'breached', on: progress.on, shortfall: progress.shortfall, note: `breached: instalment ${progress.instalment + 1} short by ${progress.shortfall}`, resumeAt: arrangement.stageBefore },
          nowMs,
        );
        this.data.policyLoadedForCycle = 0;
        return;
      case 'completed':
        if (arrangement.status !== 'active') return;
        // Paid in full closes the track (the loop sees the zero balance); rent that fell due meanwhile
        // and stayed unpaid starts a cycle of its own.
        this.endArrangement(arrangement, { status: 'completed', on: progress.on, note: 'completed', resumeAt: 'reminder' }, nowMs);
        return;
      case 'cancelled':
        if (arrangement.status === 'active' || arrangement.status === 'accepted') this.endArrangement(arrangement, { status: 'cancelled', on: progress.on, resumeAt: arrangement.stageBefore }, nowMs);
        return;
    }
  }

  /**
   * The approved hand-over: the case goes to the corporation's bailiff office, under the phase's
   * workflow id. Without an office configured the approval lapses (null).
   */
  handOverToBailiff(workflowId: string, nowMs: number): BailiffAssignment | null {
    const officeId = this.data.settings?.bailiffOfficeId;
    if (!officeId) {
      this.record('hand-over approved, but the corporation has no bailiff office configured', nowMs);
      this.withdrawProposals((p) => p.decision === 'handover' && p.status === 'approved');
      return null;
    }
    const on = amsterdamDate(nowMs);
    this.data.bailiff = { officeId, workflowId, ended: false, evictionDate: null };
    this.emit('handed_over', workflowId, on, this.outstanding(on));
    this.moveTo('bailiff_amicable', nowMs);
    return this.data.bailiff;
  }

  /** The handed-over phase runs again in this run: its state is no longer carried. */
  bailiffResumed(bailiff: BailiffAssignment, nowMs: number): void {
    delete bailiff.carried;
    this.record(`bailiff phase resumed in this run (stage ${this.stage})`, nowMs);
  }

  /** The phase handed over its state: the next run starts it again from there. */
  carryBailiff(bailiff: BailiffAssignment, state: BailiffPhaseState): void {
    bailiff.carried = state;
  }

  /** The phase stopped, or ended without a report the track could take its end from. */
  bailiffEnded(bailiff: BailiffAssignment): void {
    bailiff.ended = true;
  }

  private get bailiffRef(): string {
    return this.data.bailiff?.workflowId ?? 'bailiff';
  }

  /** What the bailiff phase reports: its stage, fees, money it collected, the eviction date, its end. */
  applyBailiffProgress(progress: BailiffProgress, nowMs: number): void {
    const today = amsterdamDate(nowMs);
    if (progress.event) this.record(progress.event, nowMs);
    if (progress.fee) {
      this.chargeCosts({ kind: 'bailiff_fee', letterId: `bailiff:${progress.fee.ref}`, chargedOn: progress.fee.on, collectionCosts: progress.fee.amount, vat: '0.00' }, nowMs);
    }
    if (progress.collected) {
      this.registerPayment({ transactionId: `bailiff:${progress.collected.eventId}`, amount: progress.collected.amount, bookedOn: progress.collected.on }, nowMs);
    }
    if (progress.evictionDate && this.data.bailiff) this.data.bailiff.evictionDate = progress.evictionDate;
    if (progress.stage === 'court' && !this.data.courtStartedOn) {
      this.data.courtStartedOn = today;
      this.emit('court_case_started', this.bailiffRef, today);
    }
    // The bailiff phase reports the eviction by moving on to collection afterwards.
    if ((progress.stage === 'evicted' || progress.stage === 'post_eviction') && this.data.stage !== 'evicted' && this.data.stage !== 'post_eviction') {
      this.emit('evicted', this.bailiffRef, today);
    }
    if (progress.stage && !this.closed && !this.parked) this.moveTo(progress.stage, nowMs);
    if (progress.ended && this.data.bailiff) {
      if (this.data.courtStartedOn) this.emit('court_case_ended', this.bailiffRef, today, null, this.data.courtStartedOn);
      this.data.bailiff.ended = true;
      if (progress.ended.outcome === 'returned' && !this.closed) {
        // Returned by the office: back with the corporation, which decides on a new hand-over or a write-off.
        this.data.bailiff = null;
        this.withdrawProposals((p) => p.status === 'approved' && p.decision !== 'write_off');
        this.moveTo('awaiting_handover', nowMs);
      }
    }
  }

  /** Filed in a WSNP or a bankruptcy (filingId null: parked before claims were filed). */
  addClaimFiling(proceeding: 'wsnp' | 'bankruptcy', filingId: string | null, filedOn: IsoDate): void {
    this.data.claimFilings.push({ proceeding, filingId, filedOn });
  }

  /** Everything paid on the track that stayed paid (reversals excluded). */
  paidTotal(): MoneyString {
    return formatMoney(sumMoney(this.data.payments.filter((p) => !p.reversedOn).map((p) => p.amount)));
  }

  ledger(asOf: string): Ledger {
    return trackLedger(this.data, asOf);
  }

  /** Paid in full: every claim and every charged cost settled (a credit may remain). */
  isSettled(asOf: string): boolean {
    return this.settledBy(this.ledger(asOf));
  }

  /** The same, on a ledger already derived for the moment. */
  settledBy(ledger: Ledger): boolean {
    return this.data.claims.length > 0 && centsOf(ledger.balance.outstanding) === 0;
  }

  outstanding(asOf: string): MoneyString {
    return this.ledger(asOf).balance.outstanding;
  }
}

/** How an arrangement ends, from the track's side (paid, written off, an exception) or its monitor's. */
export interface ArrangementEnding {
  readonly status: 'breached' | 'completed' | 'cancelled';
  readonly on: IsoDate;
  /** A breach: what the missed instalment lacked. */
  readonly shortfall?: MoneyString;
  /** The timeline's words after "arrangement <id>"; none for a cancellation the monitor reports. */
  readonly note?: string;
  /**
   * The stage the track goes on from, if it still stands in the arrangement's stage; `always` for
   * an exception, which parks the track from the stage before the arrangement wherever it stands.
   */
  readonly resumeAt?: Stage;
  readonly always?: true;
}
