import { z } from 'zod';
import { lazySchema } from '../validation/lazy-schema.js';
import { businessDateSchema } from '../calendar/plausible-dates.js';
import { wellFormedId } from '../validation/text.js';

/**
 * Tasks for people (domain.md §1, A.2): a call round and a home visit; and a dispute routed to
 * whoever handles complaints (§8), open while the dispute parks the track. The track opens them and
 * learns their outcome; the worklist (who, where, phone number) lives in Postgres, so the
 * workflow holds ids and dates only.
 */
export const taskKinds = ['call', 'visit', 'dispute'] as const;

/** Days the complaints desk has to answer a dispute before its task shows as overdue (expired). */
export const disputeResponseDays = 28;
export type TaskKind = (typeof taskKinds)[number];

export const taskStatuses = ['open', 'completed', 'expired', 'cancelled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export const taskOutcomes = ['reached', 'not_reached', 'promise_to_pay', 'arrangement_requested', 'dispute'] as const;
export type TaskOutcome = (typeof taskOutcomes)[number];

/** The id of a task is derived from the track and the cycle, so opening it again is a no-op. */
export const taskId = (workflowId: string, kind: TaskKind, cycle: number) => `${workflowId}/${kind}/${cycle}`;

/** What the track asks the `openTask` activity to put on the worklist. */
export interface OpenTaskRequest {
  readonly taskId: string;
  readonly caseId: string;
  readonly corporationId: string;
  readonly kind: TaskKind;
  readonly openedOn: string;
  readonly expiresOn: string;
  /** The arrears when the task was opened, for the caller's script. */
  readonly arrears: string;
}

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

/** What the `closeTask` activity records when a task ends without a person's outcome. */
export interface CloseTaskRequest {
  readonly taskId: string;
  readonly status: 'expired' | 'cancelled';
  readonly closedOn: string;
}

/** The `completeTask` update (API → track), after the API stored the outcome and its note. */
export const completeTaskRequestSchema = lazySchema(() => z.object({
  taskId: wellFormedId(300),
  outcome: z.enum(taskOutcomes),
  /** For `promise_to_pay`: the day the tenant promised to pay by; the track waits until then. */
  promisedOn: businessDateSchema.optional(),
  completedOn: businessDateSchema,
  actor: wellFormedId(100),
}));
export type CompleteTaskRequest = z.infer<typeof completeTaskRequestSchema>;

export interface CompleteTaskResult {
  readonly taskId: string;
  readonly outcome: string;
  /** False when the task had already ended (completed, expired or cancelled): nothing changed. */
  readonly accepted: boolean;
}
