import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { daysInMonth } from '../../../shared/calendar/iso-date.js';
import type { RunDates } from '../../../shared/direct-debit/collection-calendar.js';
import { debitEndToEndId, directDebitRunId, runMessageId } from '../../../shared/direct-debit/direct-debit-ids.js';
import { formatMoney, money } from '../../../shared/money.js';
import type { Database } from '../database.js';

/**
 * The sequence type of every debit. Since SDD Core rulebook 9.2 (November 2016) FRST is optional:
 * a first collection may be sent as RCUR, and a retried or re-presented first debit then needs no
 * special case (interfaces.md §1.4). Kept as a constant so a bank that still wants FRST is one
 * place to change.
 */
export const sequenceType = 'RCUR';

export interface PlannedRun {
  readonly runId: string;
  readonly sequence: number;
  readonly collectionDate: string;
  readonly count: number;
  readonly total: string;
}

export interface MonthPlan {
  readonly runs: readonly PlannedRun[];
  readonly withheld: number;
}

const lastDayOf = (month: string) => {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(daysInMonth(year, monthNumber)).padStart(2, '0')}`;
};

/** Opens an operator task for a debit kept back, once per debit and kind. */
export async function openWithheldTask(
  trx: Kysely<Database> | Transaction<Database>,
  task: { creditorId: string; corporationId: string; occupancyId: string; month: string; endToEndId: string; kind: 'over_max_per_debit' | 'over_max_run_total'; amount: string; limit: string; message: string },
): Promise<void> {
  await trx
    .insertInto('direct_debit_task')
    .values({
      task_id: `${task.kind}:${task.endToEndId}`,
      creditor_id: task.creditorId,
      corporation_id: task.corporationId,
      occupancy_id: task.occupancyId,
      month: task.month,
      end_to_end_id: task.endToEndId,
      kind: task.kind,
      amount: task.amount,
      limit_amount: task.limit,
      message: task.message,
    })
    .onConflict((oc) => oc.column('task_id').doNothing())
    .execute();
}

/**
 * Plans a creditor's month: its runs, and a debit for every occupancy that occupies the unit that
 * month with a mandate and a non-zero advance. The bank contract's limits apply here: a debit over
 * the per-debit maximum is withheld with an operator task; what does not fit in the first run's
 * total moves to the month's later runs, each up to the same total, and what fits in none is
 * withheld with a task. Planned once: a repeated call answers the plan as it stands.
 */
export async function planCollectionMonth(db: Kysely<Database>, creditorId: string, month: string, runs: readonly RunDates[]): Promise<MonthPlan> {
  await db.transaction().execute(async (trx) => {
    const creditor = await trx.selectFrom('creditor').selectAll().where('creditor_id', '=', creditorId).forUpdate().executeTakeFirstOrThrow();
    const already = await trx.selectFrom('direct_debit_run').select('run_id').where('creditor_id', '=', creditorId).where('month', '=', month).executeTakeFirst();
    if (already) return;
    for (const run of runs) {
      await trx
        .insertInto('direct_debit_run')
        .values({
          run_id: directDebitRunId(creditorId, month, run.sequence),
          creditor_id: creditorId,
          corporation_id: creditor.corporation_id,
          month,
          sequence: run.sequence,
          collection_date: run.collectionDate,
          status: 'planned',
          message_id: runMessageId(creditorId, month, run.sequence),
        })
        .execute();
    }
    const occupancies = await trx
      .selectFrom('occupancy')
      .select(['occupancy_id', 'corporation_id'])
      .where('creditor_id', '=', creditorId)
      .where('moved_in_on', '<=', lastDayOf(month))
      .where((eb) => eb.or([eb('moved_out_on', 'is', null), eb('moved_out_on', '>=', `${month}-01`)]))
      // Paid another way before the month was planned (an operator recorded it): nothing to debit.
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('advance_paid_otherwise as p').select('p.month').whereRef('p.occupancy_id', '=', 'occupancy.occupancy_id').where('p.month', '=', month))),
      )
      .orderBy('occupancy_id')
      .execute();
    // The advance in force and the latest mandate of every occupancy, in two queries (a creditor may have thousands).
    const ids = occupancies.map((o) => o.occupancy_id);
    const advances = ids.length === 0 ? [] : await sql<{ occupancy_id: string; amount: string }>`
      select distinct on (occupancy_id) occupancy_id, amount::text as amount from occupancy_advance
      where occupancy_id = any(${ids}::text[]) and from_month <= ${month}
      order by occupancy_id, from_month desc, advance_id desc`.execute(trx).then((r) => r.rows);
    const mandates = ids.length === 0 ? [] : await sql<{ occupancy_id: string; version: number }>`
      select distinct on (occupancy_id) occupancy_id, version from occupancy_mandate
      where occupancy_id = any(${ids}::text[]) order by occupancy_id, version desc`.execute(trx).then((r) => r.rows);
    const advanceOf = new Map(advances.map((a) => [a.occupancy_id, a.amount]));
    const mandateOf = new Map(mandates.map((m) => [m.occupancy_id, m.version]));
    const candidates = [];
    for (const occupancy of occupancies) {
      const amount = advanceOf.get(occupancy.occupancy_id);
      const mandateVersion = mandateOf.get(occupancy.occupancy_id);
      if (amount === undefined || mandateVersion === undefined || money(amount).isZero()) continue;
      candidates.push({ occupancyId: occupancy.occupancy_id, amount: formatMoney(amount), mandateVersion });
    }

    const capacity = runs.map(() => money(0));
    const rows = [];
    const tasks = [];
    for (const candidate of candidates) {
      const endToEndId = debitEndToEndId(creditorId, candidate.occupancyId, month, 1);
      let sequenceIndex = -1;
      let withheld: { kind: 'over_max_per_debit' | 'over_max_run_total'; limit: string; message: string } | null = null;
      if (money(candidate.amount).greaterThan(creditor.max_per_debit)) {
        withheld = {
          kind: 'over_max_per_debit',
          limit: creditor.max_per_debit,
          message: `The advance of ${candidate.amount} for ${month} is over the bank's maximum per debit (${creditor.max_per_debit}); it was not sent. Collect it another way or agree a higher limit.`,
        };
      } else {
        sequenceIndex = capacity.findIndex((used) => !used.plus(candidate.amount).greaterThan(creditor.max_run_total));
        if (sequenceIndex < 0) {
          withheld = {
            kind: 'over_max_run_total',
            limit: creditor.max_run_total,
            message: `The month's runs are full: ${runs.length} run(s) of at most ${creditor.max_run_total} each cannot hold the advance of ${candidate.amount} for ${month}; it was not sent.`,
          };
        } else {
          capacity[sequenceIndex] = capacity[sequenceIndex]!.plus(candidate.amount);
        }
      }
      // A withheld debit stays with the main run, so its account learns of it as that run is sent.
      const run = runs[Math.max(sequenceIndex, 0)]!;
      rows.push({
        end_to_end_id: endToEndId,
        run_id: directDebitRunId(creditorId, month, run.sequence),
        creditor_id: creditorId,
        corporation_id: creditor.corporation_id,
        occupancy_id: candidate.occupancyId,
        month,
        attempt: 1,
        amount: candidate.amount,
        collection_date: run.collectionDate,
        sequence_type: sequenceType,
        status: withheld ? ('withheld' as const) : ('planned' as const),
        mandate_version: candidate.mandateVersion,
        withheld_reason: withheld?.kind ?? null,
      });
      if (withheld) tasks.push({ creditorId, corporationId: creditor.corporation_id, occupancyId: candidate.occupancyId, month, endToEndId, amount: candidate.amount, ...withheld });
    }
    for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('direct_debit').values(rows.slice(i, i + 1000)).execute();
    for (const task of tasks) await openWithheldTask(trx, task);
    await refreshRunTotals(trx, creditorId, month);
  });
  return monthPlan(db, creditorId, month);
}

