import { ServiceError } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { claimsOfCase, type StoredClaim } from '../../infra/db/case-store.js';
import type { Database } from '../../infra/db/database.js';
import type { TrackStatus } from '../../shared/track/track-status.js';
import { isEngineUnavailable } from '../track-client/engine-deadline.js';
import type { TrackClient } from '../track-client/track-client.js';

/**
 * What Postgres knows of a case while the engine cannot answer: the case as billing sent it and
 * its claims as stored, without anything the track computes (stage, balance, letters, deadlines).
 */
export interface StoredCase {
  readonly caseId: string;
  readonly corporationId: string;
  readonly contractRef: string;
  readonly workflowId: string;
  readonly engine: 'unavailable';
  /** The track's own state could not be read: what is here may be behind it. */
  readonly stale: true;
  readonly claims: readonly StoredClaim[];
}

/** The track's status, or, while the engine is away, the case as Postgres holds it. */
export async function statusOrStoredCase(db: Kysely<Database>, tracks: TrackClient, row: { case_id: string; workflow_id: string }): Promise<TrackStatus | StoredCase> {
  try {
    return await tracks.status(row.workflow_id);
  } catch (error) {
    // A read may always fall back: whatever kept the engine from answering, the stored case is
    // marked stale, and the caller sees what Postgres holds rather than a 500.
    if (!isEngineUnavailable(error) && !(error instanceof ServiceError)) throw error;
    return storedCase(db, row.case_id);
  }
}

async function storedCase(db: Kysely<Database>, caseId: string): Promise<StoredCase> {
  const stored = await db
    .selectFrom('collection_case')
    .select(['case_id', 'corporation_id', 'contract_ref', 'workflow_id'])
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return {
    caseId: stored.case_id,
    corporationId: stored.corporation_id,
    contractRef: stored.contract_ref,
    workflowId: stored.workflow_id,
    engine: 'unavailable',
    stale: true,
    claims: await claimsOfCase(db, caseId),
  };
}
