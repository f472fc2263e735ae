import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import type { DirectDebitTable } from '../../../infra/db/direct-debit-tables.js';
import { advanceAccountWorkflowId, type DebitOutcome, type DebitOutcomeKind } from '../../../shared/direct-debit/debit-outcome.js';
import type { DebitOutcomeSignals } from './debit-outcome-signals.js';
import { outcomeFit, statusesAnOutcomeFollows } from './outcome-rules.js';

export type OurDebit = Pick<Selectable<DirectDebitTable>, 'end_to_end_id' | 'corporation_id' | 'occupancy_id' | 'run_id' | 'amount' | 'status' | 'sequence_type'>;

/** What became of an outcome: told to the account, seen before, not fitting the debit, or no account runs. */
export type OutcomeRecorded = 'signalled' | 'repeat' | 'does_not_fit' | 'no_account';

/**
 * One outcome of one of our debits: the advance account is told first, then the debit's row is
 * updated. A crash between the two sends the signal again on the next import, so the account
 * takes a repeated outcome of one end-to-end id as one; the row's status makes every later
 * import of the same news a repeat that signals nothing.
 */
export async function recordOutcome(
  db: Kysely<Database>,
  signals: DebitOutcomeSignals,
  debit: OurDebit,
  news: { readonly kind: DebitOutcomeKind; readonly reasonCode: string | null; readonly on: string; readonly source: DebitOutcome['source'] },
): Promise<OutcomeRecorded> {
  const fit = outcomeFit(debit.status, news.kind);
  if (fit !== 'new') return fit;
  const outcome: DebitOutcome = { endToEndId: debit.end_to_end_id, kind: news.kind, reasonCode: news.reasonCode, on: news.on, amount: debit.amount, source: news.source };
  const delivered = await signals.signalDebitOutcome(advanceAccountWorkflowId(debit.corporation_id, debit.occupancy_id), outcome);
  // Without an account the debit keeps its status: a person settles it from the worklist.
  if (!delivered) return 'no_account';
  await db
    .updateTable('direct_debit')
    .set({ status: news.kind, reason_code: news.reasonCode })
    .where('end_to_end_id', '=', debit.end_to_end_id)
    .where('status', 'in', [...statusesAnOutcomeFollows(news.kind)])
    .execute();
  return 'signalled';
}

const ourDebitColumns = ['end_to_end_id', 'corporation_id', 'occupancy_id', 'run_id', 'amount', 'status', 'sequence_type'] as const;

/** Our debit under this end-to-end id, when it is the corporation's: another's is not ours to touch. */
export async function ourDebit(db: Kysely<Database>, corporationId: string, endToEndId: string): Promise<OurDebit | null> {
  const row = await db.selectFrom('direct_debit').select(ourDebitColumns).where('end_to_end_id', '=', endToEndId).where('corporation_id', '=', corporationId).executeTakeFirst();
  return row ?? null;
}

/**
 * The run a batch belongs to, by the `MsgId` of our pain.008 (the report's `OrgnlMsgId`), or by a
 * `PmtInfId` that is that `MsgId` or begins with it (`<MsgId>-RCUR`), as our files name batches.
 */
export async function runOfMessage(db: Kysely<Database>, corporationId: string, messageId: string): Promise<{ run_id: string } | null> {
  const row = await db.selectFrom('direct_debit_run').select('run_id').where('corporation_id', '=', corporationId).where('message_id', '=', messageId).executeTakeFirst();
  return row ?? null;
}

export async function runOfBatch(db: Kysely<Database>, corporationId: string, paymentInfoId: string): Promise<{ run_id: string } | null> {
  const exact = await runOfMessage(db, corporationId, paymentInfoId);
  if (exact) return exact;
  const runs = await db
    .selectFrom('direct_debit_run')
    .select(['run_id', 'message_id'])
    .where('corporation_id', '=', corporationId)
    .where(sql<boolean>`starts_with(${paymentInfoId}, message_id || '-')`)
    .execute();
  // The longest MsgId that prefixes it: "RUN-1-RCUR" is of "RUN-1", not of "RUN".
  const best = runs.sort((a, b) => b.message_id.length - a.message_id.length)[0];
  return best ? { run_id: best.run_id } : null;
}

export async function debitsOfRun(db: Kysely<Database>, runId: string): Promise<OurDebit[]> {
  return db.selectFrom('direct_debit').select(ourDebitColumns).where('run_id', '=', runId).orderBy('end_to_end_id').execute();
}
