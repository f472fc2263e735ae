import { Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../infra/db/database.js';
import { isoDateSchema } from '../../../shared/calendar/iso-date.js';
import { completeTaskUpdate, recordEarlyWarningObjectionUpdate } from '../../../shared/track/messages.js';
import { taskKinds, taskOutcomes, taskStatuses, type TaskStatus } from '../../../shared/track/tasks.js';
import { idPartPattern } from '../../../shared/track/workflow-id.js';
import { badRequest, HttpError, notFound, parseInput } from '../../http/errors.js';
import { allow, callerOf } from '../auth.js';
import { caseIdParamsSchema } from '../case-requests.js';
import type { TrackClient } from '../track-client.js';
import { findCase } from '../find-case.js';
import { integerQuery } from '../../http/query-params.js';

export interface TaskRoutesDeps {
  readonly db: Kysely<Database>;
  readonly tracks: TrackClient;
  readonly today: () => Promise<string>;
}

export { taskStatuses };


/** The position after the last task of a page: its expiry date and id, base64url-encoded JSON. */
const encodeCursor = (expiresOn: string, taskId: string) => Buffer.from(JSON.stringify([expiresOn, taskId]), 'utf8').toString('base64url');
const cursorSchema = z
  .string()
  .max(1000)
  .transform((value, ctx) => {
    try {
      const decoded: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
      const parsed = z.tuple([isoDateSchema, z.string().min(1).max(300)]).safeParse(decoded);
      if (parsed.success) return { expiresOn: parsed.data[0], taskId: parsed.data[1] };
    } catch {
      // falls through to the issue below
    }
    ctx.addIssue({ code: 'custom', message: 'not a cursor this API handed out (use nextCursor of the previous page)' });
    return z.NEVER;
  });

export const worklistQuerySchema = z.object({
  kind: z.enum(taskKinds).optional(),
  corporationId: z.string().regex(idPartPattern, 'a corporation id').optional(),
  status: z.enum(taskStatuses).default('open'),
  limit: integerQuery(1, 200).default(50),
  cursor: cursorSchema.optional(),
});

const taskIdParamsSchema = z.object({ taskId: z.string().min(1).max(300) });

export const taskOutcomeRequestSchema = z
  .object({
    outcome: z.enum(taskOutcomes),
    /** What the caller or visitor learned; stays in Postgres, never in the workflow. */
    note: z.string().trim().max(2000).optional(),
    /** Required for promise_to_pay: the day the tenant promised to pay by (today or later). */
    promisedOn: isoDateSchema.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.outcome === 'promise_to_pay' && !body.promisedOn) ctx.addIssue({ code: 'custom', path: ['promisedOn'], message: 'a promise to pay needs promisedOn' });
    if (body.outcome !== 'promise_to_pay' && body.promisedOn) ctx.addIssue({ code: 'custom', path: ['promisedOn'], message: 'promisedOn goes only with promise_to_pay' });
  });

export const earlyWarningObjectionBodySchema = z.object({
  /** The day the tenant objected; today when absent. */
  objectedOn: isoDateSchema.optional(),
  note: z.string().trim().max(2000).optional(),
});

interface TaskRow {
  task_id: string;
  case_id: string;
  corporation_id: string;
  kind: string;
  status: TaskStatus;
  opened_on: string;
  expires_on: string;
  arrears: string;
  outcome: string | null;
  promised_on: string | null;
  note: string | null;
  completed_by: string | null;
  completed_at: Date | null;
  closed_on: string | null;
}

const presentTask = (row: TaskRow) => ({
  taskId: row.task_id,
  caseId: row.case_id,
  corporationId: row.corporation_id,
  kind: row.kind,
  status: row.status,
  openedOn: row.opened_on,
  expiresOn: row.expires_on,
  arrears: row.arrears,
  outcome: row.outcome,
  promisedOn: row.promised_on,
  note: row.note,
  completedBy: row.completed_by,
  completedAt: row.completed_at ? row.completed_at.toISOString() : null,
  closedOn: row.closed_on,
});

const taskColumns = [
  't.task_id', 't.case_id', 't.corporation_id', 't.kind', 't.status', 't.opened_on', 't.expires_on', 't.arrears',
  't.outcome', 't.promised_on', 't.note', 't.completed_by', 't.completed_at', 't.closed_on',
] as const;

const taskNotOpen = (taskId: string, status: string) => new HttpError(409, 'conflict', `task ${taskId} is ${status}; it takes no outcome`, [{ taskId, status }]);

async function findTask(db: Kysely<Database>, taskId: string) {
  const row = await db
    .selectFrom('task as t')
    .innerJoin('collection_case as c', 'c.case_id', 't.case_id')
    .select([...taskColumns, 'c.workflow_id'])
    .where('t.task_id', '=', taskId)
    .executeTakeFirst();
  if (!row) throw notFound(`no task ${taskId}`);
  return row;
}

/**
 * The people's side of the amicable phase (domain.md §1 A.2, §7): the call-round and home-visit
 * worklist with the tenant's contact details (from Postgres: the workflow never holds them), the
 * outcome of a task, and the tenant's objection to the early-warning signal.
 */
