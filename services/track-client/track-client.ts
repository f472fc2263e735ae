import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type SignalDefinition, type UpdateDefinition } from '@temporalio/common';
import { noteCase } from '../../infra/observability/log-context.js';
import { countTrackMessage } from '../../infra/observability/metrics.js';
import { money } from '../../shared/money.js';
import { arrangementRefusedFailureType } from '../../shared/arrangement/arrangement-messages.js';
import { debitOutcomeSignalName, type DebitOutcome } from '../../shared/direct-debit/debit-outcome.js';
import { letterDeliveredSignal, type LetterDelivered } from '../../shared/track/letter-delivery-messages.js';
import { registerPaymentUpdate, trackStatusQuery } from '../../shared/track/messages.js';
import type { Segment } from '../../shared/track/stages.js';
import type { RegisterPaymentRequest, RegisterPaymentResult, TrackClaim } from '../../shared/track/track-input.js';
import type { ClosedTrack, TrackStatus } from '../../shared/track/track-status.js';
import { TrackOpener, type OpenOptions, type TrackRef } from './track-opener.js';
import { conflict, HttpError, notFound, unprocessable } from '../http/errors.js';

/** The API's side of the track's message contract. */
export class TrackClient {
  /** POST /v1/cases opens a track the way the worker does for an unpaid advance: one way in. */
  private readonly opener: TrackOpener;

  constructor(
    private readonly client: Client,
    taskQueue: string,
    /** Today's Amsterdam date: the real clock, or the simulation's. */
    private readonly today: () => Promise<string>,
  ) {
    this.opener = new TrackOpener(client, taskQueue);
  }

  /** See {@link TrackOpener.openOrExtend}. */
  openOrExtend(ref: TrackRef, segment: Segment, claims: TrackClaim[], options: OpenOptions = {}): Promise<{ opened: boolean; closed?: boolean }> {
    noteCase({ caseId: ref.caseId, workflowId: ref.workflowId });
    return this.opener.openOrExtend(ref, segment, claims, options);
  }

  /** The final state of the contract's last run when it has closed; null while it runs. */
  closedTrack(workflowId: string): Promise<ClosedTrack | null> {
    return this.opener.closedTrack(workflowId);
  }

  /**
   * A bank outcome of one of our direct debits, to the occupancy's advance account (the bank
   * import finds it; shared/direct-debit/debit-outcome.ts). False when no account runs under
   * that id: the import leaves the line to a person then.
   */
  signalDebitOutcome(workflowId: string, outcome: DebitOutcome): Promise<boolean> {
    return this.signalIfRunning(workflowId, debitOutcomeSignalName, outcome);
  }

  /** A letter's reported delivery, to its track (a 14-day letter's term may move); false when the track has ended. */
  signalLetterDelivered(workflowId: string, report: LetterDelivered): Promise<boolean> {
    return this.signalIfRunning(workflowId, letterDeliveredSignal, report);
  }

  /** False when no workflow runs under that id (it ended, or never started). */
  private async signalIfRunning<Arg>(workflowId: string, signal: SignalDefinition<[Arg]> | string, arg: Arg): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(workflowId).signal(signal, arg);
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  async status(workflowId: string): Promise<TrackStatus> {
    try {
      return await this.client.workflow.getHandle(workflowId).query(trackStatusQuery, await this.today());
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw notFound(`no track ${workflowId}`);
      throw error;
    }
  }

  /**
   * The track books the payment (it is the one truth; the payment table is its projection). A
   * repeat answers with the state as it is now, a repeat with other details is refused (409), and
   * no update id is set: the server would answer a repeat with the first call's stale result.
   */
  async deliverPayment(workflowId: string, payment: RegisterPaymentRequest): Promise<RegisterPaymentResult> {
    try {
      return await this.update(workflowId, registerPaymentUpdate, [payment]);
    } catch (error) {
      if (!(error instanceof TrackClosedError)) throw error;
    }
    const closed = await this.closedTrack(workflowId);
    if (!closed) return this.update(workflowId, registerPaymentUpdate, [payment]);
    const known = closed.payments.find((p) => p.transactionId === payment.transactionId);
    if (!known) throw conflict('the case is closed; it takes no more payments');
    if (!money(known.amount).equals(payment.amount) || known.bookedOn !== payment.bookedOn) {
      throw conflict(`transaction ${payment.transactionId} is already booked with amount ${known.amount} on ${known.bookedOn}`);
    }
    return { duplicate: true, outstanding: closed.balance.outstanding, closed: true };
  }

