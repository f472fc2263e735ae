import { getExternalWorkflowHandle, patched, uuid4, workflowInfo, type ChildWorkflowHandle } from '@temporalio/workflow';
import {
  arrangementControlSignal,
  arrangementMonitorWorkflowId,
  type ArrangementAccepted,
  type ArrangementControl,
  type ArrangementProgress,
  type ArrangementRequest,
} from '../../shared/arrangement/arrangement-messages.js';
import type { MoneyString } from '../../shared/money.js';
import { bailiffControlSignal, type BailiffControl, type BailiffProgress } from '../../shared/track/bailiff-messages.js';
import {
  resolveExceptionRequestSchema,
  trackActor,
  type ApproveDecisionRequest,
  type ExceptionRequest,
  type Proposal,
  type ProposeDecisionRequest,
  type ResolveExceptionRequest,
  type ReversePaymentRequest,
} from '../../shared/track/decisions.js';
import type { EarlyWarningObjectionRequest } from '../../shared/track/early-warning.js';
import { holdSignalSchema } from '../../shared/track/hold-messages.js';
import { letterDeliveredSchema } from '../../shared/track/letter-delivery-messages.js';
import type { Stage } from '../../shared/track/stages.js';
import type { CompleteTaskRequest, CompleteTaskResult } from '../../shared/track/task-messages.js';
import type { ConfirmSegmentRequest, RegisterPaymentRequest, RegisterPaymentResult } from '../../shared/track/track-input.js';
import type { TrackStatus } from '../../shared/track/track-status.js';
import type { arrangementMonitor } from '../arrangement-monitor/arrangement-monitor.js';
import { applyBailiffControl } from '../bailiff-phase/bailiff-phase-state.js';
import type { bailiffPhase } from '../bailiff-phase/bailiff-phase.js';
import { checkProposal, refused } from './arrangement-check.js';
import { TrackPublisher } from './publish.js';
import type { TrackArrangement } from './track-data.js';
import type { TrackState } from './track-state.js';
import { trackStatusView } from './track-status-view.js';
import { today } from '../workflow-clock.js';

/**
 * One run of a track (continue-as-new starts the next): the state, the children this run started,
 * the signals it has sent, and what the Temporal UI was last shown. The message handlers are its
 * methods: each changes the state, tells the children what they must know, and publishes.
 */
export class TrackRun {
  /**
   * Signals sent from handlers, awaited before the run ends: a workflow that completes with a
   * signal still in flight leaves it undelivered on some servers.
   */
  readonly signalsInFlight: Promise<unknown>[] = [];
  /** This run's arrangement monitor (monitor-link.ts). */
  monitor: ChildWorkflowHandle<typeof arrangementMonitor> | undefined;
  readonly bailiffPhase: BailiffPhaseLink = { endsWithRun: false, held: null };
  private readonly publisher = new TrackPublisher();

  constructor(readonly state: TrackState) {}

  /** `outstanding`: today's, when the message has derived the ledger already. */
  publish(outstanding?: MoneyString): void {
    this.publisher.publish(this.state, outstanding);
  }

  monitorWorkflowId(arrangement: TrackArrangement): string {
    return arrangementMonitorWorkflowId(workflowInfo().workflowId, arrangement.arrangementId);
  }

  private signalMonitor(control: ArrangementControl): void {
    const arrangement = this.state.activeArrangement;
    if (arrangement?.status !== 'active') return;
    this.signalsInFlight.push(getExternalWorkflowHandle(this.monitorWorkflowId(arrangement)).signal(arrangementControlSignal, control).catch(() => undefined));
  }

  /** After a payment or a reversal: the monitor checks instalments against what was paid since. */
  private tellMonitorOfPayments(): void {
    const arrangement = this.state.activeArrangement;
    if (arrangement) this.signalMonitor({ kind: 'paid_so_far', amount: this.state.paidSince(arrangement) });
  }

  /**
   * Sends a control to the bailiff phase, wherever it is: to the running child; kept for it while
   * it is being handed over or started; or written into the state that a new run will start it with.
   */
  signalBailiff(control: BailiffControl): void {
    const bailiff = this.state.data.bailiff;
    if (!bailiff || bailiff.ended) return;
    const { held } = this.bailiffPhase;
    if (held) {
      held.push(control);
      return;
    }
    if (bailiff.carried) {
      if (control.kind !== 'handover') applyBailiffControl(bailiff.carried, control);
      return;
    }
    this.signalsInFlight.push(getExternalWorkflowHandle(bailiff.workflowId).signal(bailiffControlSignal, control).catch(() => undefined));
  }

  /** Ends a running arrangement from the track's side (kept, or cancelled); its monitor is told to stop first. */
  private endArrangement(arrangement: TrackArrangement, status: 'completed' | 'cancelled', reason: string, resumeAt?: Stage): void {
    this.signalMonitor({ kind: 'cancel', reason });
    this.state.endArrangement(arrangement, { status, on: today(), note: `${status} (${reason})`, ...(resumeAt ? { resumeAt, always: true } : {}) }, Date.now());
  }

  /**
   * Paid in full or written off: a running arrangement ends (kept, or cancelled), the bailiff phase
   * tells the office to stop and cancels a planned eviction, and the track closes.
   */
  close(reason: 'paid' | 'written_off'): void {
    const arrangement = this.state.activeArrangement;
    if (arrangement) this.endArrangement(arrangement, reason === 'paid' ? 'completed' : 'cancelled', reason === 'paid' ? 'paid in full' : 'written off');
    this.state.close(reason, Date.now());
    this.signalBailiff({ kind: 'stop', reason });
  }

