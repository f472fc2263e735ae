import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { creditorCorporation, upsertCreditor } from '../../../infra/db/direct-debit/creditor-store.js';
import { recordAdvance, storeOccupancy } from '../../../infra/db/direct-debit/occupancy-store.js';
import { recordPaidOtherwise } from '../../../infra/db/direct-debit/paid-otherwise.js';
import { dateHorizonDays } from '../../../shared/calendar/plausible-dates.js';
import { advancePaidOtherwiseUpdate, type AdvanceAccountInput, type CollectionRunsInput } from '../../../shared/direct-debit/advance-account-messages.js';
import { overlappingMonth } from '../../../shared/direct-debit/collection-calendar.js';
import { advanceAccountWorkflowId, collectionRunsWorkflowId, unpaidAdvanceInvoiceRef } from '../../../shared/direct-debit/debit-outcome.js';
import { conflict, HttpError, notFound, unprocessable } from '../../http/errors.js';
import { callerOf, holdsCorporation } from '../auth.js';
import { requirePlausibleDates } from '../date-checks.js';
import type { TrackClient } from '../../track-client/track-client.js';
import { occupancyMonths } from '../direct-debit/occupancy-months.js';
import { directDebitContracts as contracts } from '../requests/direct-debit.js';
import { mountRoute } from './mount-route.js';

export interface DirectDebitRouteDependencies {
  readonly db: Kysely<Database>;
  readonly client: Client;
  readonly taskQueue: string;
  readonly today: () => Promise<string>;
  /** Books an advance paid another way on the track it was handed to. */
  readonly tracks: TrackClient;
}

/**
 * Creditors, occupancies and the runs of the collection service (issue 13). The occupant's details
 * stay in Postgres; the workflows started here get ids only.
 */
export function directDebitRoutes({ db, client, taskQueue, today, tracks }: DirectDebitRouteDependencies): Router {
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

  /**
   * A month's advance paid another way: Postgres first (the month's planned debits leave their
   * runs), then the advance account (no retry, no hand-over; it answers once a hand-over in flight
   * has landed), then, when the month was on the track already, the payment is booked there under
   * a transaction id of its own, so a repeat of this request books nothing twice.
   */
  mountRoute(router, contracts.postAdvanceMonth, async ({ params: { occupancyId, month }, body }, res) => {
    const caller = callerOf(res.locals);
    requirePlausibleDates('advance month action', await today(), [{ path: ['paidOn'], date: body.paidOn, maxDaysAfter: dateHorizonDays.recorded }]);
    const recorded = await recordPaidOtherwise(db, occupancyId, month, body, caller.actor);
    if (recorded.kind === 'no_advance') throw unprocessable('no_advance', `occupancy ${occupancyId} has no advance in force for ${month}`);
    if (recorded.kind === 'debit_at_bank') {
      throw new HttpError(409, 'debit_at_bank', `the advance of ${month} is ${recorded.status === 'collected' ? 'collected' : 'in a file at the bank'} (${recorded.endToEndId}); record a payment another way once the bank has returned it`);
    }
    if (recorded.kind === 'recorded_otherwise') throw conflict(`the advance of ${month} is recorded as paid on ${recorded.paidOn} with reference ${recorded.reference}`);

    const occupancy = await db.selectFrom('occupancy').select('corporation_id').where('occupancy_id', '=', occupancyId).executeTakeFirstOrThrow();
    const handedToTrack = await client.workflow
      .getHandle(advanceAccountWorkflowId(occupancy.corporation_id, occupancyId))
      .executeUpdate(advancePaidOtherwiseUpdate, { args: [{ month, amount: recorded.amount, paidOn: recorded.paidOn }] })
      .then((answer) => answer.handedToTrack)
      .catch((error: unknown) => {
        // No account runs (an occupancy stored before its workflow could start): it handed nothing over.
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      });
    let settledOnTrack = false;
    if (handedToTrack) {
      const track = await db
        .selectFrom('claim')
        .innerJoin('collection_case', 'collection_case.case_id', 'claim.case_id')
        .select('collection_case.workflow_id')
        .where('claim.invoice_ref', '=', unpaidAdvanceInvoiceRef(occupancyId, month))
        .where('collection_case.corporation_id', '=', occupancy.corporation_id)
        .executeTakeFirst();
      if (track) {
        await tracks.deliverPayment(track.workflow_id, { transactionId: `paid-otherwise-${occupancyId}-${month}`, amount: recorded.amount, bookedOn: recorded.paidOn });
        settledOnTrack = true;
      }
    }
    res.json({
      occupancyId,
      month,
      status: 'paid_otherwise',
      amount: recorded.amount,
      paidOn: recorded.paidOn,
      reference: recorded.reference,
      recordedBy: recorded.recordedBy,
      withdrawnDebits: [...recorded.withdrawnDebits],
      settledOnTrack,
    });
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