export function taskRoutes({ db, tracks, today }: TaskRoutesDeps): Router {
  const router = Router();

  router.get('/v1/tasks', allow('operator'), async (req, res) => {
    const query = parseInput(worklistQuerySchema, req.query, 'query');
    const rows = await db
      .selectFrom('task as t')
      .innerJoin('collection_case as c', 'c.case_id', 't.case_id')
      .leftJoin('debtor as d', 'd.case_id', 't.case_id')
      .select([...taskColumns, 'c.contract_ref', 'd.name', 'd.phone', 'd.email', 'd.street', 'd.postal_code', 'd.city'])
      .where('t.status', '=', query.status)
      .$if(query.kind !== undefined, (qb) => qb.where('t.kind', '=', query.kind!))
      .$if(query.corporationId !== undefined, (qb) => qb.where('t.corporation_id', '=', query.corporationId!))
      .$if(query.cursor !== undefined, (qb) =>
        qb.where((eb) => eb(eb.refTuple('t.expires_on', 't.task_id'), '>', eb.tuple(query.cursor!.expiresOn, query.cursor!.taskId))),
      )
      .orderBy('t.expires_on')
      .orderBy('t.task_id')
      .limit(query.limit + 1)
      .execute();
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    res.json({
      tasks: page.map((row) => ({
        ...presentTask(row),
        contractRef: row.contract_ref,
        // Erased (AVG) or never recorded: the task stays, without contact details.
        debtor:
          row.name === null
            ? null
            : { name: row.name, phone: row.phone, email: row.email, address: { street: row.street, postalCode: row.postal_code, city: row.city } },
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.expires_on, last.task_id) : null,
    });
  });

  /**
   * Stores a person's outcome and tells the track. The row is completed only after the track took
   * the outcome, so a refusal (the task expired, the track is closed) leaves it as it was; the
   * update id makes a retry after a failure in between reach the same answer.
   */
  router.post('/v1/tasks/:taskId/outcome', allow('operator'), async (req, res) => {
    const { taskId } = parseInput(taskIdParamsSchema, req.params, 'path');
    const body = parseInput(taskOutcomeRequestSchema, req.body, 'task outcome');
    const completedOn = await today();
    if (body.promisedOn && body.promisedOn < completedOn) {
      throw badRequest(`invalid task outcome: promisedOn: may not be before today (${completedOn})`, [{ path: ['promisedOn'], code: 'custom', message: 'may not be before today' }]);
    }
    const task = await findTask(db, taskId);
    const promisedOn = body.promisedOn ?? null;
    if (task.status !== 'open') {
      // A repeat of the outcome that stands answers as the first call did.
      if (task.status === 'completed' && task.outcome === body.outcome && task.promised_on === promisedOn) {
        res.json(presentTask(task));
        return;
      }
      throw taskNotOpen(taskId, task.status);
    }

    const actor = callerOf(res.locals).actor;
    const result = await tracks.update(
      task.workflow_id,
      completeTaskUpdate,
      [{ taskId, outcome: body.outcome, ...(body.promisedOn ? { promisedOn: body.promisedOn } : {}), completedOn, actor }],
      `task-outcome-${taskId}`,
    );
    if (result.outcome !== body.outcome) {
      // The track ended the task first (expired, cancelled) or took another outcome for it.
      if (result.outcome === 'expired' || result.outcome === 'cancelled') {
        await db.updateTable('task').set({ status: result.outcome, closed_on: completedOn }).where('task_id', '=', taskId).where('status', '=', 'open').execute();
        throw taskNotOpen(taskId, result.outcome);
      }
      throw taskNotOpen(taskId, 'completed');
    }

    // The track holds the outcome now (this call, or an earlier attempt of it): so does the row,
    // even if an expiry that lost the race to this outcome marked it first.
    await db
      .updateTable('task')
      .set({ status: 'completed', outcome: body.outcome, promised_on: promisedOn, note: body.note ?? null, completed_by: actor, completed_at: new Date(), closed_on: null })
      .where('task_id', '=', taskId)
      .where('status', '<>', 'completed')
      .execute();
    res.json(presentTask(await findTask(db, taskId)));
  });

  router.post('/v1/cases/:caseId/early-warning-objection', allow('operator'), async (req, res) => {
    const { caseId } = parseInput(caseIdParamsSchema, req.params, 'path');
    const body = parseInput(earlyWarningObjectionBodySchema, req.body ?? {}, 'early-warning objection');
    const todayDate = await today();
    const objectedOn = body.objectedOn ?? todayDate;
    if (objectedOn > todayDate) {
      throw badRequest(`invalid early-warning objection: objectedOn: may not be after today (${todayDate})`, [{ path: ['objectedOn'], code: 'custom', message: 'may not be after today' }]);
    }
    const row = await findCase(db, caseId);
    const actor = callerOf(res.locals).actor;
    // The track first: a refusal (closed track) stores nothing.
    const result = await tracks.update(row.workflow_id, recordEarlyWarningObjectionUpdate, [{ objectedOn, actor }]);
    // The evidence row: for the objection the track recorded, or the first one Postgres sees (a
    // retry after a failure here); a repeat of a recorded objection adds nothing.
    const stored = await db.selectFrom('early_warning_objection').select('case_id').where('case_id', '=', caseId).executeTakeFirst();
    if (result.recorded || !stored) {
      await db.insertInto('early_warning_objection').values({ case_id: caseId, objected_on: objectedOn, note: body.note ?? null, recorded_by: actor }).execute();
    }
    res.json(result);
  });

  return router;
}