  /** A malformed batch signal must not fail the track: it is recorded and ignored. */
  applyHold(hold: unknown): void {
    const parsed = holdSignalSchema.safeParse(hold);
    if (!parsed.success) {
      this.state.record('a malformed hold signal was ignored', Date.now());
      return;
    }
    this.state.applyHold(parsed.data, Date.now());
    this.publish();
  }

  /** A malformed delivery report is ignored; tracks recorded before deliveries were reported replay without the marker. */
  letterDelivered(report: unknown): void {
    const parsed = letterDeliveredSchema.safeParse(report);
    if (parsed.success && patched('wik-term-from-reported-delivery')) this.state.letterDelivered(parsed.data, Date.now());
  }

  completeTask(request: CompleteTaskRequest): CompleteTaskResult {
    const result = this.state.completeTask(request, Date.now());
    if (result.accepted) this.publish();
    return result;
  }

  recordEarlyWarningObjection(request: EarlyWarningObjectionRequest): { recorded: boolean; signalSent: boolean } {
    const result = this.state.recordEarlyWarningObjection(request, Date.now());
    if (result.recorded) this.publish();
    return result;
  }

  /**
   * A payment settles the track or goes on to the arrangement's monitor. Its ledger is derived
   * once: closing changes nothing it adds up (an arrangement kept today stops its interest pause
   * today, which as of today is no change), so it holds after the close as well.
   */
  registerPayment(request: RegisterPaymentRequest): RegisterPaymentResult {
    const fresh = this.state.registerPayment(request, Date.now());
    const ledger = this.state.ledger(today());
    const { outstanding } = ledger.balance;
    if (!this.state.closed && this.state.settledBy(ledger)) this.close('paid');
    else if (fresh) this.tellMonitorOfPayments();
    this.publish(outstanding);
    return { duplicate: !fresh, outstanding, closed: this.state.closed };
  }

  reversePayment(request: ReversePaymentRequest): { reversed: boolean; outstanding: MoneyString } {
    const reversed = this.state.reversePayment(request.transactionId, request.reversedOn, request.reasonCode, Date.now());
    if (reversed) this.tellMonitorOfPayments();
    const outstanding = this.state.outstanding(today());
    this.publish(outstanding);
    return { reversed, outstanding };
  }

  confirmSegment(request: ConfirmSegmentRequest): { segment: string } {
    this.state.confirmSegment(request.segment, request.actor, Date.now());
    this.publish();
    return { segment: request.segment };
  }

  /** An exception ends a running arrangement; once resolved, the track resumes where it stood before it. */
  registerException(request: ExceptionRequest): { added: boolean; stage: Stage } {
    const arrangement = this.state.activeArrangement;
    if (arrangement) this.endArrangement(arrangement, 'cancelled', `exception ${request.kind}`, arrangement.stageBefore);
    const added = this.state.registerException({ kind: request.kind, since: request.since, registeredBy: request.actor }, Date.now());
    this.publish();
    return { added, stage: this.state.stage };
  }

  /**
   * A settlement that ends in a clean slate or an estate without means: the rest is written off,
   * which still needs a second person's approval.
   */
  resolveException(request: ResolveExceptionRequest): { stage: Stage; proposalId: string | null } {
    const parsed = resolveExceptionRequestSchema.parse(request);
    this.state.resolveException(parsed.kind, parsed.actor, Date.now());
    const proposal = parsed.outcome === 'write_off' ? this.state.propose('write_off', parsed.actor, uuid4(), Date.now()) : null;
    this.publish();
    return { stage: this.state.stage, proposalId: proposal?.proposalId ?? null };
  }

  proposeDecision(request: ProposeDecisionRequest): Proposal {
    const proposal = this.state.proposeDecision(request.decision, request.actor, uuid4(), Date.now());
    this.publish();
    return proposal;
  }

  approveDecision(request: ApproveDecisionRequest): Proposal {
    const proposal = this.state.approve(request.proposalId, request.actor, Date.now());
    if (proposal.decision === 'eviction') this.signalBailiff({ kind: 'eviction_approved' });
    this.publish();
    return proposal;
  }

  proposeArrangement(request: ArrangementRequest): ArrangementAccepted {
    const on = today();
    const check = checkProposal(this.state, request.instalments, on);
    if (!check.ok) throw refused(check);
    const arrangementId = uuid4();
    this.state.acceptArrangement(arrangementId, request, check, on, Date.now());
    this.publish();
    return { accepted: true, arrangementId, total: check.total, instalments: request.instalments, firstDueDate: check.firstDueDate, lastDueDate: check.lastDueDate };
  }

  arrangementProgress(progress: ArrangementProgress): void {
    this.state.applyArrangementProgress(progress, Date.now());
    this.publish();
  }

  bailiffProgress(progress: BailiffProgress): void {
    this.state.applyBailiffProgress(progress, Date.now());
    // Histories recorded before the typed field ask by the event's words.
    if (progress.needsEvictionApproval || progress.event?.startsWith('eviction needs')) this.state.propose('eviction', trackActor, uuid4(), Date.now());
    this.publish();
  }

  status(asOf?: string): TrackStatus {
    return trackStatusView(this.state, Date.now(), asOf);
  }
}

/** The bailiff phase as this run holds it (bailiff-link.ts starts, resumes and hands it over). */
export interface BailiffPhaseLink {
  /** This run's phase, once started or resumed. */
  child?: ChildWorkflowHandle<typeof bailiffPhase>;
  /** It ends with this run (TERMINATE), or outlives it (ABANDON: phases of recorded tracks). */
  endsWithRun: boolean;
  /** The phase is being handed over or started again: controls wait here, and go to it once it runs. */
  held: BailiffControl[] | null;
  /** A carried phase being started again at the beginning of this run. */
  resuming?: Promise<void>;
}
