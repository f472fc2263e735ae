import type { Selectable } from 'kysely';
import type { HoldTable } from '../../../infra/db/database.js';

export type HoldRow = Selectable<HoldTable>;

/** Whether the start (release) signal went out: a batch job carried it, or tracks took it one by one. */
export const startSignalled = (row: HoldRow) => row.start_batch_job_id !== null || row.start_matched !== null;
export const releaseSignalled = (row: HoldRow) => row.release_batch_job_id !== null || row.release_matched !== null;

/** A hold as the API answers it. */
export function presentHold(row: HoldRow) {
  return {
    holdId: row.hold_id,
    corporationId: row.corporation_id,
    segment: row.segment,
    query: row.visibility_query,
    reason: row.reason,
    status: row.released_on ? ('released' as const) : ('active' as const),
    from: row.from_date,
    releasedOn: row.released_on,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    releasedBy: row.released_by,
    /** The batch operation that carried the start signal (null: signalled one by one, or not yet). */
    batchJobId: row.start_batch_job_id,
    /** Tracks signalled one by one (null when a batch operation carried it: see its state). */
    matched: row.start_matched,
    releaseBatchJobId: row.release_batch_job_id,
    releaseMatched: row.release_matched,
    /** Whether the start (release) signal went out; false after a failure: repeat the call. */
    signalled: { start: startSignalled(row), release: releaseSignalled(row) },
  };
}
export type HoldView = ReturnType<typeof presentHold>;
