import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { BankEntryFate, BankImportCounts, Database } from '../../../infra/db/database.js';
import { bankEntries } from '../../../infra/observability/metrics.js';
import { reversePaymentUpdate } from '../../../shared/track/messages.js';
import type { RegisterPaymentRequest, RegisterPaymentResult } from '../../../shared/track/track-input.js';
import type { ReversePaymentRequest } from '../../../shared/track/decisions.js';
import { HttpError } from '../../http/errors.js';
import { linkPaymentOfLine } from '../matching/link-settlement.js';
import { matchLine, type CaseLookup, type MatchRule } from '../matching/match-line.js';
import type { ParsedStatement, StatementLine } from '../statements/statement-entry.js';
import type { DebitOutcomeSignals } from '../direct-debit-outcomes/debit-outcome-signals.js';
import { settleOwnDebitLine } from '../direct-debit-outcomes/own-debit-lines.js';

/** What the import needs of the tracks: the API's TrackClient (the track is the one truth of payments). */
export interface PaymentTracks extends DebitOutcomeSignals {
  deliverPayment(workflowId: string, payment: RegisterPaymentRequest): Promise<RegisterPaymentResult>;
  update(workflowId: string, definition: typeof reversePaymentUpdate, args: [ReversePaymentRequest]): Promise<{ reversed: boolean; outstanding: string }>;
}

export interface ImportAnswer extends BankImportCounts {
  readonly importId: string;
  readonly format: string;
}

