import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { countTrackMessage } from '../../infra/observability/metrics.js';
import { CollectionStage, CorporationId, DebtorSegment } from '../../shared/search-attributes.js';
import { registerClaimsUpdate } from '../../shared/track/messages.js';
import type { Segment } from '../../shared/track/stages.js';
import type { TrackClaim } from '../../shared/track/track-input.js';
import type { ClosedTrack } from '../../shared/track/track-status.js';
import { collectionTrackWorkflowType, type CollectionTrackStart } from '../../shared/track/collection-track-start.js';
import { conflict, notFound } from '../http/errors.js';

export interface TrackRef {
  readonly caseId: string;
  readonly corporationId: string;
  readonly workflowId: string;
  /** The case's betalingskenmerk when the intake issued it (record-case.ts): the track then does not ask the bank service. */
  readonly paymentReference?: string;
}

export type OpenOptions = { tenantDeparted?: boolean; municipalityCode?: string; continueAsNewAfterEvents?: number };

/**
 * Opens a contract's track or adds claims to it: the API (POST /v1/cases) and the worker (an
 * unpaid advance handed to the track) both go through here, so a contract has one way in.
 */
export class TrackOpener {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /**
   * Starts the track or adds claims to the running one in one call (update-with-start), so two
   * concurrent requests for one contract cannot start two tracks. Answers whether this call
   * opened the track, and `closed` when the contract's track has closed and the request brought
   * no claim it did not know (nothing happens then: paid rent is never collected again).
   */
  async openOrExtend(ref: TrackRef, segment: Segment, claims: TrackClaim[], options: OpenOptions = {}): Promise<{ opened: boolean; closed?: boolean }> {
    try {
      // A contract whose track has closed is not started afresh here (that would collect its
      // claims again): the server refuses, and the closed run decides below.
      return await this.startOrRegister(ref, segment, claims, options, 'REJECT_DUPLICATE');
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    const closed = await this.closedTrack(ref.workflowId);
    if (!closed) return this.startOrRegister(ref, segment, claims, options, 'REJECT_DUPLICATE');
    const known = new Set(closed.claims.map((c) => c.invoiceRef));
    const fresh = claims.filter((c) => !known.has(c.invoiceRef));
    if (fresh.length === 0) return { opened: false, closed: true };
    // A new claim on a closed contract: a new cycle, carrying the contract's history (its payments,
    // letters and arrangements count for the rules), collecting only what is new.
    return this.startOrRegister(ref, segment, fresh, options, 'ALLOW_DUPLICATE', closed.carry);
  }

  /** The final state of the contract's last run when it has closed; null while it runs. */
  async closedTrack(workflowId: string): Promise<ClosedTrack | null> {
    const handle = this.client.workflow.getHandle<CollectionTrackStart>(workflowId);
    const description = await handle.describe().catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) throw notFound(`no workflow ${workflowId}`);
      throw error;
    });
    if (description.status.name === 'RUNNING') return null;
    if (description.status.name !== 'COMPLETED') throw conflict(`the track is ${description.status.name.toLowerCase()}; it takes no more messages`);
    return (await handle.result()) as ClosedTrack;
  }

  private async startOrRegister(
    ref: TrackRef,
    segment: Segment,
    claims: TrackClaim[],
    options: OpenOptions,
    workflowIdReusePolicy: 'REJECT_DUPLICATE' | 'ALLOW_DUPLICATE',
    previousCycle?: ClosedTrack['carry'],
  ): Promise<{ opened: boolean }> {
    const requestId = randomUUID();
    const input = { caseId: ref.caseId, corporationId: ref.corporationId, proposedSegment: segment, openedBy: requestId, ...(ref.paymentReference ? { paymentReference: ref.paymentReference } : {}), ...options };
    const start = new WithStartWorkflowOperation<CollectionTrackStart>(collectionTrackWorkflowType, {
      workflowId: ref.workflowId,
      taskQueue: this.taskQueue,
      // The closed run's state is opaque here: the workflow reads it (reopenTrackData).
      args: previousCycle ? [input, previousCycle] : [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy,
      typedSearchAttributes: [
        { key: CorporationId, value: ref.corporationId },
        { key: CollectionStage, value: 'reminder' },
        { key: DebtorSegment, value: segment },
      ],
      staticSummary: `Collection track ${ref.workflowId}`,
      staticDetails: `Case ${ref.caseId} of corporation ${ref.corporationId}. Personal data is in the case database, not here.`,
    });
    const result = await countTrackMessage('update_with_start', registerClaimsUpdate.name, () =>
      this.client.workflow.executeUpdateWithStart(registerClaimsUpdate, {
        args: [{ claims }],
        startWorkflowOperation: start,
      }),
    );
    return { opened: result.openedBy === requestId };
  }
}
