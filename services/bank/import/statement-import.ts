import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { BankImportCounts, Database } from '../../../infra/db/database.js';
import type { BankEntryFate, BankEntryMatchRule } from '../../../shared/bank/bank-entry.js';
import { bankEntries } from '../../../infra/observability/metrics.js';
import { reversePaymentUpdate } from '../../../shared/track/messages.js';
import type { RegisterPaymentRequest, RegisterPaymentResult } from '../../../shared/track/track-input.js';
import type { ReversePaymentRequest } from '../../../shared/track/decisions.js';
import { HttpError } from '../../http/errors.js';
import { linkPaymentOfLine, mayBeProviderPayout } from '../matching/link-settlement.js';
import { kenmerkenInText, matchLine, referenceKeys, type CaseLookup, type Match, type MatchRule } from '../matching/match-line.js';
import { rfReferencesInText } from '../../../shared/bank/rf-reference.js';
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

/** Lines stored per statement: about twenty values each, well under Postgres's 65,535 parameters. */
const storeChunk = 1_000;
/** Bookings on distinct tracks in flight at once; a track's own lines go one after another, in file order. */
const engineConcurrency = 4;

/**
 * Imports a parsed bank file for a corporation: stores each line once, matches and books the new
 * ones (and any a failed earlier import left pending), and answers the counts. A line seen before
 * is a duplicate and changes nothing.
 *
 * Set-based where a line's fate cannot depend on the lines before it, which is most of a
 * statement (a day's rent of a whole portfolio): lines are stored, linked to the import and
 * claimed a chunk at a time; the references and IBANs of all lines are looked up in two queries;
 * what goes to the worklist or is ignored is written in bulk. Only what books on a track is one
 * line at a time: a track's lines in file order (a return finds the credit it returns), distinct
 * tracks a few at once, and our own debits and provider payouts alone, as they were.
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
  const duplicate = () => {
    counts.duplicates++;
    bankEntries.inc({ fate: 'duplicate', source: 'import' });
  };
  const toSettle: number[] = [];
  for (let from = 0; from < statement.lines.length; from += storeChunk) {
    const indexes = statement.lines.slice(from, from + storeChunk).map((_, i) => from + i);
    const claimed = await storeAndClaim(db, indexes.map((i) => ({ line: statement.lines[i]!, key: keys[i]! })), { corporationId, importId });
    // Settled before, another corporation's account, or being settled by another import this moment
    // (the same file twice at once): a duplicate. One import settles a line.
    for (const i of indexes) (claimed.has(entryIdOf(keys[i]!)) ? toSettle.push(i) : duplicate());
  }
  const { lookup, ownEndToEndIds } = await matchingOf(db, corporationId, toSettle.map((i) => statement.lines[i]!));
  const source = statement.format.startsWith('camt.054') ? 'camt.054' : 'camt.053';
  const later = new DeferredFates(db);
  const tally = (fate: BankEntryFate) => {
    bankEntries.inc({ fate, source: 'import' });
    if (fate === 'matched') counts.matched++;
    else if (fate === 'reversal') counts.reversals++;
    else if (fate === 'unmatched') counts.unmatched++;
    else if (fate === 'direct_debit') counts.directDebits++;
  };
  const settleLine = async (i: number) => {
    const entryId = entryIdOf(keys[i]!);
    tally(await settleClaimed(db, entryId, () => settle(db, tracks, lookup, statement.lines[i]!, entryId, { corporationId, source, ownEndToEndIds, later })));
  };
  const inFlight = new Set<Promise<void>>();
  const byTrack = new Map<string, Promise<void>>();
  let failure: { error: unknown } | undefined;
  try {
    for (const i of toSettle) {
      if (failure) break;
      counts.new++;
      const line = statement.lines[i]!;
      if (isOwnOrPayout(line, ownEndToEndIds)) {
        // Our own debits and payouts of payment links touch what other lines may touch: alone, in order.
        await Promise.all(inFlight);
        await settleLine(i);
        continue;
      }
      const track = (await caseToBookOn(line, { lookup, ownEndToEndIds }))?.caseId;
      if (!track) {
        await settleLine(i);
        continue;
      }
      while (inFlight.size >= engineConcurrency) await Promise.race(inFlight);
      const booking: Promise<void> = (byTrack.get(track) ?? Promise.resolve())
        .then(() => (failure ? undefined : settleLine(i)))
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => inFlight.delete(booking));
      inFlight.add(booking);
      byTrack.set(track, booking);
    }
    await Promise.all(inFlight);
    await later.flush();
    if (failure) throw failure.error;
  } catch (error) {
    // The engine or the database away: what this import decided is kept, the rest let go at once,
    // so the drop folder's next try (or an upload again) settles it instead of counting it seen.
    await Promise.all(inFlight);
    await later.flush().catch(() => {});
    await db.updateTable('bank_entry').set({ settling_import_id: null, settling_since: null }).where('settling_import_id', '=', importId).where('fate', '=', 'pending').execute().catch(() => {});
    throw error;
  }
  await db.updateTable('bank_import').set({ counts: JSON.stringify(counts) }).where('import_id', '=', importId).execute();
  return { importId, format: statement.format, ...counts };
}

/**
 * Stores a chunk of lines (a line stored before is left as it is), links each to the import, and
 * claims those still pending for this import: answers the entry ids this import is to settle. A
 * new line is claimed by storing it; a pending one a failed import left, when no other import holds it.
 */
