import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { centsOf, formatMoney, money, Money, sumMoney, type MoneyString } from '../../shared/money.js';
import type { Actor, Decision, ExceptionKind, Proposal } from '../../shared/track/decisions.js';
import { deriveLedger, type CostCharge, type Ledger } from '../../shared/track/ledger.js';
import type { ClosedReason, Segment, Stage } from '../../shared/track/stages.js';
import type {
  CollectionTrackInput,
  CorporationSettings,
  RegisterClaimsResult,
  RegisterPaymentRequest,
  TrackClaim,
} from '../../shared/track/track-input.js';
import type { LetterRecord, TrackStatus } from '../../shared/track/track-status.js';
import type { Instalment } from '../../shared/arrangement/arrangement-messages.js';
import { addDays, compareIsoDates, daysBetween, maxIsoDate, type IsoDate } from '../../shared/calendar/iso-date.js';
import type { VersionedPolicy } from '../../shared/policy/collection-policy.js';
import type { EarlyWarningReceipt } from '../../shared/track/early-warning.js';
import type { TaskKind, TaskOutcome, TaskStatus } from '../../shared/track/tasks.js';
import type { CaseEvent, CaseEventKind } from '../../shared/track/case-events.js';

export interface Deadline {
  readonly kind: string;
  readonly date: string;
}

export interface TrackPayment extends RegisterPaymentRequest {
  /** A reversed direct debit or returned transfer (storno): the money did not stay. */
  reversedOn?: string;
  reversalReason?: string;
}

export interface TrackException {
  readonly kind: ExceptionKind;
  readonly since: string;
  readonly registeredBy: Actor;
}

export interface BailiffAssignment {
  readonly officeId: string;
  readonly workflowId: string;
  ended: boolean;
  evictionDate: string | null;
}

export interface TrackTask {
  readonly taskId: string;
  readonly kind: TaskKind;
  readonly cycle: number;
  readonly openedOn: IsoDate;
  readonly expiresOn: IsoDate;
  status: TaskStatus;
  outcome: TaskOutcome | null;
  completedOn: IsoDate | null;
}

export interface TrackArrangement {
  readonly arrangementId: string;
  readonly acceptedOn: IsoDate;
  readonly acceptedBy: Actor;
  readonly instalments: readonly Instalment[];
  readonly total: MoneyString;
  /** Paid on the track before the arrangement: the monitor counts what comes after. */
  readonly paidBefore: MoneyString;
  /** The stage the track resumes at when the arrangement is breached. */
  readonly stageBefore: Stage;
  readonly policyVersion: number;
  /** `accepted`: not yet confirmed by letter nor monitored; `active`: confirmed, monitored. */
  status: 'accepted' | 'active' | 'breached' | 'completed' | 'cancelled';
  endedOn: IsoDate | null;
  /** A monitor runs for it in the current run of the track (never carried: see handOverMonitor). */
  monitorRunning: boolean;
  /** Instalments (0-based) reminded of, so a monitor started again does not remind twice. */
  remindedInstalments?: number[];
}

export interface TrackHold {
  readonly holdId: string;
  readonly from: IsoDate;
  releasedOn: IsoDate | null;
}

/**
 * Everything a track knows, as plain data: it is what continue-as-new carries to the next run,
 * so nothing here may be a class instance or a function.
 */
