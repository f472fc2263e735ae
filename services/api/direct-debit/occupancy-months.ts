import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import type { MandateChange } from '../../../infra/db/direct-debit-tables.js';
import { collectionSchedule } from '../../../infra/db/direct-debit/creditor-store.js';
import { advanceForMonth } from '../../../infra/db/direct-debit/occupancy-store.js';
import { addDays } from '../../../shared/calendar/iso-date.js';
import { advanceMonthsQuery, refundWindowDays, type AdvanceMonth } from '../../../shared/direct-debit/advance-account-messages.js';
import { collectionDateOf, firstMonthToAnnounce } from '../../../shared/direct-debit/collection-calendar.js';
import { advanceAccountWorkflowId } from '../../../shared/direct-debit/debit-outcome.js';
import type { monthStatuses } from '../requests/direct-debit.js';

type MonthStatus = (typeof monthStatuses)[number];

interface MonthView {
  month: string;
  amount: string;
  status: MonthStatus;
  collectionDate: string | null;
  endToEndId: string | null;
  reasonCode: string | null;
  amendment: boolean;
  final: boolean;
  handedToTrack: boolean;
  attempts: { attempt: number; endToEndId: string; runId: string; collectionDate: string; amount: string; status: string; reasonCode: string | null }[];
}

/**
 * An occupancy month by month. The advance account (workflow) holds the fate of every month that
 * went to the bank; months a run has planned but not yet sent come from Postgres, and the next
 * month no run has planned yet is shown as scheduled with the advance in force.
 */
export async function occupancyMonths(db: Kysely<Database>, client: Client, occupancyId: string, today: string) {
  const occupancy = await db.selectFrom('occupancy').selectAll().where('occupancy_id', '=', occupancyId).executeTakeFirstOrThrow();
  const mandate = await db.selectFrom('occupancy_mandate').selectAll().where('occupancy_id', '=', occupancyId).orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow();
  const advances = await db.selectFrom('occupancy_advance').selectAll().where('occupancy_id', '=', occupancyId).orderBy('from_month').orderBy('advance_id').execute();
  const debits = await db.selectFrom('direct_debit').selectAll().where('occupancy_id', '=', occupancyId).orderBy('month').orderBy('attempt').execute();
  const prenotified = new Set((await db.selectFrom('direct_debit_prenotice').select('month').where('occupancy_id', '=', occupancyId).execute()).map((r) => r.month));
  const accountMonths = await queryAccount(client, advanceAccountWorkflowId(occupancy.corporation_id, occupancyId));

  const months = new Map<string, MonthView>();
  for (const debit of debits) {
    const view = months.get(debit.month) ?? emptyMonth(debit.month, debit.amount);
    view.attempts.push({ attempt: debit.attempt, endToEndId: debit.end_to_end_id, runId: debit.run_id, collectionDate: debit.collection_date, amount: debit.amount, status: debit.status, reasonCode: debit.reason_code });
    view.collectionDate ??= debit.collection_date;
    view.endToEndId = debit.end_to_end_id;
    view.reasonCode = debit.reason_code;
    view.amendment ||= debit.amendment !== null;
    view.status = debit.status === 'planned' ? (prenotified.has(debit.month) ? 'prenotified' : 'scheduled') : (debit.status as MonthStatus);
    months.set(debit.month, view);
  }
  for (const known of accountMonths) months.set(known.month, fromAccount(known, months.get(known.month), today));
  // Postgres holds what an operator recorded, also for a month the account never heard of.
  const paidOtherwise = await db.selectFrom('advance_paid_otherwise').select(['month', 'amount']).where('occupancy_id', '=', occupancyId).execute();
  for (const paid of paidOtherwise) months.set(paid.month, { ...(months.get(paid.month) ?? emptyMonth(paid.month, paid.amount)), status: 'paid_otherwise' });

  const schedule = await collectionSchedule(db, occupancy.creditor_id);
  const next = firstMonthToAnnounce(schedule, today);
  if (!months.has(next) && occupancy.moved_out_on === null) {
    const amount = await advanceForMonth(db, occupancyId, next);
    if (amount !== null) months.set(next, { ...emptyMonth(next, amount), collectionDate: collectionDateOf(schedule, next) });
  }

  return {
    occupancyId,
    creditorId: occupancy.creditor_id,
    corporationId: occupancy.corporation_id,
    contractRef: occupancy.contract_ref,
    unitRef: occupancy.unit_ref,
    movedInOn: occupancy.moved_in_on,
    movedOutOn: occupancy.moved_out_on,
    mandate: { mandateId: mandate.mandate_id, signedOn: mandate.signed_on, version: mandate.version, amended: maskedChange(mandate.amended) },
    advances: advances.map((a) => ({ from: a.from_month, amount: a.amount, requestedBy: a.requested_by, recordedBy: a.recorded_by, recordedAt: new Date(a.recorded_at).toISOString() })),
    months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
  };
}

/** An account number is personal data: the view says that it changed and its last digits, not the number. */
const maskIban = (iban: string) => `${iban.slice(0, 2)}…${iban.slice(-4)}`;
function maskedChange(change: MandateChange | null): MandateChange | null {
  if (!change?.iban) return change;
  return { ...change, iban: { from: maskIban(change.iban.from), to: maskIban(change.iban.to) } };
}

const emptyMonth = (month: string, amount: string): MonthView => ({
  month,
  amount,
  status: 'scheduled',
  collectionDate: null,
  endToEndId: null,
  reasonCode: null,
  amendment: false,
  final: false,
  handedToTrack: false,
  attempts: [],
});

function fromAccount(known: AdvanceMonth, planned: MonthView | undefined, today: string): MonthView {
  const last = known.attempts.at(-1);
  const collected = last?.status === 'collected' || (last?.status === 'submitted' && last.collectionDate <= today);
  const status: MonthStatus =
    known.paidOtherwiseOn ? 'paid_otherwise' : known.handedOverOn !== null ? 'unpaid' : known.retryRunId !== null ? 'retrying' : collected ? 'collected' : (last?.status ?? planned?.status ?? 'scheduled');
  // A retry booked but not yet sent is in Postgres only: show it beside what the account knows.
  const attempts: MonthView['attempts'] = known.attempts.map(({ amendment: _amendment, ...a }) => ({ ...a, status: a.status === 'submitted' && a.collectionDate <= today ? 'collected' : a.status }));
  for (const extra of planned?.attempts ?? []) if (!attempts.some((a) => a.endToEndId === extra.endToEndId)) attempts.push(extra);
  return {
    month: known.month,
    amount: known.amount,
    status,
    collectionDate: known.attempts[0]?.collectionDate ?? planned?.collectionDate ?? null,
    endToEndId: last?.endToEndId ?? null,
    reasonCode: last?.reasonCode ?? null,
    amendment: known.attempts.some((a) => a.amendment),
    final: collected && last !== undefined && addDays(last.collectionDate, refundWindowDays) <= today,
    handedToTrack: known.handedOverOn !== null,
    attempts,
  };
}

async function queryAccount(client: Client, workflowId: string): Promise<AdvanceMonth[]> {
  try {
    return await client.workflow.getHandle(workflowId).query(advanceMonthsQuery);
  } catch (error) {
    // An account not (yet) started knows nothing beyond what Postgres holds.
    if (error instanceof WorkflowNotFoundError) return [];
    throw error;
  }
}
