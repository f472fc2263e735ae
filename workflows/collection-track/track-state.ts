import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays, compareIsoDates, daysBetween, maxIsoDate, type IsoDate } from '../../shared/calendar/iso-date.js';
import { centsOf, formatMoney, money, sumMoney, type MoneyString } from '../../shared/money.js';
import type { ArrangementProgress, ArrangementRequest } from '../../shared/arrangement/arrangement-messages.js';
import type { BailiffPhaseState, BailiffProgress } from '../../shared/track/bailiff-messages.js';
import type { CostCharge } from '../../shared/track/balance.js';
import type { CaseEvent, CaseEventKind } from '../../shared/track/case-events.js';
import type { Actor, Decision, ExceptionKind, Proposal } from '../../shared/track/decisions.js';
import type { EarlyWarningObjectionRequest, EarlyWarningReceipt } from '../../shared/track/early-warning.js';
import type { HoldSignal } from '../../shared/track/hold-messages.js';
import type { LetterDelivered } from '../../shared/track/letter-delivery-messages.js';
import { wikLetterTermAfterDelivery } from '../../shared/legal/wik-letter-term.js';
import { firstDayOfDefault } from '../../shared/legal/first-day-of-default.js';
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
import { ArrangementBook, type ArrangementEnding } from './arrangement-book.js';
import { BailiffBook } from './bailiff-book.js';
import type { TrackCore } from './track-core.js';

export type { ArrangementEnding } from './arrangement-book.js';

/** Keeps the carried timeline bounded; the full history stays in the earlier runs. */
const timelineLimit = 200;

/**
 * The control state of one track and the rules that change it: every change to the track's data
 * goes through here. The workflow owns the timers and activities, its run (TrackRun) the children
 * and signals; this owns the bookkeeping.
 */
export class TrackState implements TrackCore {
  /** Bumped on every change, so a waiting step can wake up and look again. */
  revision = 0;
  /** The arrangements' and the bailiff's bookkeeping; the methods below keep the names the workflow calls. */
  private readonly arrangementBook = new ArrangementBook(this);
  private readonly bailiffBook = new BailiffBook(this);

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
    return this.arrangementBook.active;
  }

  paidSince(arrangement: TrackArrangement): MoneyString {
    return this.arrangementBook.paidSince(arrangement);
  }

  /** The first day of default (the day after the due date, art. 6:83 sub a BW) of the oldest claim still open. */
  defaultSince(today: IsoDate): IsoDate | null {
    const oldestDue = this.ledger(today)
      .claims.filter((c) => money(c.open).gt(0) && compareIsoDates(c.dueDate, today) < 0)
      .map((c) => c.dueDate)
      .sort(compareIsoDates)[0];
    return oldestDue ? firstDayOfDefault(oldestDue) : null;
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

  /**
   * A letter's reported delivery. For a 14-day letter whose term has not ended, a delivery later
   * than presumed re-derives the term from it (the term runs from the day after receipt, HR
   * 25-11-2016): a later last day and later costs. An earlier or equal delivery leaves the term as
   * the letter stated it: never earlier than presumed. A repeat changes nothing.
   */
  letterDelivered({ letterId, deliveredOn }: LetterDelivered, nowMs: number): void {
    const letters = this.data.letters;
    const index = letters.findIndex((l) => l.letterId === letterId);
    const letter = letters[index];
    if (!letter || letter.deliveredAt === deliveredOn) return;
    const termRuns = letter.kind === 'wik' && letter.presumedDelivery !== undefined && letter.deadline !== undefined && !this.data.endedWikTerms.includes(letterId);
    if (!termRuns || deliveredOn <= letter.presumedDelivery!) {
      letters[index] = { ...letter, deliveredAt: deliveredOn };
      this.record(`${letter.kind} letter ${letterId} delivered on ${deliveredOn}${termRuns ? `, not later than presumed (${letter.presumedDelivery}): the term stands` : ''}`, nowMs);
      return;
    }
    const term = wikLetterTermAfterDelivery({ delivered: deliveredOn });
    const deadline = term.deadline > letter.deadline! ? term.deadline : letter.deadline!;
    const costsDueFrom = term.costsDueFrom > (letter.costsDueFrom ?? '') ? term.costsDueFrom : letter.costsDueFrom;
    letters[index] = { ...letter, deliveredAt: deliveredOn, deadline, ...(costsDueFrom ? { costsDueFrom } : {}) };
    this.record(`14-day letter ${letterId} delivered on ${deliveredOn}, later than presumed (${letter.presumedDelivery}): the term ends on ${deadline}`, nowMs);
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
      this.emit('closed_paid', 'track', on, this.paidTotal(), firstDue ? firstDayOfDefault(firstDue) : undefined);
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

  acceptArrangement(arrangementId: string, request: ArrangementRequest, terms: { total: MoneyString; firstDueDate: IsoDate }, on: IsoDate, nowMs: number): void {
    this.arrangementBook.accept(arrangementId, request, terms, on, nowMs);
  }

  monitorArrangement(arrangement: TrackArrangement): void {
    this.arrangementBook.monitor(arrangement);
  }

  monitorsHandedOver(): void {
    this.arrangementBook.monitorsHandedOver();
  }

  endArrangement(arrangement: TrackArrangement, ending: ArrangementEnding, nowMs: number): void {
    this.arrangementBook.end(arrangement, ending, nowMs);
  }

  applyArrangementProgress(progress: ArrangementProgress, nowMs: number): void {
    this.arrangementBook.applyProgress(progress, nowMs);
  }

  handOverToBailiff(workflowId: string, nowMs: number): BailiffAssignment | null {
    return this.bailiffBook.handOver(workflowId, nowMs);
  }

  bailiffResumed(bailiff: BailiffAssignment, nowMs: number): void {
    this.bailiffBook.resumed(bailiff, nowMs);
  }

  carryBailiff(bailiff: BailiffAssignment, state: BailiffPhaseState): void {
    this.bailiffBook.carry(bailiff, state);
  }

  bailiffEnded(bailiff: BailiffAssignment): void {
    this.bailiffBook.ended(bailiff);
  }

  applyBailiffProgress(progress: BailiffProgress, nowMs: number): void {
    this.bailiffBook.applyProgress(progress, nowMs);
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