/** Each run's count and total of what it will send (withheld debits are not counted). */
export async function refreshRunTotals(trx: Kysely<Database> | Transaction<Database>, creditorId: string, month: string): Promise<void> {
  await sql`
    update direct_debit_run r set
      count = coalesce((select count(*) from direct_debit d where d.run_id = r.run_id and d.status <> 'withheld'), 0),
      total = coalesce((select sum(amount) from direct_debit d where d.run_id = r.run_id and d.status <> 'withheld'), 0)
    where r.creditor_id = ${creditorId} and r.month = ${month}`.execute(trx);
}

export async function monthPlan(db: Kysely<Database>, creditorId: string, month: string): Promise<MonthPlan> {
  const runs = await db
    .selectFrom('direct_debit_run')
    .select(['run_id', 'sequence', 'collection_date', 'count', 'total'])
    .where('creditor_id', '=', creditorId)
    .where('month', '=', month)
    .orderBy('sequence')
    .execute();
  const withheld = await db
    .selectFrom('direct_debit')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('creditor_id', '=', creditorId)
    .where('month', '=', month)
    .where('status', '=', 'withheld')
    .executeTakeFirstOrThrow();
  return {
    runs: runs.map((r) => ({ runId: r.run_id, sequence: r.sequence, collectionDate: r.collection_date, count: r.count, total: formatMoney(r.total) })),
    withheld: Number(withheld.n),
  };
}

/**
 * Books a second attempt of a month's advance in a later run of the same month (a retry after
 * AM04 and the like). Keyed by occupancy, month and attempt: a repeat books nothing more.
 */
export async function bookRetry(db: Kysely<Database>, request: { occupancyId: string; month: string; attempt: number; runId: string }): Promise<{ endToEndId: string; collectionDate: string } | null> {
  return db.transaction().execute(async (trx) => {
    const first = await trx
      .selectFrom('direct_debit')
      .selectAll()
      .where('occupancy_id', '=', request.occupancyId)
      .where('month', '=', request.month)
      .orderBy('attempt', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const run = await trx.selectFrom('direct_debit_run').select(['collection_date', 'status']).where('run_id', '=', request.runId).executeTakeFirstOrThrow();
    const endToEndId = debitEndToEndId(first.creditor_id, request.occupancyId, request.month, request.attempt);
    if (first.attempt >= request.attempt) return { endToEndId, collectionDate: run.collection_date };
    // Paid another way meanwhile: no retry (the account learns it from the operator's update).
    const paid = await trx.selectFrom('advance_paid_otherwise').select('month').where('occupancy_id', '=', request.occupancyId).where('month', '=', request.month).executeTakeFirst();
    if (paid) return null;
    // The run's file has gone (or is refused): too late for this run.
    if (run.status !== 'planned' && run.status !== 'prenotified') return null;
    const mandate = await trx.selectFrom('occupancy_mandate').select('version').where('occupancy_id', '=', request.occupancyId).orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow();
    await trx
      .insertInto('direct_debit')
      .values({
        end_to_end_id: endToEndId,
        run_id: request.runId,
        creditor_id: first.creditor_id,
        corporation_id: first.corporation_id,
        occupancy_id: request.occupancyId,
        month: request.month,
        attempt: request.attempt,
        amount: first.amount,
        collection_date: run.collection_date,
        sequence_type: sequenceType,
        status: 'planned',
        mandate_version: mandate.version,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await refreshRunTotals(trx, first.creditor_id, request.month);
    return { endToEndId, collectionDate: run.collection_date };
  });
}
