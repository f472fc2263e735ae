import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { toTaskView } from '../../../infra/db/task-rows.js';
import { dateHorizonDays } from '../../../shared/calendar/plausible-dates.js';
import { completeTaskUpdate, recordEarlyWarningObjectionUpdate } from '../../../shared/track/messages.js';
import { HttpError, notFound } from '../../http/errors.js';
import { noteAudit } from '../audit-trail.js';
import { callerOf } from '../auth.js';
import { ofHeldCorporations } from '../key-scope.js';
import { requirePlausibleDates } from '../date-checks.js';
import type { TrackClient } from '../../track-client/track-client.js';
import { findCase } from '../find-case.js';
import { taskContracts, taskCursor } from '../requests/tasks.js';
import { mountRoute } from './mount-route.js';

export interface TaskRoutesDeps {
  readonly db: Kysely<Database>;
  readonly tracks: TrackClient;
  readonly today: () => Promise<string>;
}

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

  mountRoute(router, taskContracts.worklist, async ({ query }, res) => {
    const rows = await db
      .selectFrom('task as t')
      .innerJoin('collection_case as c', 'c.case_id', 't.case_id')
      .leftJoin('debtor as d', 'd.case_id', 't.case_id')
      .select([...taskColumns, 'c.contract_ref', 'd.name', 'd.phone', 'd.email', 'd.street', 'd.postal_code', 'd.city'])
      .where('t.status', '=', query.status)
      .where(ofHeldCorporations(callerOf(res.locals), 't.corporation_id'))
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
    // Whose contact details were shown: the cases, by id.
    noteAudit(res, {
      ...(page.length > 0 ? { corporationIds: page.map((row) => row.corporation_id) } : {}),
      detail: { caseIds: [...new Set(page.map((row) => row.case_id))] },
    });
    res.json({
      tasks: page.map((row) => ({
        ...toTaskView(row),
        contractRef: row.contract_ref,
        // Erased (AVG) or never recorded: the task stays, without contact details.
        debtor:
          row.name === null
            ? null
            : { name: row.name, phone: row.phone, email: row.email, address: { street: row.street, postalCode: row.postal_code, city: row.city } },
      })),
      nextCursor: rows.length > query.limit && last ? taskCursor.encode({ expiresOn: last.expires_on, taskId: last.task_id }) : null,
    });
  });

  /**
   * Stores a person's outcome and tells the track. The row is completed only after the track took
   * the outcome, so a refusal (the task expired, the track is closed) leaves it as it was; the
   * update id makes a retry after a failure in between reach the same answer.
   */
  mountRoute(router, taskContracts.recordTaskOutcome, async ({ params: { taskId }, body }, res) => {
    const completedOn = await today();
    requirePlausibleDates('task outcome', completedOn, [{ path: ['promisedOn'], date: body.promisedOn, minDaysAfter: 0, maxDaysAfter: dateHorizonDays.scheduled }]);
    const task = await findTask(db, taskId);
    const promisedOn = body.promisedOn ?? null;
    if (task.status !== 'open') {
      // A repeat of the outcome that stands answers as the first call did.
      if (task.status === 'completed' && task.outcome === body.outcome && task.promised_on === promisedOn) {
        res.json(toTaskView(task));
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
    res.json(toTaskView(await findTask(db, taskId)));
  });

  mountRoute(router, taskContracts.objectToEarlyWarning, async ({ params: { caseId }, body }, res) => {
    const todayDate = await today();
    const objectedOn = body.objectedOn ?? todayDate;
    requirePlausibleDates('early-warning objection', todayDate, [{ path: ['objectedOn'], date: objectedOn, maxDaysAfter: 0 }]);
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
