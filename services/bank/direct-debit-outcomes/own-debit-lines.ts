import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import type { OwnDebitRule } from '../../../shared/bank/bank-entry.js';
import type { StatementLine } from '../statements/statement-entry.js';
import type { DebitOutcomeSignals } from './debit-outcome-signals.js';
import { returnKind, sequenceTypeOfBatch } from './outcome-rules.js';
import { debitsOfRun, ourDebit, recordOutcome, runOfBatch } from './record-outcome.js';

export interface OwnDebitLine {
  /** `direct_debit`: settled as ours; `unmatched`: ours, but it does not fit the debit or no account runs (a person looks). */
  readonly fate: 'direct_debit' | 'unmatched';
  readonly match_rule: OwnDebitRule;
}

/**
 * A bank line that is one of our own direct debits, which is never a tenant's payment to match
 * to a case: the first rule of matching (interfaces.md §1.7). A return or refund (a debit on our
 * account, or a reversal, carrying our end-to-end id) is an outcome for the occupancy's advance
 * account; the credit of a debit or of a whole batch of our run is the money we collected.
 * Anything else answers null and is matched as before.
 */
export async function settleOwnDebitLine(
  db: Kysely<Database>,
  signals: DebitOutcomeSignals,
  corporationId: string,
  line: StatementLine,
  source: 'camt.053' | 'camt.054',
): Promise<OwnDebitLine | null> {
  // A transfer a person made says NOTPROVIDED: no lookup for the bulk of a statement.
  const endToEndId = line.endToEndId && line.endToEndId !== 'NOTPROVIDED' ? line.endToEndId : null;
  const debit = endToEndId ? await ourDebit(db, corporationId, endToEndId) : null;
  if (debit) {
    if (line.reversal || line.direction === 'DBIT') {
      const recorded = await recordOutcome(db, signals, debit, { kind: returnKind(line.returnReason), reasonCode: line.returnReason, on: line.bookingDate, source });
      return { fate: recorded === 'signalled' || recorded === 'repeat' ? 'direct_debit' : 'unmatched', match_rule: 'end_to_end_id' };
    }
    await markCollected(db, [debit.end_to_end_id]);
    return { fate: 'direct_debit', match_rule: 'end_to_end_id' };
  }
  if (line.batchPaymentInfoId === null || line.direction !== 'CRDT' || line.reversal) return null;
  const run = await runOfBatch(db, corporationId, line.batchPaymentInfoId);
  if (!run) return null;
  // One credit for the whole batch, its details in a camt.054 (or none): every debit of the batch
  // that no report rejected was collected.
  if (!endToEndId) {
    const sequenceType = sequenceTypeOfBatch(line.batchPaymentInfoId);
    const debits = (await debitsOfRun(db, run.run_id)).filter((d) => sequenceType === null || d.sequence_type === sequenceType);
    await markCollected(db, debits.map((d) => d.end_to_end_id));
  }
  return { fate: 'direct_debit', match_rule: 'payment_info_id' };
}

async function markCollected(db: Kysely<Database>, endToEndIds: readonly string[]): Promise<void> {
  if (endToEndIds.length === 0) return;
  await db.updateTable('direct_debit').set({ status: 'collected' }).where('end_to_end_id', 'in', endToEndIds).where('status', 'in', ['planned', 'submitted']).execute();
}