/** A bank line's identity: the bank's own reference, else a hash of what identifies it (interfaces.md §1.7). */
export function entryKeys(lines: readonly StatementLine[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((line) => {
    const identity = line.entryRef
      ? ['ref', line.accountIban, line.entryRef, line.txIndex]
      : ['hash', line.accountIban, line.bookingDate, line.direction, line.reversal, line.amount, line.endToEndId, line.structuredRef?.ref, line.counterIban, line.freeText.join('\n'), line.txIndex];
    const base = JSON.stringify(identity);
    // Two identical lines without a bank reference in one file are two bookings, not one.
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    return createHash('sha256').update(`${base}#${occurrence}`).digest('hex');
  });
}

const entryIdOf = (key: string) => `be-${key.slice(0, 32)}`;
/** The payment's id on the track: derived from the line, so a retried import books it once. */
export const transactionIdOf = (entryId: string) => `bank-${entryId.slice(3)}`;

/**
 * Imports a parsed bank file for a corporation: stores each line once, matches and books the new
 * ones (and any a failed earlier import left pending), and answers the counts. A line seen before
 * is a duplicate and changes nothing.
 */
export async function importStatement(
  db: Kysely<Database>,
  tracks: PaymentTracks,
  statement: ParsedStatement,
  { corporationId, actor, importId }: { corporationId: string; actor: string; importId: string },
): Promise<ImportAnswer> {
  const keys = entryKeys(statement.lines);
  const counts: BankImportCounts = { entries: statement.lines.length, new: 0, matched: 0, unmatched: 0, duplicates: 0, reversals: 0, directDebits: 0 };
  await db
    .insertInto('bank_import')
    .values({ import_id: importId, corporation_id: corporationId, format: statement.format, message_id: statement.messageId, imported_by: actor, counts: JSON.stringify(counts) })
    .execute();
  const lookup = caseLookup(db, corporationId);
  for (const [index, line] of statement.lines.entries()) {
    const key = keys[index]!;
    const entryId = entryIdOf(key);
    const inserted = await db
      .insertInto('bank_entry')
      .values({
        entry_id: entryId,
        entry_key: key,
        corporation_id: corporationId,
        first_import_id: importId,
        account_iban: line.accountIban,
        booking_date: line.bookingDate,
        amount: line.amount,
        currency: line.currency,
        direction: line.direction,
        reversal: line.reversal || (line.direction === 'DBIT' && line.returnReason !== null),
        bank_tx_code: line.bankTxCode,
        return_reason: line.returnReason,
        end_to_end_id: line.endToEndId,
        structured_ref: line.structuredRef?.ref ?? null,
        free_text: line.freeText.join('\n') || null,
        counter_iban: line.counterIban,
        counter_name: line.counterName,
        fate: 'pending',
        settling_import_id: importId,
        settling_since: sql`now()`,
      })
      .onConflict((oc) => oc.column('entry_key').doNothing())
      .returning('entry_id')
      .executeTakeFirst();
    const existing = inserted ? null : await db.selectFrom('bank_entry').select(['fate', 'corporation_id']).where('entry_key', '=', key).executeTakeFirstOrThrow();
    await db.insertInto('bank_import_entry').values({ import_id: importId, entry_id: entryId, duplicate: !inserted }).onConflict((oc) => oc.doNothing()).execute();
    // Settled before, or another corporation's account: nothing changes.
    if (existing && (existing.fate !== 'pending' || existing.corporation_id !== corporationId)) {
      counts.duplicates++;
      bankEntries.inc({ fate: 'duplicate', source: 'import' });
      continue;
    }
    // Pending, but another import may be settling it this moment (the same file twice at once):
    // one import settles a line; the others count it as a duplicate.
    if (!(await claimForSettling(db, entryId, importId))) {
      counts.duplicates++;
      bankEntries.inc({ fate: 'duplicate', source: 'import' });
      continue;
    }
    counts.new++;
    const fate = await settleClaimed(db, entryId, () => settle(db, tracks, lookup, line, entryId, { corporationId, source: statement.format.startsWith('camt.054') ? 'camt.054' : 'camt.053' }));
    bankEntries.inc({ fate, source: 'import' });
    if (fate === 'matched') counts.matched++;
    else if (fate === 'reversal') counts.reversals++;
    else if (fate === 'unmatched') counts.unmatched++;
    else if (fate === 'direct_debit') counts.directDebits++;
  }
  await db.updateTable('bank_import').set({ counts: JSON.stringify(counts) }).where('import_id', '=', importId).execute();
  return { importId, format: statement.format, ...counts };
}

/** How long a claim on a pending line holds when its import died mid-way: longer than any engine call waits. */
const settlingLease = sql`interval '2 minutes'`;

async function claimForSettling(db: Kysely<Database>, entryId: string, importId: string): Promise<boolean> {
  const claimed = await db
    .updateTable('bank_entry')
    .set({ settling_import_id: importId, settling_since: sql`now()` })
    .where('entry_id', '=', entryId)
    .where('fate', '=', 'pending')
    .where((eb) => eb.or([eb('settling_import_id', 'is', null), eb('settling_import_id', '=', importId), eb('settling_since', '<', sql<Date>`now() - ${settlingLease}`)]))
    .returning('entry_id')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** Settles a claimed line; when settling fails (the engine away) the claim is let go, so a repeat settles it at once. */
async function settleClaimed(db: Kysely<Database>, entryId: string, work: () => Promise<BankEntryFate>): Promise<BankEntryFate> {
  try {
    return await work();
  } catch (error) {
    await db.updateTable('bank_entry').set({ settling_import_id: null, settling_since: null }).where('entry_id', '=', entryId).where('fate', '=', 'pending').execute();
    throw error;
  }
}

/** Matches a stored line and books what it is on the track; a failure of the engine leaves it pending. */
async function settle(
  db: Kysely<Database>,
  tracks: PaymentTracks,
  lookup: CaseLookup,
  line: StatementLine,
  entryId: string,
  of: { corporationId: string; source: 'camt.053' | 'camt.054' },
): Promise<BankEntryFate> {
  const isReversal = line.reversal || (line.direction === 'DBIT' && line.returnReason !== null);
  if (line.status !== null && line.status !== 'BOOK') return record(db, entryId, { fate: 'ignored' });
  // Our own direct debits first (by end-to-end id, or the run's batch): never a tenant's payment.
  const ownDebit = line.currency === 'EUR' ? await settleOwnDebitLine(db, tracks, of.corporationId, line, of.source) : null;
  if (ownDebit) return record(db, entryId, ownDebit);
  if (!isReversal && line.direction === 'DBIT') return record(db, entryId, { fate: 'ignored' });
  // The provider paying out a payment link the track booked already: the same payment, not a second.
  const linked = line.currency === 'EUR' ? await linkPaymentOfLine(db, of.corporationId, line) : null;
  if (linked) return record(db, entryId, { fate: 'matched', case_id: linked.caseId, match_rule: 'payment_link', transaction_id: linked.transactionId });
  const match = line.currency === 'EUR' ? await matchLine(line, lookup) : null;
  if (!match) return record(db, entryId, { fate: 'unmatched' });
  if (isReversal) return reverse(db, tracks, line, entryId, match);
  return bookPayment(db, tracks, entryId, match.caseId, match.rule, line.amount, line.bookingDate);
}

/** Books a credit as a payment on the case's track; a track that refuses it (closed) leaves it on the worklist. */
export async function bookPayment(
  db: Kysely<Database>,
  tracks: PaymentTracks,
  entryId: string,
  caseId: string,
  rule: MatchRule,
  amount: string,
  bookedOn: string,
  resolvedBy: string | null = null,
): Promise<BankEntryFate> {
  const row = await db.selectFrom('collection_case').select('workflow_id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
  const transactionId = transactionIdOf(entryId);
  try {
    await tracks.deliverPayment(row.workflow_id, { transactionId, amount, bookedOn });
  } catch (error) {
    if (!(error instanceof HttpError) || error.status >= 500 || resolvedBy !== null) throw error;
    return record(db, entryId, { fate: 'unmatched', case_id: caseId, match_rule: rule });
  }
  // A person matching a line from the worklist (an import counts what settle answers).
  if (resolvedBy !== null) bankEntries.inc({ fate: 'matched', source: 'worklist' });
  return record(db, entryId, { fate: 'matched', case_id: caseId, match_rule: rule, transaction_id: transactionId, resolved_by: resolvedBy });
}

/**
 * A returned or reversed booking undoes the payment it returns on the track it paid: the earlier
 * bank credit of the same amount on that case (same references first), else a payment of that
 * amount the track booked otherwise. Found nothing to undo: the worklist.
 */
async function reverse(db: Kysely<Database>, tracks: PaymentTracks, line: StatementLine, entryId: string, match: { caseId: string; rule: MatchRule }): Promise<BankEntryFate> {
  const undone = db.selectFrom('bank_entry').select('reverses_transaction_id').where('case_id', '=', match.caseId).where('reverses_transaction_id', 'is not', null);
  const earlier = await db
    .selectFrom('bank_entry')
    .select('transaction_id')
    .where('case_id', '=', match.caseId)
    .where('fate', '=', 'matched')
    .where('direction', '=', 'CRDT')
    .where('amount', '=', line.amount)
    .where('transaction_id', 'not in', undone)
    .orderBy(sql`case when end_to_end_id = ${line.endToEndId ?? ''} or structured_ref = ${line.structuredRef?.ref ?? ''} then 0 else 1 end`)
    .orderBy('booking_date', 'desc')
    .executeTakeFirst();
  const payment =
    earlier?.transaction_id ??
    (
      await db
        .selectFrom('payment')
        .select('transaction_id')
        .where('case_id', '=', match.caseId)
        .where('amount', '=', line.amount)
        .where('reversed_on', 'is', null)
        .where('transaction_id', 'not in', undone)
        .orderBy('booked_on', 'desc')
        .executeTakeFirst()
    )?.transaction_id;
  if (!payment) return record(db, entryId, { fate: 'unmatched', case_id: match.caseId, match_rule: match.rule });
  const row = await db.selectFrom('collection_case').select('workflow_id').where('case_id', '=', match.caseId).executeTakeFirstOrThrow();
  const reasonCode = line.returnReason && /^[A-Z0-9]{4}$/.test(line.returnReason) ? line.returnReason : 'MS03';
  try {
    await tracks.update(row.workflow_id, reversePaymentUpdate, [{ transactionId: payment, reversedOn: line.bookingDate, reasonCode }]);
  } catch (error) {
    if (!(error instanceof HttpError) || error.status >= 500) throw error;
    return record(db, entryId, { fate: 'unmatched', case_id: match.caseId, match_rule: match.rule });
  }
  return record(db, entryId, { fate: 'reversal', case_id: match.caseId, match_rule: match.rule, reverses_transaction_id: payment });
}

async function record(
  db: Kysely<Database>,
  entryId: string,
  changes: { fate: BankEntryFate; case_id?: string; match_rule?: string; transaction_id?: string; reverses_transaction_id?: string; resolved_by?: string | null },
): Promise<BankEntryFate> {
  await db.updateTable('bank_entry').set(changes).where('entry_id', '=', entryId).execute();
  return changes.fate;
}

/** The corporation's cases as matching asks for them: references it issued, open cases by debtor IBAN. */
export function caseLookup(db: Kysely<Database>, corporationId: string): CaseLookup {
  return {
    async caseOfReference(reference) {
      const row = await db
        .selectFrom('payment_reference as r')
        .innerJoin('collection_case as c', 'c.case_id', 'r.case_id')
        .select('c.case_id')
        .where('r.reference', '=', reference)
        .where('c.corporation_id', '=', corporationId)
        .executeTakeFirst();
      return row?.case_id ?? null;
    },
    async openCasesOfIban(iban) {
      const rows = await db
        .selectFrom('debtor as d')
        .innerJoin('collection_case as c', 'c.case_id', 'd.case_id')
        .select('c.case_id')
        .where(sql<string>`upper(replace(d.iban, ' ', ''))`, '=', iban)
        .where('c.corporation_id', '=', corporationId)
        .where('c.closed_on', 'is', null)
        .limit(2)
        .execute();
      return rows.map((r) => r.case_id);
    },
  };
}
