import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/db/database.js';
import type { CloseTaskRequest, OpenTaskRequest, TaskKind, TaskStatus } from '../shared/track/tasks.js';

/**
 * What the task activities answer: ids, dates, amount and status only. The person's note and the
 * debtor's contact details stay in Postgres (this lands in workflow history).
 */
export interface TaskRecord {
  readonly taskId: string;
  readonly caseId: string;
  readonly kind: TaskKind;
  readonly status: TaskStatus;
  readonly openedOn: string;
  readonly expiresOn: string;
  readonly arrears: string;
  readonly outcome: string | null;
}

const recordColumns = ['task_id', 'case_id', 'kind', 'status', 'opened_on', 'expires_on', 'arrears', 'outcome'] as const;

const toRecord = (row: { task_id: string; case_id: string; kind: TaskKind; status: TaskStatus; opened_on: string; expires_on: string; arrears: string; outcome: string | null }): TaskRecord => ({
  taskId: row.task_id,
  caseId: row.case_id,
  kind: row.kind,
  status: row.status,
  openedOn: row.opened_on,
  expiresOn: row.expires_on,
  arrears: row.arrears,
  outcome: row.outcome,
});

export function createTaskActivities(db: Kysely<Database>) {
  return {
    /**
     * Puts a call-round or home-visit task on the worklist. Keyed by the task id (track + kind +
     * cycle): a retried or repeated call changes nothing and answers the stored task as it stands.
     */
    async openTask(request: OpenTaskRequest): Promise<TaskRecord> {
      await db
        .insertInto('task')
        .values({
          task_id: request.taskId,
          case_id: request.caseId,
          corporation_id: request.corporationId,
          kind: request.kind,
          status: 'open',
          opened_on: request.openedOn,
          expires_on: request.expiresOn,
          arrears: request.arrears,
        })
        .onConflict((oc) => oc.column('task_id').doNothing())
        .execute();
      return toRecord(await db.selectFrom('task').select(recordColumns).where('task_id', '=', request.taskId).executeTakeFirstOrThrow());
    },

    /**
     * Ends a task that got no outcome in time (expired) or that the track no longer needs
     * (cancelled), only while it is still open: an outcome a person recorded first stands.
     * Answers the task's final status.
     */
    async closeTask(request: CloseTaskRequest): Promise<{ taskId: string; status: TaskStatus }> {
      await db
        .updateTable('task')
        .set({ status: request.status, closed_on: request.closedOn })
        .where('task_id', '=', request.taskId)
        .where('status', '=', 'open')
        .execute();
      const row = await db.selectFrom('task').select(['task_id', 'status']).where('task_id', '=', request.taskId).executeTakeFirst();
      if (!row) throw ApplicationFailure.nonRetryable(`no task ${request.taskId} on the worklist`, 'UnknownTask');
      return { taskId: row.task_id, status: row.status };
    },
  };
}