export interface TrackData {
  readonly input: CollectionTrackInput;
  stage: Stage;
  /** Where the track stood when an exception parked it; it resumes there. */
  stageBeforeParking: Stage | null;
  closedReason: ClosedReason | null;
  confirmedSegment: Segment | null;
  nextDeadline: Deadline | null;
  settings: CorporationSettings | null;
  claims: TrackClaim[];
  payments: TrackPayment[];
  costCharges: CostCharge[];
  letters: LetterRecord[];
  exceptions: TrackException[];
  /** The first WSNP or bankruptcy ruling: no statutory interest from that day (domain.md §8). */
  interestStopsOn: string | null;
  proposals: Proposal[];
  bailiff: BailiffAssignment | null;
  /** The policy version that governs the current cycle (adopted only at a safe point). */
  policy: VersionedPolicy | null;
  /** The cycle the policy was (re)loaded for; a resume after parking or a breach reloads it. */
  policyLoadedForCycle: number;
  tasks: TrackTask[];
  /** A promise to pay (from a call or visit): escalation waits until the day after. */
  promisedUntil: IsoDate | null;
  earlyWarning: (EarlyWarningReceipt & { readonly arrears: MoneyString }) | null;
  earlyWarningObjection: { readonly on: IsoDate; readonly by: Actor } | null;
  arrangements: TrackArrangement[];
  holds: TrackHold[];
  /** The day the bailiff's court case began (the writ), for its duration in the KPIs. */
  courtStartedOn: string | null;
  /** Events for the read model (lists, KPIs) not yet recorded in Postgres. */
  pendingEvents: CaseEvent[];
  /** Claims filed in a WSNP or a bankruptcy; `filingId` null: parked before filing existed (patch). */
  claimFilings: { readonly proceeding: 'wsnp' | 'bankruptcy'; readonly filingId: string | null; readonly filedOn: string }[];
  timeline: { at: string; event: string }[];
  /** Runs of this track so far (continue-as-new); for the Temporal UI's details line. */
  run: number;
}

/** Keeps the carried timeline bounded; the full history stays in the earlier runs. */
const timelineLimit = 200;

export function newTrackData(input: CollectionTrackInput): TrackData {
  return {
    input,
    stage: 'reminder',
    stageBeforeParking: null,
    closedReason: null,
    confirmedSegment: null,
    nextDeadline: null,
    settings: null,
    claims: [],
    payments: [],
    costCharges: [],
    letters: [],
    exceptions: [],
    interestStopsOn: null,
    proposals: [],
    bailiff: null,
    policy: null,
    policyLoadedForCycle: 0,
    tasks: [],
    promisedUntil: null,
    earlyWarning: null,
    earlyWarningObjection: null,
    arrangements: [],
    holds: [],
    claimFilings: [],
    pendingEvents: [],
    courtStartedOn: null,
    timeline: [],
    run: 1,
  };
}

/**
 * State carried from an earlier run may predate fields added since: fill them in, so a track
 * continued-as-new under older code resumes under the new.
 */
export function upgradeTrackData(carried: TrackData): TrackData {
  const defaults = newTrackData(carried.input);
  return { ...defaults, ...carried, run: carried.run };
}

