import type { Selectable } from 'kysely';
import type { TaskRecord } from '../../shared/track/task-messages.js';
import type { TaskTable } from './database.js';

type TaskRow = Selectable<TaskTable>;

/** The columns a TaskRecord is made of: what a track may learn of a task. */
export const taskRecordColumns = ['task_id', 'case_id', 'kind', 'status', 'opened_on', 'expires_on', 'arrears', 'outcome'] as const;
export type TaskRecordRow = Pick<TaskRow, (typeof taskRecordColumns)[number]>;

/** A task as the track sees it (it lands in workflow history): no note, no person. */
export const toTaskRecord = (row: TaskRecordRow): TaskRecord => ({
  taskId: row.task_id,
  caseId: row.case_id,
  kind: row.kind,
  status: row.status,
  openedOn: row.opened_on,
  expiresOn: row.expires_on,
  arrears: row.arrears,
  outcome: row.outcome,
});

export type TaskViewRow = TaskRecordRow & Pick<TaskRow, 'corporation_id' | 'promised_on' | 'note' | 'completed_by' | 'completed_at' | 'closed_on'>;

/** A task as the API answers it: the track's record with what people recorded, the note included. */
export const toTaskView = (row: TaskViewRow) => ({
  ...toTaskRecord(row),
  corporationId: row.corporation_id,
  promisedOn: row.promised_on,
  note: row.note,
  completedBy: row.completed_by,
  completedAt: row.completed_at ? row.completed_at.toISOString() : null,
  closedOn: row.closed_on,
});
export type TaskView = ReturnType<typeof toTaskView>;
