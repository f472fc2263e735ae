import type { Kysely } from 'kysely';
import type { BankImportCounts, Database } from '../../../infra/db/database.js';
import { amsterdamDate } from '../../../shared/calendar/amsterdam-clock.js';
import type { PaymentStatusReport } from '../status-reports/payment-status-report.js';
import type { DebitOutcomeSignals } from './debit-outcome-signals.js';
import { sequenceTypeOfBatch } from './outcome-rules.js';
import { debitsOfRun, ourDebit, recordOutcome, runOfBatch, runOfMessage, type OurDebit } from './record-outcome.js';

/** What a pain.002 did, beside the counts every bank import answers. */
export interface StatusReportOutcome {
  /** `OrgnlMsgId`: our pain.008 the report is about. */
  readonly originalMessageId: string;
  readonly groupStatus: string | null;
  /** Debits this report rejected now, each signalled to its advance account. */
  readonly rejected: readonly string[];
  /** Debits it rejects that were known as rejected already: nothing changed. */
  readonly alreadyRejected: readonly string[];
  /** End-to-end ids the report names that are not debits of this corporation: nothing changed. */
  readonly unknownEndToEndIds: readonly string[];
  /** A rejected file or batch (`OrgnlMsgId`, `OrgnlPmtInfId`) that is not one of this corporation's runs. */
  readonly unknownBatches: readonly string[];
  /** Debits the report rejects that are past a reject (returned, refunded, withheld), or whose account does not run. */
  readonly notApplied: readonly { readonly endToEndId: string; readonly status: string; readonly why: 'does_not_fit' | 'no_account' }[];
}

export interface StatusReportAnswer extends BankImportCounts {
  readonly importId: string;
  readonly format: string;
  readonly statusReport: StatusReportOutcome;
}

interface Reject {
  readonly debit: OurDebit;
  readonly reasonCode: string | null;
}

const rejected = 'RJCT';

/**
 * A pain.002 of one of our pain.008 runs (interfaces.md §1.6): each rejected debit becomes a
 * `rejected` outcome for its occupancy's advance account. A rejected file (`GrpSts` RJCT) rejects
 * every debit of the run, a rejected batch (`PmtInfSts` RJCT) every debit of the batch; a
 * transaction's own status and reason come first. Accepted or pending statuses change nothing.
 * The same report again finds its debits rejected already and signals nothing.
 */
export async function importStatusReport(
  db: Kysely<Database>,
  signals: DebitOutcomeSignals,
  report: PaymentStatusReport,
  { corporationId, actor, importId }: { corporationId: string; actor: string; importId: string },
): Promise<StatusReportAnswer> {
  const rejects = new Map<string, Reject>();
  const unknownEndToEndIds: string[] = [];
  const unknownBatches: string[] = [];
  const reject = (debit: OurDebit, reasonCode: string | null) => rejects.set(debit.end_to_end_id, { debit, reasonCode });

  // Whole file and whole batches first, so a transaction's own reason overrides theirs.
  if (report.groupStatus === rejected) {
    const run = await runOfMessage(db, corporationId, report.originalMessageId);
    if (!run) unknownBatches.push(report.originalMessageId);
    else for (const debit of await debitsOfRun(db, run.run_id)) reject(debit, firstCode(report.groupReasons));
  }
  for (const batch of report.paymentInformation.filter((b) => b.status === rejected)) {
    const run = await runOfBatch(db, corporationId, batch.originalPaymentInfoId);
    if (!run) {
      unknownBatches.push(batch.originalPaymentInfoId);
      continue;
    }
    const sequenceType = sequenceTypeOfBatch(batch.originalPaymentInfoId);
    for (const debit of await debitsOfRun(db, run.run_id)) {
      if (sequenceType === null || debit.sequence_type === sequenceType) reject(debit, firstCode(batch.reasons) ?? firstCode(report.groupReasons));
    }
  }
  for (const tx of report.transactions) {
    const debit = await ourDebit(db, corporationId, tx.originalEndToEndId);
    if (!debit) {
      if (tx.status === rejected) unknownEndToEndIds.push(tx.originalEndToEndId);
      continue;
    }
    if (tx.status === rejected) reject(debit, tx.reasonCode ?? rejects.get(debit.end_to_end_id)?.reasonCode ?? null);
    // Accepted on its own while its batch was rejected: the bank says this one goes through.
    else if (isAccepted(tx.status)) rejects.delete(debit.end_to_end_id);
  }

  const on = reportDate(report.createdAt) ?? amsterdamDate(Date.now());
  const outcome = { rejected: [] as string[], alreadyRejected: [] as string[], notApplied: [] as { endToEndId: string; status: string; why: 'does_not_fit' | 'no_account' }[] };
  for (const { debit, reasonCode } of rejects.values()) {
    const recorded = await recordOutcome(db, signals, debit, { kind: 'rejected', reasonCode, on, source: 'pain.002' });
    if (recorded === 'signalled') outcome.rejected.push(debit.end_to_end_id);
    else if (recorded === 'repeat') outcome.alreadyRejected.push(debit.end_to_end_id);
    else outcome.notApplied.push({ endToEndId: debit.end_to_end_id, status: debit.status, why: recorded });
  }

  const counts: BankImportCounts = {
    entries: rejects.size + unknownEndToEndIds.length,
    new: outcome.rejected.length,
    matched: 0,
    unmatched: unknownEndToEndIds.length + outcome.notApplied.length,
    duplicates: outcome.alreadyRejected.length,
    reversals: 0,
    directDebits: outcome.rejected.length,
  };
  await db
    .insertInto('bank_import')
    .values({ import_id: importId, corporation_id: corporationId, format: report.format, message_id: report.messageId, imported_by: actor, counts: JSON.stringify(counts) })
    .execute();
  return {
    importId,
    format: report.format,
    ...counts,
    statusReport: { originalMessageId: report.originalMessageId, groupStatus: report.groupStatus, ...outcome, unknownEndToEndIds, unknownBatches },
  };
}

/** The report's day: a `CreDtTm` without a zone is the bank's local (Dutch) time, one with a zone is converted to it. */
function reportDate(createdAt: string | null): string | null {
  if (!createdAt) return null;
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(createdAt)) return createdAt.slice(0, 10);
  const ms = Date.parse(createdAt);
  return Number.isNaN(ms) ? null : amsterdamDate(ms);
}

const firstCode = (reasons: readonly { readonly code: string | null }[]) => reasons.find((r) => r.code !== null)?.code ?? null;
/** ACCP, ACSP, ACSC, ACWC: the bank takes the transaction. */
const isAccepted = (status: string) => status.startsWith('AC');
