import { optionalTsToMs } from '@temporalio/common/lib/time.js';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { encodeToPayloads } from '@temporalio/common/lib/internal-non-workflow/index.js';
import type { Kysely, Selectable } from 'kysely';
import type { Database, HoldTable } from '../../../infra/db/database.js';
import { countTrackMessage, trackMessages } from '../../../infra/observability/metrics.js';
import { holdSignal, type HoldSignal } from '../../../shared/track/hold-messages.js';
import { trackStatusQuery } from '../../../shared/track/messages.js';
import { HttpError } from '../../http/errors.js';
import { holdVisibilityQuery, type HoldTarget } from './hold-target.js';

const grpcUnimplemented = 12;
const grpcNotFound = 5;
const grpcAlreadyExists = 6;

function grpcCode(error: unknown): number | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.cause?.code === 'number') return e.cause.code;
  return undefined;
}
const isUnimplemented = (error: unknown) => grpcCode(error) === grpcUnimplemented;

/** How a hold signal reached the tracks. */
export type HoldDelivery = { readonly via: 'batch'; readonly jobId: string } | { readonly via: 'list' | 'database'; readonly matched: number };

/**
 * The batch job id of one signal of one hold: derived from the hold (its id and the instant it was
 * stored), so a retry reuses it and the server refuses a second batch, while a hold id reused
 * after the database was reset gets a job of its own.
 */
export function holdBatchJobId(row: Pick<Selectable<HoldTable>, 'hold_id' | 'created_at'>, action: HoldSignal['action']): string {
  return `hold-${action}-${row.hold_id}-${row.created_at.getTime().toString(36)}`;
}

export interface BatchJobState {
  readonly jobId: string;
  readonly state: 'running' | 'completed' | 'failed' | 'unspecified';
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly startedAt: string | null;
  readonly closedAt: string | null;
}

const batchStates: Partial<Record<number, BatchJobState['state']>> = { 0: 'unspecified', 1: 'running', 2: 'completed', 3: 'failed' };
const batchStateNames: Partial<Record<string, BatchJobState['state']>> = { unspecified: 'unspecified', running: 'running', completed: 'completed', failed: 'failed' };

export class HoldNotDeliverable extends HttpError {
  constructor(message: string) {
    super(501, 'not_implemented', message);
  }
}

/**
 * Sends a hold signal to every running track the target covers, the best way the Temporal server
 * offers: one batch operation on the visibility query (the dev server, a real cluster); where the
 * server has no batch operations, the tracks listed by that query one by one; where it cannot list
 * either (the time-skipping test server of SIMULATION=1), the corporation's tracks the database
 * knows, each checked for running and, for a segment, asked for its segment (confirmed, else
 * proposed: what DebtorSegment carries). A free query cannot be evaluated that way: 501.
 */
export class HoldSignaller {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly client: Client,
    private readonly today: () => Promise<string>,
  ) {}

  async deliver(signal: HoldSignal, target: HoldTarget, jobId: string, reason: string): Promise<HoldDelivery> {
    const query = holdVisibilityQuery(target);
    try {
      await this.client.workflowService.startBatchOperation({
        namespace: this.client.options.namespace,
        jobId,
        reason,
        visibilityQuery: query,
        signalOperation: {
          signal: holdSignal.name,
          input: { payloads: await encodeToPayloads(this.client.options.loadedDataConverter, signal) },
          identity: this.client.options.identity,
        },
      });
      trackMessages.inc({ type: 'batch_signal', name: holdSignal.name, outcome: 'ok' });
      return { via: 'batch', jobId };
    } catch (error) {
      // The same job id again: an earlier attempt of this call started the batch.
      if (grpcCode(error) === grpcAlreadyExists) return { via: 'batch', jobId };
      if (!isUnimplemented(error)) throw error;
    }

    try {
      const workflowIds: string[] = [];
      for await (const execution of this.client.workflow.list({ query })) workflowIds.push(execution.workflowId);
      return { via: 'list', matched: await this.signalEach(workflowIds, signal) };
    } catch (error) {
      if (!isUnimplemented(error)) throw error;
    }

    if (target.query) {
      throw new HoldNotDeliverable(
        'this Temporal server offers neither batch operations nor visibility queries, so a hold narrowed by a query cannot find its tracks; hold the corporation or one segment instead',
      );
    }
    return { via: 'database', matched: await this.signalKnownTracks(target, signal) };
  }

  /** Signals each workflow; one that closed in between is skipped. Answers how many took it. */
  private async signalEach(workflowIds: string[], signal: HoldSignal): Promise<number> {
    let signalled = 0;
    for (const workflowId of workflowIds) {
      try {
        await countTrackMessage('signal', holdSignal.name, () => this.client.workflow.getHandle(workflowId).signal(holdSignal, signal));
        signalled++;
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    return signalled;
  }

  private async signalKnownTracks(target: HoldTarget, signal: HoldSignal): Promise<number> {
    const cases = await this.db.selectFrom('collection_case').select('workflow_id').where('corporation_id', '=', target.corporationId).orderBy('workflow_id').execute();
    const asOf = await this.today();
    const covered: string[] = [];
    for (const { workflow_id: workflowId } of cases) {
      const handle = this.client.workflow.getHandle(workflowId);
      const description = await handle.describe().catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      });
      if (description?.status.name !== 'RUNNING') continue;
      if (target.segment) {
        const status = await handle.query(trackStatusQuery, asOf);
        if ((status.segment.confirmed ?? status.segment.proposed) !== target.segment) continue;
      }
      covered.push(workflowId);
    }
    return this.signalEach(covered, signal);
  }

  /** The batch job's progress, or null where the server cannot describe it (or never ran it). */
  async describeBatch(jobId: string | null): Promise<BatchJobState | null> {
    if (!jobId) return null;
    try {
      const job = await this.client.workflowService.describeBatchOperation({ namespace: this.client.options.namespace, jobId });
      // BatchOperationState: 1 running, 2 completed, 3 failed (a name where the decoder gave one).
      const raw: unknown = job.state;
      const state = typeof raw === 'string' ? batchStateNames[raw.replace('BATCH_OPERATION_STATE_', '').toLowerCase()] : batchStates[Number(raw)];
      const instant = (t: Parameters<typeof optionalTsToMs>[0]) => {
        const ms = optionalTsToMs(t);
        return ms === undefined ? null : new Date(ms).toISOString();
      };
      return {
        jobId,
        state: state ?? 'unspecified',
        total: Number(String(job.totalOperationCount ?? 0)),
        completed: Number(String(job.completeOperationCount ?? 0)),
        failed: Number(String(job.failureOperationCount ?? 0)),
        startedAt: instant(job.startTime),
        closedAt: instant(job.closeTime),
      };
    } catch (error) {
      const code = grpcCode(error);
      if (code === grpcUnimplemented || code === grpcNotFound) return null;
      throw error;
    }
  }
}
