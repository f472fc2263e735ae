import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { creditorCorporation, upsertCreditor } from '../../../infra/db/direct-debit/creditor-store.js';
import { recordAdvance, storeOccupancy } from '../../../infra/db/direct-debit/occupancy-store.js';
import type { AdvanceAccountInput, CollectionRunsInput } from '../../../shared/direct-debit/advance-account-messages.js';
import { overlappingMonth } from '../../../shared/direct-debit/collection-calendar.js';
import { advanceAccountWorkflowId, collectionRunsWorkflowId } from '../../../shared/direct-debit/debit-outcome.js';
import { conflict, HttpError, notFound, unprocessable } from '../../http/errors.js';
import { callerOf, holdsCorporation } from '../auth.js';
import { occupancyMonths } from '../direct-debit/occupancy-months.js';
import { directDebitContracts as contracts } from '../requests/direct-debit.js';
import { mountRoute } from './mount-route.js';

export interface DirectDebitRouteDependencies {
  readonly db: Kysely<Database>;
  readonly client: Client;
  readonly taskQueue: string;
  readonly today: () => Promise<string>;
}

/**
 * Creditors, occupancies and the runs of the collection service (issue 13). The occupant's details
 * stay in Postgres; the workflows started here get ids only.
 */
export function directDebitRoutes({ db, client, taskQueue, today }: DirectDebitRouteDependencies): Router {
  const router = Router();

  /** Starts a workflow unless it runs: both are entities that live as long as their creditor or occupancy. */
  const ensureRunning = async (workflowType: 'collectionRuns' | 'advanceAccount', workflowId: string, input: CollectionRunsInput | AdvanceAccountInput) => {
    await client.workflow.start(workflowType, {
      workflowId,
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: workflowType === 'collectionRuns' ? `Monthly direct-debit runs ${workflowId}` : `Advance account ${workflowId}`,
    });
  };

  mountRoute(router, contracts.putCreditor, async ({ params: { creditorId }, body }, res) => {
    const caller = callerOf(res.locals);
    const corporation = await db.selectFrom('corporation').select('corporation_id').where('corporation_id', '=', body.corporationId).executeTakeFirst();
    if (!corporation) throw notFound(`no corporation ${body.corporationId}`);
    const current = await creditorCorporation(db, creditorId);
    if (current !== undefined && current !== body.corporationId) {
      // A creditor of a corporation the key does not hold answers as one that does not exist.
      if (!holdsCorporation(caller, current)) throw notFound(`no creditor ${creditorId}`);
      throw conflict(`creditor ${creditorId} collects for corporation ${current}, not ${body.corporationId}`);
    }
    const overlap = overlappingMonth(
      { collectionDay: body.collectionDay, collectionDayShift: body.collectionDayShift, prenoticeDays: body.prenoticeDays, runsPerMonth: body.limits.runsPerMonth, runIntervalDays: body.runIntervalDays },
      (await today()).slice(0, 7),
    );
    if (overlap !== null) {
      throw unprocessable('schedule_overlaps', `the last run of ${overlap} would be submitted after the next month's pre-notification is due: collect earlier in the month, or shorten the pre-notice or the run interval`);
    }
    await upsertCreditor(db, creditorId, body);
    const workflowId = collectionRunsWorkflowId(creditorId);
    await ensureRunning('collectionRuns', workflowId, { creditorId, corporationId: body.corporationId });
    res.json({
      creditorId,
      corporationId: body.corporationId,
      name: body.name,
      initiatingPartyName: body.initiatingPartyName ?? body.name,
      creditorIdentifier: body.creditorIdentifier,
      iban: body.iban,
      bic: body.bic,
      accountMode: body.accountMode,
      painVersion: body.painVersion,
      collectionDay: body.collectionDay,
      collectionDayShift: body.collectionDayShift,
      prenoticeDays: body.prenoticeDays,
      runIntervalDays: body.runIntervalDays,
      limits: body.limits,
      workflowId,
    });
  });

  mountRoute(router, contracts.putOccupancy, async ({ params: { occupancyId }, body }, res) => {
    const caller = callerOf(res.locals);
    const existing = await db.selectFrom('occupancy').select('corporation_id').where('occupancy_id', '=', occupancyId).executeTakeFirst();
    if (existing && !holdsCorporation(caller, existing.corporation_id)) throw notFound(`no occupancy ${occupancyId}`);
    const creditorOf = await creditorCorporation(db, body.creditorId);
    if (creditorOf !== body.corporationId) throw unprocessable('unknown_creditor', `no creditor ${body.creditorId} for corporation ${body.corporationId}`);
    const result = await storeOccupancy(db, occupancyId, body, await today(), caller.actor);
    if (result.kind === 'conflict') throw conflict(`occupancy ${occupancyId} is stored with another ${result.fields.join(', ')}`);
    if (result.kind === 'month_already_announced') {
      throw unprocessable('month_already_announced', `the advance of ${result.month} is already pre-notified or collected; change it from a later month`);
    }
    const workflowId = advanceAccountWorkflowId(body.corporationId, occupancyId);
    await ensureRunning('advanceAccount', workflowId, { corporationId: body.corporationId, occupancyId, creditorId: body.creditorId });
    res.status(result.created ? 201 : 200).json({ occupancyId, workflowId, mandateVersion: result.mandateVersion, amended: result.amended });
  });

  mountRoute(router, contracts.postAdvance, async ({ params: { occupancyId }, body }, res) => {
    const caller = callerOf(res.locals);
    const recorded = await recordAdvance(db, occupancyId, body, caller.actor);
    if (recorded.kind === 'month_already_announced') {
      throw unprocessable('month_already_announced', `the advance of ${recorded.month} is already pre-notified or collected; change it from a later month`);
    }
    res.status(201).json({ occupancyId, from: body.from, amount: body.amount, requestedBy: body.requestedBy, recordedBy: caller.actor });
  });

  mountRoute(router, contracts.getOccupancy, async ({ params: { occupancyId } }, res) => {
    res.json(await occupancyMonths(db, client, occupancyId, await today()));
  });

  mountRoute(router, contracts.listRuns, async ({ query: { creditorId } }, res) => {
    const runs = await db
      .selectFrom('direct_debit_run')
      .select(['run_id', 'collection_date', 'count', 'total', 'status', 'sequence', 'month', 'message_id'])
      .where('creditor_id', '=', creditorId)
      .orderBy('collection_date', 'desc')
      .orderBy('sequence', 'desc')
      .execute();
    res.json(
      runs.map((r) => ({ runId: r.run_id, collectionDate: r.collection_date, count: r.count, total: r.total, status: r.status, sequence: r.sequence, month: r.month, messageId: r.message_id })),
    );
  });

  mountRoute(router, contracts.listTasks, async ({ query: { creditorId } }, res) => {
    const tasks = await db.selectFrom('direct_debit_task').selectAll().where('creditor_id', '=', creditorId).orderBy('created_at', 'desc').orderBy('task_id').execute();
    res.json(
      tasks.map((t) => ({
        taskId: t.task_id,
        occupancyId: t.occupancy_id,
        month: t.month,
        endToEndId: t.end_to_end_id,
        kind: t.kind,
        amount: t.amount,
        limit: t.limit_amount,
        message: t.message,
        status: t.status,
        createdAt: new Date(t.created_at).toISOString(),
      })),
    );
  });

  mountRoute(router, contracts.getRunFile, async ({ params: { runId } }, res) => {
    const run = await db.selectFrom('direct_debit_run').select(['xml', 'message_id']).where('run_id', '=', runId).executeTakeFirstOrThrow();
    if (run.xml === null) throw new HttpError(409, 'not_submitted', `run ${runId} has no file yet`);
    res.status(200).type('application/xml').setHeader('content-disposition', `inline; filename="${run.message_id}.xml"`);
    res.send(run.xml);
  });

  return router;
}