  /**
   * Sends an update to a running workflow and turns the workflow's refusals into HTTP answers:
   * a closed track is a 409, a business rule a 422 (four-eyes, an eviction date too early) or 409
   * (wrong stage), an unknown reference a 404.
   */
  async update<Ret, Arg>(workflowId: string, definition: UpdateDefinition<Ret, [Arg]>, args: [Arg], updateId?: string): Promise<Ret> {
    noteCase({ workflowId });
    const handle = this.client.workflow.getHandle(workflowId);
    const description = await handle.describe().catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) throw notFound(`no workflow ${workflowId}`);
      throw error;
    });
    if (description.status.name !== 'RUNNING') throw new TrackClosedError(`the workflow is ${description.status.name.toLowerCase()}; it takes no more messages`);
    return countTrackMessage('update', definition.name, async () => {
      try {
        return await handle.executeUpdate(definition, { args, ...(updateId ? { updateId } : {}) });
      } catch (error) {
        // Running when described, closed by the time the update arrived ("workflow update was
        // aborted by closing workflow"): an earlier repeat of this very payment may have closed
        // it (drill/worker-killed.ts found it as a 500). A closed track, as above.
        if (error instanceof WorkflowNotFoundError) throw new TrackClosedError(`the workflow closed while the message was on its way; it takes no more messages`);
        throw refusalToHttp(error);
      }
    });
  }

  /**
   * Where the latest run under a workflow id stands, for a message that found the id closed:
   * `handed_over` when that run closed by handing its work to a next run under the same id (a
   * bailiff phase across its track's continue-as-new), which is about to start.
   */
  async latestRun(workflowId: string): Promise<'running' | 'handed_over' | 'closed'> {
    const description = await this.client.workflow.getHandle(workflowId).describe().catch(() => null);
    if (description?.status.name === 'RUNNING') return 'running';
    if (description?.status.name !== 'COMPLETED') return 'closed';
    // That run's own result: without its run id the SDK would wait for the next run's.
    const result = await this.client.workflow.getHandle(workflowId, description.runId, { followRuns: false }).result().catch(() => null);
    return (result as { outcome?: unknown } | null)?.outcome === 'handed_over' ? 'handed_over' : 'closed';
  }
}

/** The 409 for a message to a track (or bailiff phase) that has closed. */
class TrackClosedError extends HttpError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

const refusalStatus: Record<string, (message: string) => HttpError> = {
  // Four-eyes compares people (the actor is the key's person): the same person through another key is refused too.
  FourEyes: (m) => new HttpError(409, 'same_person', m),
  BailiffEventRefused: (m) => unprocessable('bailiff_event_refused', m),
  WrongStage: (m) => conflict(m),
  ProposalNotPending: (m) => conflict(m),
  Refused: (m) => conflict(m),
  PaymentDiffers: (m) => conflict(m),
  ReversalDiffers: (m) => conflict(m),
  UnknownProposal: (m) => notFound(m),
  UnknownException: (m) => notFound(m),
  UnknownPayment: (m) => notFound(m),
  UnknownTask: (m) => notFound(m),
  ArrangementRunning: (m) => conflict(m),
};

function refusalToHttp(error: unknown): unknown {
  if (!(error instanceof WorkflowUpdateFailedError)) return error;
  const cause = error.cause;
  if (cause instanceof ApplicationFailure) {
    // An arrangement refusal names the rule it broke (its first detail), as the 422's code.
    if (cause.type === arrangementRefusedFailureType) return unprocessable(String(cause.details?.[0] ?? 'arrangement_refused'), cause.message);
    const toHttp = cause.type ? refusalStatus[cause.type] : undefined;
    // A zod validator failure inside the workflow is bad input the API's own check let through.
    return toHttp ? toHttp(cause.message) : new HttpError(400, 'invalid_request', cause.message);
  }
  return new HttpError(400, 'invalid_request', cause?.message ?? error.message);
}