async function storeAndClaim(
  db: Kysely<Database>,
  chunk: readonly { line: StatementLine; key: string }[],
  { corporationId, importId }: { corporationId: string; importId: string },
): Promise<Set<string>> {
  const inserted = await db
    .insertInto('bank_entry')
    .values(
      chunk.map(({ line, key }) => ({
        entry_id: entryIdOf(key),
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
        fate: 'pending' as const,
        settling_import_id: importId,
        settling_since: sql<Date>`now()`,
      })),
    )
    .onConflict((oc) => oc.column('entry_key').doNothing())
    .returning('entry_id')
    .execute();
  const isNew = new Set(inserted.map((r) => r.entry_id));
  const seenKeys = chunk.filter(({ key }) => !isNew.has(entryIdOf(key))).map(({ key }) => key);
  const seen = seenKeys.length === 0 ? [] : await db.selectFrom('bank_entry').select(['entry_id', 'fate', 'corporation_id']).where('entry_key', 'in', seenKeys).execute();
  await db
    .insertInto('bank_import_entry')
    .values(chunk.map(({ key }) => ({ import_id: importId, entry_id: entryIdOf(key), duplicate: !isNew.has(entryIdOf(key)) })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  // Pending, of this corporation: left by an import that failed, or being settled by another one now.
  const pending = seen.filter((e) => e.fate === 'pending' && e.corporation_id === corporationId).map((e) => e.entry_id);
  if (pending.length === 0) return isNew;
  const claimed = await db
    .updateTable('bank_entry')
    .set({ settling_import_id: importId, settling_since: sql`now()` })
    .where('entry_id', 'in', pending)
    .where('fate', '=', 'pending')
    .where((eb) => eb.or([eb('settling_import_id', 'is', null), eb('settling_import_id', '=', importId), eb('settling_since', '<', sql<Date>`now() - ${settlingLease}`)]))
    .returning('entry_id')
    .execute();
  return new Set([...isNew, ...claimed.map((r) => r.entry_id)]);
}

/** What matching asks of the database for a whole file, fetched once: the corporation's cases by reference and IBAN, and which end-to-end ids are our own debits. */
export interface StatementMatching {
  readonly lookup: CaseLookup;
  readonly ownEndToEndIds: ReadonlySet<string>;
}

/** The look-ups of every rule for these lines, one query per rule for the whole file (not per line). */
export async function matchingOf(db: Kysely<Database>, corporationId: string, lines: readonly StatementLine[]): Promise<StatementMatching> {
  return { lookup: await prefetchedCaseLookup(db, corporationId, lines), ownEndToEndIds: await ourEndToEndIds(db, corporationId, lines) };
}

/**
 * The case a line of a tenant books on, by matchLine's rules in their order; null for our own
 * debits and provider payouts (settled on their own, by end-to-end id or payment id) and for what
 * may not book (a debit going out, another currency, not booked). No database: `matching` holds it.
 */
export async function caseToBookOn(line: StatementLine, matching: StatementMatching): Promise<Match | null> {
  if (isOwnOrPayout(line, matching.ownEndToEndIds) || !mayBook(line)) return null;
  return matchLine(line, matching.lookup);
}

/** A credit, or a return, in euro and booked: what matching may book on a track. */
const mayBook = (line: StatementLine) =>
  line.currency === 'EUR' && (line.status === null || line.status === 'BOOK') && (line.direction === 'CRDT' || line.reversal || line.returnReason !== null);

/** What settleOwnDebitLine or linkPaymentOfLine may take: our own debit's end-to-end id, a batch credit, a provider's payment id. */
function isOwnOrPayout(line: StatementLine, ownEndToEndIds: ReadonlySet<string>): boolean {
  if (line.endToEndId !== null && ownEndToEndIds.has(line.endToEndId)) return true;
  return line.direction === 'CRDT' && !line.reversal && (line.batchPaymentInfoId !== null || mayBeProviderPayout(line));
}

/** Which of the lines' end-to-end ids are of our own direct debits: one query, so the bulk of a statement asks nothing. */
async function ourEndToEndIds(db: Kysely<Database>, corporationId: string, lines: readonly StatementLine[]): Promise<Set<string>> {
  const ids = [...new Set(lines.map((l) => l.endToEndId).filter((id): id is string => id !== null && id !== 'NOTPROVIDED'))];
  const found = new Set<string>();
  for (let from = 0; from < ids.length; from += 10_000) {
    const rows = await db.selectFrom('direct_debit').select('end_to_end_id').where('corporation_id', '=', corporationId).where('end_to_end_id', 'in', ids.slice(from, from + 10_000)).execute();
    for (const row of rows) found.add(row.end_to_end_id);
  }
  return found;
}

/**
 * The lines' fates that no later line can depend on (to the worklist without a case, ignored),
 * written in bulk: a return looks for matched credits only, a payout for lines matched by its link.
 */
class DeferredFates {
  private readonly fates = new Map<'unmatched' | 'ignored', string[]>();
  constructor(private readonly db: Kysely<Database>) {}

  add(entryId: string, fate: 'unmatched' | 'ignored'): BankEntryFate {
    const ids = this.fates.get(fate) ?? [];
    ids.push(entryId);
    this.fates.set(fate, ids);
    return fate;
  }

  async flush(): Promise<void> {
    for (const [fate, ids] of this.fates) {
      this.fates.delete(fate);
      for (let from = 0; from < ids.length; from += 10_000) {
        await this.db.updateTable('bank_entry').set({ fate }).where('entry_id', 'in', ids.slice(from, from + 10_000)).where('fate', '=', 'pending').execute();
      }
    }
  }
}

/** How long a claim on a pending line holds when its import died mid-way: longer than any engine call waits. */
const settlingLease = sql`interval '2 minutes'`;

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
  of: { corporationId: string; source: 'camt.053' | 'camt.054'; ownEndToEndIds: ReadonlySet<string>; later: DeferredFates },
): Promise<BankEntryFate> {
  const isReversal = line.reversal || (line.direction === 'DBIT' && line.returnReason !== null);
  if (line.status !== null && line.status !== 'BOOK') return of.later.add(entryId, 'ignored');
  // Our own direct debits first (by end-to-end id, or the run's batch): never a tenant's payment.
  const ownDebit = line.currency === 'EUR' && isOwnOrPayout(line, of.ownEndToEndIds) ? await settleOwnDebitLine(db, tracks, of.corporationId, line, of.source) : null;
  if (ownDebit) return record(db, entryId, ownDebit);
  if (!isReversal && line.direction === 'DBIT') return of.later.add(entryId, 'ignored');
  // The provider paying out a payment link the track booked already: the same payment, not a second.
  const linked = line.currency === 'EUR' ? await linkPaymentOfLine(db, of.corporationId, line) : null;
  if (linked) return record(db, entryId, { fate: 'matched', case_id: linked.caseId, match_rule: 'payment_link', transaction_id: linked.transactionId });
  const match = line.currency === 'EUR' ? await matchLine(line, lookup) : null;
  if (!match) return of.later.add(entryId, 'unmatched');
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
  changes: { fate: BankEntryFate; case_id?: string; match_rule?: BankEntryMatchRule; transaction_id?: string; reverses_transaction_id?: string; resolved_by?: string | null },
): Promise<BankEntryFate> {
  await db.updateTable('bank_entry').set(changes).where('entry_id', '=', entryId).execute();
  return changes.fate;
}

/**
 * The corporation's cases as matching asks for them (references it issued, open cases by debtor
 * IBAN), for the references and IBANs these lines carry: two queries for a whole statement instead
 * of a few per line. As of the import's start, as the per-line queries were as of each line's turn;
 * a booking does not change either (a track that closes meanwhile refuses the payment: worklist).
 */
export async function prefetchedCaseLookup(db: Kysely<Database>, corporationId: string, lines: readonly StatementLine[]): Promise<CaseLookup> {
  const references = new Set<string>();
  const ibans = new Set<string>();
  for (const line of lines) {
    for (const reference of [...(line.structuredRef ? [line.structuredRef.ref] : []), ...kenmerkenInText(line.freeText), ...rfReferencesInText(line.freeText)]) {
      for (const key of referenceKeys(reference)) references.add(key);
    }
    if (line.counterIban) ibans.add(line.counterIban);
  }
  const byReference = new Map<string, string>();
  if (references.size > 0) {
    const rows = await db
      .selectFrom('payment_reference as r')
      .innerJoin('collection_case as c', 'c.case_id', 'r.case_id')
      .select(['r.reference', 'c.case_id'])
      .where(sql<boolean>`r.reference = any(${[...references]}::text[])`)
      .where('c.corporation_id', '=', corporationId)
      .execute();
    for (const row of rows) if (!byReference.has(row.reference)) byReference.set(row.reference, row.case_id);
  }
  const byIban = new Map<string, string[]>();
  if (ibans.size > 0) {
    const rows = await db
      .selectFrom('debtor as d')
      .innerJoin('collection_case as c', 'c.case_id', 'd.case_id')
      .select([sql<string>`upper(replace(d.iban, ' ', ''))`.as('iban'), 'c.case_id'])
      .where(sql<boolean>`upper(replace(d.iban, ' ', '')) = any(${[...ibans]}::text[])`)
      .where('c.corporation_id', '=', corporationId)
      .where('c.closed_on', 'is', null)
      .execute();
    for (const row of rows) byIban.set(row.iban, [...(byIban.get(row.iban) ?? []), row.case_id]);
  }
  return {
    caseOfReference: async (reference) => byReference.get(reference) ?? null,
    // Two are enough to know it is not one.
    openCasesOfIban: async (iban) => (byIban.get(iban) ?? []).slice(0, 2),
  };
}
