import type { Kysely } from 'kysely';
import { caseKeys } from '../../infra/db/case-store.js';
import type { Database } from '../../infra/db/database.js';
import { noteCase } from '../../infra/observability/log-context.js';
import { notFound } from '../http/errors.js';

/** A case by its id, with what the routes need to reach its track and check a bailiff's access; 404 when unknown. */
export async function findCase(db: Kysely<Database>, caseId: string) {
  const row = await caseKeys(db, caseId);
  if (!row) throw notFound(`no case ${caseId}`);
  // The request's log lines name the case and its track from here on.
  noteCase({ caseId: row.case_id, workflowId: row.workflow_id });
  return row;
}
