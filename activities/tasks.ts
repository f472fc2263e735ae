import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/db/database.js';
import { taskRecordColumns, toTaskRecord } from '../infra/db/task-rows.js';
import type { CloseTaskRequest, OpenTaskRequest, TaskRecord, TaskStatus } from '../shared/track/task-messages.js';

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
      return toTaskRecord(await db.selectFrom('task').select(taskRecordColumns).where('task_id', '=', request.taskId).executeTakeFirstOrThrow());
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
