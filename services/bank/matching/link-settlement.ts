import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import type { StatementLine } from '../statements/statement-entry.js';

/** A provider's payment id (`tr_…`, shared/payment-provider/provider-contract.ts) as it appears in a payout's references. */
const providerPaymentId = /(?<![A-Za-z0-9_])tr_[A-Za-z0-9]{10,40}(?![A-Za-z0-9])/g;

/** Whether a line carries a provider's payment id at all: only such a line asks the database. */
export const mayBeProviderPayout = (line: StatementLine) => providerPaymentIdsOf(line).length > 0;

const providerPaymentIdsOf = (line: StatementLine) => [...new Set([line.endToEndId ?? '', ...line.freeText].flatMap((text) => [...text.matchAll(providerPaymentId)].map((m) => m[0])))];

/**
 * A credit that is the payment provider paying out the money of a payment link the track already
 * booked (when the webhook came): the same payment, not a second one. Recognised only by the
 * provider's payment id in the line's end-to-end id or text, for the same amount, and once: a
 * transfer that merely carries the case's betalingskenmerk may well be another payment, so the
 * kenmerk alone never makes this call.
 */
export async function linkPaymentOfLine(db: Kysely<Database>, corporationId: string, line: StatementLine): Promise<{ caseId: string; transactionId: string } | null> {
  if (line.direction !== 'CRDT' || line.reversal) return null;
  const ids = providerPaymentIdsOf(line);
  if (ids.length === 0) return null;
  const link = await db
    .selectFrom('payment_link as l')
    .select(['l.case_id', 'l.transaction_id'])
    .where('l.provider_payment_id', 'in', ids)
    .where('l.corporation_id', '=', corporationId)
    .where('l.status', '=', 'paid')
    .where('l.transaction_id', 'is not', null)
    .where('l.amount', '=', line.amount)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('bank_entry as e').select('e.entry_id').where('e.match_rule', '=', 'payment_link').whereRef('e.transaction_id', '=', 'l.transaction_id'))),
    )
    .executeTakeFirst();
  return link ? { caseId: link.case_id, transactionId: link.transaction_id! } : null;
}
