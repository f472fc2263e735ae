import type { Selectable } from 'kysely';
import type { RunDebitResult } from '../../../shared/direct-debit/run-file-result.js';
import { formatMoney } from '../../../shared/money.js';
import type { Database } from '../database.js';

type DebitRow = Pick<Selectable<Database['direct_debit']>, 'occupancy_id' | 'end_to_end_id' | 'month' | 'attempt' | 'amount' | 'collection_date' | 'amendment' | 'withheld_reason' | 'status'>;

/** A `direct_debit` row as the runs workflow and the bank service's answer carry it: ids, amounts (to the cent) and dates. */
export function debitResultOf(d: DebitRow): RunDebitResult {
  return {
    occupancyId: d.occupancy_id,
    endToEndId: d.end_to_end_id,
    month: d.month,
    attempt: d.attempt,
    amount: formatMoney(d.amount),
    collectionDate: d.collection_date,
    amendment: d.amendment !== null,
    withheldReason: d.status === 'withheld' ? (d.withheld_reason ?? 'withheld') : null,
  };
}
