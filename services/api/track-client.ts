import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { CollectionStage, CorporationId, DebtorSegment } from '../../shared/search-attributes.js';
import { registerClaimsUpdate, registerPaymentUpdate, trackStatusQuery } from '../../shared/track/messages.js';
import type { Segment } from '../../shared/track/stages.js';
import type { RegisterPaymentRequest, RegisterPaymentResult, TrackClaim } from '../../shared/track/track-input.js';
import type { TrackStatus } from '../../shared/track/track-status.js';
import type { collectionTrack } from '../../workflows/index.js';
import { conflict, notFound } from '../http/errors.js';

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
  async openOrExtend(ref: TrackRef, segment: Segment, claims: TrackClaim[], options: { tenantDeparted?: boolean; continueAsNewAfterEvents?: number } = {}): Promise<{ opened: boolean }> {
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
    const handle = this.client.workflow.getHandle(workflowId);
    const description = await handle.describe().catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) throw notFound(`no track ${workflowId}`);
      throw error;
    });
    if (description.status.name !== 'RUNNING') throw conflict(`the track is ${description.status.name.toLowerCase()}; it takes no payments`);
    // The update id makes a retried delivery within this run a no-op at the server; the track's
    // own set of seen transaction ids covers retries across continue-as-new.
    return handle.executeUpdate(registerPaymentUpdate, { args: [payment], updateId: `payment-${payment.transactionId}` });
  }
}

