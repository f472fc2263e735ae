import { WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { arrangementRefusedFailureType } from '../../shared/arrangement/arrangement-messages.js';
import { CollectionStage, CorporationId, DebtorSegment } from '../../shared/search-attributes.js';
import { registerClaimsUpdate, registerPaymentUpdate, trackStatusQuery } from '../../shared/track/messages.js';
import type { Segment } from '../../shared/track/stages.js';
import type { RegisterPaymentRequest, RegisterPaymentResult, TrackClaim } from '../../shared/track/track-input.js';
import type { TrackStatus } from '../../shared/track/track-status.js';
import type { collectionTrack } from '../../workflows/index.js';
import { conflict, HttpError, notFound, unprocessable } from '../http/errors.js';

export interface TrackRef {
  readonly caseId: string;
  readonly corporationId: string;
  readonly workflowId: string;
}

/** The API's side of the track's message contract. */
export class TrackClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    /** Today's Amsterdam date: the real clock, or the simulation's. */
    private readonly today: () => Promise<string>,
  ) {}

  /**
   * Starts the track or adds claims to the running one in one call (update-with-start), so two
   * concurrent requests for one contract cannot start two tracks. Answers whether this call
   * opened the track.
   */
  async openOrExtend(ref: TrackRef, segment: Segment, claims: TrackClaim[], options: { tenantDeparted?: boolean; municipalityCode?: string; continueAsNewAfterEvents?: number } = {}): Promise<{ opened: boolean }> {
    const requestId = randomUUID();
    const start = new WithStartWorkflowOperation<typeof collectionTrack>('collectionTrack', {
      workflowId: ref.workflowId,
      taskQueue: this.taskQueue,
      args: [{ caseId: ref.caseId, corporationId: ref.corporationId, proposedSegment: segment, openedBy: requestId, ...options }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: CorporationId, value: ref.corporationId },
        { key: CollectionStage, value: 'reminder' },
        { key: DebtorSegment, value: segment },
      ],
      staticSummary: `Collection track ${ref.workflowId}`,
      staticDetails: `Case ${ref.caseId} of corporation ${ref.corporationId}. Personal data is in the case database, not here.`,
    });
    const result = await this.client.workflow.executeUpdateWithStart(registerClaimsUpdate, {
      args: [{ claims }],
      startWorkflowOperation: start,
    });
    return { opened: result.openedBy === requestId };
  }

  async status(workflowId: string): Promise<TrackStatus> {
    try {
      return await this.client.workflow.getHandle(workflowId).query(trackStatusQuery, await this.today());
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw notFound(`no track ${workflowId}`);
      throw error;
    }
  }

  async deliverPayment(workflowId: string, payment: RegisterPaymentRequest): Promise<RegisterPaymentResult> {
    // The update id makes a retried delivery within this run a no-op at the server; the track's
    // own list of transactions covers retries across continue-as-new.
    return this.update(workflowId, registerPaymentUpdate, [payment], `payment-${payment.transactionId}`);
  }

  /**
   * Sends an update to a running workflow and turns the workflow's refusals into HTTP answers:
   * a closed track is a 409, a business rule a 422 (four-eyes, an eviction date too early) or 409
   * (wrong stage), an unknown reference a 404.
   */
  async update<Ret, Arg>(workflowId: string, definition: UpdateDefinition<Ret, [Arg]>, args: [Arg], updateId?: string): Promise<Ret> {
    const handle = this.client.workflow.getHandle(workflowId);
    const description = await handle.describe().catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) throw notFound(`no workflow ${workflowId}`);
      throw error;
    });
    if (description.status.name !== 'RUNNING') throw conflict(`the workflow is ${description.status.name.toLowerCase()}; it takes no more messages`);
    try {
      return await handle.executeUpdate(definition, { args, ...(updateId ? { updateId } : {}) });
    } catch (error) {
      throw refusalToHttp(error);
    }
  }
}

const refusalStatus: Record<string, (message: string) => HttpError> = {
  FourEyes: (m) => unprocessable('four_eyes', m),
  BailiffEventRefused: (m) => unprocessable('bailiff_event_refused', m),
  WrongStage: (m) => conflict(m),
  ProposalNotPending: (m) => conflict(m),
  Refused: (m) => conflict(m),
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

