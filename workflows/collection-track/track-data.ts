import type { IsoDate } from '../../shared/calendar/iso-date.js';
import { centsOf, type MoneyString } from '../../shared/money.js';
import type { Instalment } from '../../shared/arrangement/arrangement-messages.js';
import type { VersionedPolicy } from '../../shared/policy/collection-policy.js';
import type { BailiffPhaseState } from '../../shared/track/bailiff-messages.js';
import type { CaseEvent } from '../../shared/track/case-events.js';
import type { Actor, ExceptionKind, Proposal } from '../../shared/track/decisions.js';
import type { EarlyWarningReceipt } from '../../shared/track/early-warning.js';
import type { CostCharge } from '../../shared/track/balance.js';
import { deriveLedger, type Ledger } from '../../shared/track/ledger.js';
import type { ClosedReason, Segment, Stage } from '../../shared/track/stages.js';
import type { TaskKind, TaskOutcome, TaskStatus } from '../../shared/track/task-messages.js';
import type { CollectionTrackInput, CorporationSettings, RegisterPaymentRequest, TrackClaim } from '../../shared/track/track-input.js';
import type { LetterRecord } from '../../shared/track/track-status.js';
import { today } from '../workflow-clock.js';

/*
 * What a track knows, as plain data, and the ledger it adds up to. The changes to it are
 * TrackState's (track-state.ts, which hands the arrangements' and the bailiff's to the books
 * beside it); this is what continue-as-new carries and a new cycle starts from.
 */

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
  /** The phase's state, handed over by the previous run (continue-as-new) until this run starts it again. */
  carried?: BailiffPhaseState;
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
  /** Payments booked or reversed since the payment projection was last written (transaction ids). */
  pendingPayments: string[];
  /** The stage last written to the read model. */
  projectedStage: Stage | null;
  /** Claims filed in a WSNP or a bankruptcy; `filingId` null: parked before filing existed (patch). */
  claimFilings: { readonly proceeding: 'wsnp' | 'bankruptcy'; readonly filingId: string | null; readonly filedOn: string }[];
  timeline: { at: string; event: string }[];
  /** Runs of this track so far (continue-as-new); for the Temporal UI's details line. */
  run: number;
  /** The day the track closed (paid or written off). */
  closedOn: IsoDate | null;
  /** Cycles of earlier, closed tracks of the contract (a new claim after closing opens a new one). */
  earlierCycles: number;
  /** Letters before this index belong to an earlier cycle (a closed track's). */
  cycleStartsAtLetter: number;
  /** 14-day letters sent alongside the cycle's (for later claims) whose term has been dealt with. */
  endedWikTerms: string[];
  /** Written off when an earlier cycle closed: settles those claims in the ledger, never paid money. */
  writtenOff: { readonly on: IsoDate; readonly amount: MoneyString }[];
  /** Interest pauses of earlier cycles, ended when they closed (a WSNP ruling's stop, say). */
  earlierInterestPauses: { readonly from: IsoDate; readonly until: IsoDate }[];
}

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
    pendingPayments: [],
    projectedStage: null,
    courtStartedOn: null,
    timeline: [],
    run: 1,
    closedOn: null,
    earlierCycles: 0,
    cycleStartsAtLetter: 0,
    endedWikTerms: [],
    writtenOff: [],
    earlierInterestPauses: [],
  };
}

/**
 * A new claim on a contract whose track has closed: a new cycle that carries the contract's
 * history — claims, payments, letters, arrangements, decisions (the rules count the last 12
 * months of them) — and starts its own ladder. What the closed cycle wrote off stays written off.
 */
export function reopenTrackData(previous: TrackData, input: CollectionTrackInput): TrackData {
  const closedOn = previous.closedOn ?? today();
  const writtenOff = previous.closedReason === 'written_off' ? trackLedger(previous, closedOn).balance.outstanding : '0.00';
  return {
    ...newTrackData(input),
    confirmedSegment: previous.confirmedSegment,
    claims: previous.claims,
    payments: previous.payments,
    costCharges: previous.costCharges,
    letters: previous.letters,
    arrangements: previous.arrangements,
    tasks: previous.tasks,
    proposals: previous.proposals.map((p) => (p.status === 'pending' ? { ...p, status: 'withdrawn' } : p)),
    claimFilings: previous.claimFilings,
    holds: previous.holds.filter((h) => h.releasedOn !== null),
    timeline: previous.timeline,
    run: previous.run + 1,
    earlierCycles: previous.earlierCycles + 1,
    cycleStartsAtLetter: previous.letters.length,
    writtenOff: centsOf(writtenOff) > 0 ? [...previous.writtenOff, { on: closedOn, amount: writtenOff }] : previous.writtenOff,
    earlierInterestPauses: [
      ...previous.earlierInterestPauses,
      ...(previous.interestStopsOn ? [{ from: previous.interestStopsOn, until: closedOn }] : []),
    ],
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
 * The balance as of a day, derived afresh from the data: payments that stayed (reversals out), what
 * earlier cycles wrote off, and the periods without interest (a WSNP or bankruptcy ruling on, and a
 * running or kept arrangement from its acceptance).
 */
export function trackLedger(data: TrackData, asOf: string): Ledger {
  return deriveLedger({
    claims: data.claims,
    payments: [
      ...data.payments.filter((p) => !p.reversedOn),
      ...data.writtenOff.map((w, i) => ({ transactionId: `written-off/${i + 1}`, amount: w.amount, bookedOn: w.on })),
    ],
    costCharges: data.costCharges,
    asOf,
    interestPauses: [
      ...data.earlierInterestPauses,
      ...(data.interestStopsOn ? [{ from: data.interestStopsOn, until: null }] : []),
      ...data.arrangements
        .filter((a) => a.status !== 'breached' && a.status !== 'cancelled')
        .map((a) => ({ from: a.acceptedOn, until: a.status === 'completed' ? a.endedOn : null })),
    ],
  });
}
