import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { centsOf, type MoneyString } from '../../shared/money.js';
import { deriveLedger, type CostCharge, type Ledger } from '../../shared/track/ledger.js';
import type { ClosedReason, Segment, Stage } from '../../shared/track/stages.js';
import type {
  CollectionTrackInput,
  RegisterClaimsResult,
  RegisterPaymentRequest,
  TrackClaim,
} from '../../shared/track/track-input.js';
import type { LetterRecord, TrackStatus } from '../../shared/track/track-status.js';

export interface Deadline {
  readonly kind: string;
  readonly date: string;
}

/**
 * The control state of one track: plain data plus the rules that change it. The workflow function
 * owns the timers and activities; this owns the bookkeeping, so it is easy to read and to carry
 * across continue-as-new.
 */
export class TrackState {
  stage: Stage = 'reminder';
  closedReason: ClosedReason | null = null;
  confirmedSegment: Segment | null = null;
  nextDeadline: Deadline | null = null;
  readonly claims: TrackClaim[] = [];
  readonly payments: RegisterPaymentRequest[] = [];
  readonly costCharges: CostCharge[] = [];
  readonly letters: LetterRecord[] = [];
  readonly timeline: { at: string; event: string }[] = [];
  /** Bumped on every message, so a waiting step can wake up and look again. */
  revision = 0;

  constructor(readonly input: CollectionTrackInput) {}

  get closed(): boolean {
    return this.stage === 'closed';
  }

  record(event: string, nowMs: number): void {
    this.timeline.push({ at: new Date(nowMs).toISOString(), event });
    this.revision++;
  }

  registerClaims(claims: readonly TrackClaim[], nowMs: number): RegisterClaimsResult {
    const added: string[] = [];
    const alreadyKnown: string[] = [];
    for (const claim of claims) {
      if (this.claims.some((known) => known.invoiceRef === claim.invoiceRef)) {
        alreadyKnown.push(claim.invoiceRef);
        continue;
      }
      this.claims.push({ ...claim });
      added.push(claim.invoiceRef);
    }
    if (added.length > 0) this.record(`claims added: ${added.join(', ')}`, nowMs);
    return { caseId: this.input.caseId, openedBy: this.input.openedBy, added, alreadyKnown };
  }

  hasPayment(transactionId: string): boolean {
    return this.payments.some((p) => p.transactionId === transactionId);
  }

  registerPayment(payment: RegisterPaymentRequest, nowMs: number): boolean {
    if (this.hasPayment(payment.transactionId)) return false;
    this.payments.push({ ...payment });
    this.record(`payment ${payment.transactionId} of ${payment.amount} booked on ${payment.bookedOn}`, nowMs);
    return true;
  }

  chargeCosts(charge: CostCharge, nowMs: number): void {
    this.costCharges.push(charge);
    this.record(`collection costs ${charge.collectionCosts} (VAT ${charge.vat}) charged for letter ${charge.letterId}`, nowMs);
  }

  addLetter(letter: LetterRecord, nowMs: number): void {
    this.letters.push(letter);
    this.record(`${letter.kind} letter ${letter.letterId} posted on ${letter.date}`, nowMs);
  }

  moveTo(stage: Stage, nowMs: number, deadline: Deadline | null = null): void {
    this.stage = stage;
    this.nextDeadline = deadline;
    this.record(`stage ${stage}${deadline ? ` until ${deadline.date} (${deadline.kind})` : ''}`, nowMs);
  }

  close(reason: ClosedReason, nowMs: number): void {
    this.closedReason = reason;
    this.moveTo('closed', nowMs);
  }

  ledger(asOf: string): Ledger {
    return deriveLedger({ claims: this.claims, payments: this.payments, costCharges: this.costCharges, asOf });
  }

  /** Paid in full: every claim and every charged cost settled (a credit may remain). */
  isSettled(asOf: string): boolean {
    return this.claims.length > 0 && centsOf(this.ledger(asOf).balance.outstanding) === 0;
  }

  outstanding(asOf: string): MoneyString {
    return this.ledger(asOf).balance.outstanding;
  }

  status(nowMs: number, requestedAsOf?: string): TrackStatus {
    const workflowToday = amsterdamDate(nowMs);
    const asOf = requestedAsOf && requestedAsOf > workflowToday ? requestedAsOf : workflowToday;
    const ledger = this.ledger(asOf);
    return {
      caseId: this.input.caseId,
      corporationId: this.input.corporationId,
      stage: this.stage,
      closedReason: this.closedReason,
      segment: { proposed: this.input.proposedSegment, confirmed: this.confirmedSegment },
      asOf,
      balance: ledger.balance,
      interestProvisional: ledger.provisionalInterest,
      nextDeadline: this.nextDeadline,
      claims: ledger.claims,
      payments: this.payments,
      letters: this.letters,
      arrangement: null,
      exceptions: [],
      timeline: this.timeline,
    };
  }
}