/**
 * The control state of one track and the rules that change it. The workflow function owns the
 * timers and activities; this owns the bookkeeping.
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
    return this.data.letters.filter((l) => l.kind === 'wik').length + 1;
  }

  /** The letters since the last 14-day letter. */
  get lettersOfCycle(): readonly LetterRecord[] {
    const start = this.data.letters.findLastIndex((l) => l.kind === 'wik') + 1;
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

  /** Queues an event for the read model; `ref` makes its key unique within the case. */
  emit(kind: CaseEventKind, ref: string, occurredOn: string, amount: MoneyString | null = null, since?: string): void {
    this.data.pendingEvents.push({ key: `${this.input.caseId}/${kind}/${ref}`, kind, occurredOn, amount, ...(since ? { since } : {}) });
  }

  record(event: string, nowMs: number): void {
    this.data.timeline.push({ at: new Date(nowMs).toISOString(), event });
    if (this.data.timeline.length > timelineLimit) this.data.timeline.splice(0, this.data.timeline.length - timelineLimit);
    this.revision++;
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

  registerPayment(payment: RegisterPaymentRequest, nowMs: number): boolean {
    if (this.hasPayment(payment.transactionId)) return false;
    this.data.payments.push({ ...payment });
    this.emit('payment', payment.transactionId, payment.bookedOn, payment.amount);
    this.record(`payment ${payment.transactionId} of ${payment.amount} booked on ${payment.bookedOn}`, nowMs);
    return true;
  }

  reversePayment(transactionId: string, reversedOn: string, reason: string, nowMs: number): boolean {
    const payment = this.data.payments.find((p) => p.transactionId === transactionId);
    if (!payment || payment.reversedOn) return false;
    payment.reversedOn = reversedOn;
    payment.reversalReason = reason;
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

  approve(proposalId: string, approver: Actor, nowMs: number): Proposal {
    const proposal = this.data.proposals.find((p) => p.proposalId === proposalId)!;
    proposal.status = 'approved';
    proposal.approvedBy = approver;
    this.record(`${proposal.decision} approved by ${approver}`, nowMs);
    return proposal;
  }

  private arrangementView(): TrackStatus['arrangement'] {
    const a = this.data.arrangements.at(-1);
    if (!a) return null;
    return {
      arrangementId: a.arrangementId,
      status: a.status,
      acceptedOn: a.acceptedOn,
      total: a.total,
      paid: this.paidSince(a),
      instalments: a.instalments,
      endedOn: a.endedOn,
      policyVersion: a.policyVersion,
    };
  }

  /** Everything paid on the track that stayed paid (reversals excluded). */
  paidTotal(): MoneyString {
    return formatMoney(sumMoney(this.data.payments.filter((p) => !p.reversedOn).map((p) => p.amount)));
  }

  ledger(asOf: string): Ledger {
    return deriveLedger({
      claims: this.data.claims,
      payments: this.data.payments.filter((p) => !p.reversedOn),
      costCharges: this.data.costCharges,
      asOf,
      interestPauses: [
        ...(this.data.interestStopsOn ? [{ from: this.data.interestStopsOn, until: null }] : []),
        ...this.data.arrangements
          .filter((a) => a.status !== 'breached' && a.status !== 'cancelled')
          .map((a) => ({ from: a.acceptedOn, until: a.status === 'completed' ? a.endedOn : null })),
      ],
    });
  }

  /** Paid in full: every claim and every charged cost settled (a credit may remain). */
  isSettled(asOf: string): boolean {
    return this.data.claims.length > 0 && centsOf(this.ledger(asOf).balance.outstanding) === 0;
  }

  outstanding(asOf: string): MoneyString {
    return this.ledger(asOf).balance.outstanding;
  }

  status(nowMs: number, requestedAsOf?: string): TrackStatus {
    const workflowToday = amsterdamDate(nowMs);
    const asOf = requestedAsOf ? maxIsoDate(requestedAsOf, workflowToday) : workflowToday;
    const ledger = this.ledger(asOf);
    const d = this.data;
    return {
      caseId: d.input.caseId,
      corporationId: d.input.corporationId,
      stage: d.stage,
      closedReason: d.closedReason,
      segment: { proposed: d.input.proposedSegment, confirmed: d.confirmedSegment },
      asOf,
      balance: ledger.balance,
      interestProvisional: ledger.provisionalInterest,
      nextDeadline: d.nextDeadline,
      claims: ledger.claims,
      payments: d.payments,
      letters: d.letters,
      arrangement: this.arrangementView(),
      arrangements: d.arrangements.length,
      tasks: d.tasks,
      earlyWarning: d.earlyWarning ? { sentOn: d.earlyWarning.sentOn, receipt: d.earlyWarning.receipt, arrears: d.earlyWarning.arrears } : null,
      earlyWarningObjection: d.earlyWarningObjection,
      holds: d.holds,
      claimFilings: d.claimFilings,
      policyVersion: d.policy?.version ?? null,
      promisedUntil: d.promisedUntil,
      exceptions: d.exceptions.map((e) => e.kind),
      parkedSince: d.exceptions[0]?.since ?? null,
      proposals: d.proposals,
      bailiff: d.bailiff ? { officeId: d.bailiff.officeId, evictionDate: d.bailiff.evictionDate, ended: d.bailiff.ended } : null,
      costCharges: d.costCharges,
      timeline: d.timeline,
      run: d.run,
    };
  }
}
