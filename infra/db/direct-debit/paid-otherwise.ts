import type { Kysely } from 'kysely';
import { formatMoney, money } from '../../../shared/money.js';
import type { Database } from '../database.js';
import { advanceForMonth } from './occupancy-store.js';
import { refreshRunTotals } from './run-planning.js';

export interface PaidOtherwiseRecord {
  readonly amount: string;
  readonly paidOn: string;
  readonly reference: string;
  readonly recordedBy: string;
  readonly withdrawnDebits: readonly string[];
}

export type RecordPaidOtherwiseResult =
  | ({ readonly kind: 'recorded' } & PaidOtherwiseRecord)
  | { readonly kind: 'no_advance' }
  | { readonly kind: 'debit_at_bank'; readonly endToEndId: string; readonly status: string }
  | { readonly kind: 'recorded_otherwise'; readonly paidOn: string; readonly reference: string };

/**
 * Records a month's advance as paid another way, once. The month's debits still planned leave
 * their runs (the runs' rows are locked, as the bank service locks them to make the file, so a
 * file being made either holds the debit and this refuses, or does not). Refused while the
 * month's last debit is at the bank or collected: that money may still come, and twice is worse
 * than once. A repeat with the same date and reference answers the record as it stands.
 */
export async function recordPaidOtherwise(
  db: Kysely<Database>,
  occupancyId: string,
  month: string,
  paid: { paidOn: string; reference: string },
  recordedBy: string,
): Promise<RecordPaidOtherwiseResult> {
  return db.transaction().execute(async (trx): Promise<RecordPaidOtherwiseResult> => {
    const occupancy = await trx.selectFrom('occupancy').select(['creditor_id']).where('occupancy_id', '=', occupancyId).forUpdate().executeTakeFirstOrThrow();
    const existing = await trx.selectFrom('advance_paid_otherwise').selectAll().where('occupancy_id', '=', occupancyId).where('month', '=', month).executeTakeFirst();
    if (existing) {
      if (existing.paid_on !== paid.paidOn || existing.reference !== paid.reference) return { kind: 'recorded_otherwise', paidOn: existing.paid_on, reference: existing.reference };
      return { kind: 'recorded', amount: formatMoney(existing.amount), paidOn: existing.paid_on, reference: existing.reference, recordedBy: existing.recorded_by, withdrawnDebits: existing.withdrawn_debits };
    }
    await trx.selectFrom('direct_debit_run').select('run_id').where('creditor_id', '=', occupancy.creditor_id).where('month', '=', month).forUpdate().execute();
    const debits = await trx.selectFrom('direct_debit').select(['end_to_end_id', 'status', 'amount']).where('occupancy_id', '=', occupancyId).where('month', '=', month).orderBy('attempt').execute();
    const last = debits.at(-1);
    if (last && (last.status === 'submitted' || last.status === 'collected')) return { kind: 'debit_at_bank', endToEndId: last.end_to_end_id, status: last.status };
    const amount = last?.amount ?? (await advanceForMonth(trx, occupancyId, month));
    if (amount === null || money(amount).isZero()) return { kind: 'no_advance' };

    const withdrawn = debits.filter((d) => d.status === 'planned').map((d) => d.end_to_end_id);
    if (withdrawn.length > 0) {
      await trx.deleteFrom('direct_debit').where('end_to_end_id', 'in', withdrawn).execute();
      await refreshRunTotals(trx, occupancy.creditor_id, month);
    }
    // A debit kept back over a bank limit asked an operator to act: this is the act.
    await trx.updateTable('direct_debit_task').set({ status: 'done' }).where('occupancy_id', '=', occupancyId).where('month', '=', month).execute();
    await trx
      .insertInto('advance_paid_otherwise')
      .values({ occupancy_id: occupancyId, month, amount, paid_on: paid.paidOn, reference: paid.reference, withdrawn_debits: JSON.stringify(withdrawn), recorded_by: recordedBy })
      .execute();
    return { kind: 'recorded', amount: formatMoney(amount), paidOn: paid.paidOn, reference: paid.reference, recordedBy, withdrawnDebits: withdrawn };
  });
}
