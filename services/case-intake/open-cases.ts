import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import { log } from '../../infra/observability/logger.js';
import { trackWorkflowId } from '../../shared/track/workflow-id.js';
import { isDatabaseUnavailable } from '../http/database-unavailable.js';
import { HttpError, serviceUnavailable } from '../http/errors.js';
import type { CaseIntake } from './case-intake.js';
import { debtorDetails } from './debtor-versions.js';
import { openCase } from './open-case.js';
import type { RecordedCase } from './record-case.js';
import { nextPaymentReferenceNumber, paymentReferenceNumbered } from '../../infra/db/payment-reference-store.js';
import type { TrackOpener } from '../track-client/track-opener.js';

/**
 * Many contracts' claims in at once (billing's batch, its drop folder): each item exactly as
 * `POST /v1/cases` takes it (openCase: the same idempotency by contract and invoiceRef, the same
 * refusals), answered per item, so one bad item never sinks the others.
 *
 * Two things make it faster than as many single calls: contracts without a case yet are stored
 * in bulk (one transaction for a chunk instead of one per case), and the tracks are opened by a
 * bounded number of lanes (the engine and its worker set the pace; thousands of update-with-start
 * calls in flight would only time out).
 */

/** The api.md error shape's inside, per item. */
export interface ItemError {
  readonly code: string;
  readonly message: string;
  readonly details: readonly unknown[];
}

/** An item refused before it reached intake: input that fails the case schema, or a corporation the caller does not hold. */
export interface RejectedItem {
  readonly rejected: ItemError;
}

export type BatchItem = CaseIntake | RejectedItem;

export interface BatchItemAnswer {
  readonly index: number;
  readonly status: 'created' | 'existing' | 'rejected';
  readonly caseId?: string;
  readonly error?: ItemError;
}

export interface BatchAnswer {
  readonly counts: { readonly created: number; readonly existing: number; readonly rejected: number };
  readonly items: readonly BatchItemAnswer[];
}

export interface OpenCasesOptions {
  /** Who recorded the debtors' first versions. */
  readonly changedBy: string;
  /** Tracks opened at once. */
  readonly concurrency?: number;
  /** Items stored per bulk transaction. */
  readonly chunkSize?: number;
}

const isRejected = (item: BatchItem): item is RejectedItem => 'rejected' in item;

/** An item of a corporation the caller does not hold is refused as one of a corporation that does not exist (key-scope.ts). */
export const withinScope = (items: readonly BatchItem[], holds: (corporationId: string) => boolean): BatchItem[] =>
  items.map((item) => (isRejected(item) || holds(item.corporationId) ? item : { rejected: { code: 'not_found', message: `no corporation ${item.corporationId}`, details: [] } }));

/** Update-with-start calls in flight: more only queue at the server and the worker (bench/bulk-intake.ts). */
const defaultBatchConcurrency = 8;
const defaultChunkSize = 250;

export async function openCases(db: Kysely<Database>, opener: Pick<TrackOpener, 'openOrExtend'>, items: readonly BatchItem[], options: OpenCasesOptions): Promise<BatchAnswer> {
  const answers: BatchItemAnswer[] = items.map((item, index) => (isRejected(item) ? { index, status: 'rejected', error: item.rejected } : { index, status: 'rejected' }));
  const chunkSize = options.chunkSize ?? defaultChunkSize;
  // A contract's items take their turns in one lane, in the batch's order; contracts run side by side.
  const byContract = new Map<string, { index: number; request: CaseIntake }[]>();
  items.forEach((item, index) => {
    if (isRejected(item)) return;
    const key = `${item.corporationId}\u0000${item.contractRef}`;
    const group = byContract.get(key);
    if (group) group.push({ index, request: item });
    else byContract.set(key, [{ index, request: item }]);
  });
  // Chunks of whole contracts, stored in bulk one chunk ahead of the lanes, so the lanes never wait on a chunk's slowest track.
  const chunks: { index: number; request: CaseIntake }[][][] = [];
  let filled = Infinity;
  for (const group of byContract.values()) {
    if (filled + group.length > chunkSize) {
      chunks.push([]);
      filled = 0;
    }
    chunks.at(-1)!.push(group);
    filled += group.length;
  }
  const stored: Promise<Map<number, RecordedCase>>[] = [];
  const storedChunk = (k: number): Promise<Map<number, RecordedCase>> =>
    (stored[k] ??= (k > 0 ? storedChunk(k - 1) : Promise.resolve()).then(() => recordFreshCases(db, chunks[k]!.flat(), options.changedBy)));
  const work = chunks.flatMap((chunk, k) => chunk.map((group) => ({ k, group })));
  await inLanes(work, options.concurrency ?? defaultBatchConcurrency, async ({ k, group }) => {
    const fresh = await storedChunk(k);
    if (k + 1 < chunks.length) void storedChunk(k + 1);
    for (const { index, request } of group) answers[index] = await openOne(db, opener, index, request, fresh.get(index), options.changedBy);
  });
  const count = (status: BatchItemAnswer['status']) => answers.filter((a) => a.status === status).length;
  return { counts: { created: count('created'), existing: count('existing'), rejected: count('rejected') }, items: answers };
}

async function openOne(
  db: Kysely<Database>,
  opener: Pick<TrackOpener, 'openOrExtend'>,
  index: number,
  request: CaseIntake,
  recorded: RecordedCase | undefined,
  changedBy: string,
): Promise<BatchItemAnswer> {
  let caseId = recorded?.caseId;
  for (let attempt = 1; ; attempt++) {
    try {
      // Stored in bulk already: the single path's recordCase would find it as it is and add nothing.
      const opened = await openCase(db, opener, request, { changedBy, onRecorded: (id) => (caseId = id), ...(recorded ? { recorded } : {}) });
      // A case this batch stored had no track before it: when a late first try started it, the retry finds it running, and it is still this batch's.
      const created = opened.opened || (recorded !== undefined && attempt > 1);
      return { index, status: created ? 'created' : 'existing', caseId: opened.caseId };
    } catch (error) {
      // A worker busy with the batch's earlier tracks answers late, not never (a deadline, or the
      // server giving up an update-with-start whose workflow task timed out: FAILED_PRECONDITION):
      // the item is safe to repeat, so the batch tries again rather than hand the caller a
      // refusal to repeat. An answer about the item itself (a 4xx) is final.
      if (isPassing(error) && attempt < attempts) {
        await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
        continue;
      }
      return { index, status: 'rejected', ...(caseId ? { caseId } : {}), error: itemError(error) };
    }
  }
}

/** Tries an item gets while the engine or the database fails it (services/api/engine-deadline.ts bounds each call). */
const attempts = 3;
const isPassing = (error: unknown) => !(error instanceof HttpError) || error.status >= 500;

/** An item's failure as the single call would answer it; what is not the item's fault is said so (safe to repeat). */
function itemError(error: unknown): ItemError {
  if (error instanceof HttpError) return { code: error.code, message: error.message, details: error.details };
  if (isDatabaseUnavailable(error)) return { code: 'database_unavailable', message: 'the database is not reachable at the moment; repeat the item (or the batch) shortly', details: [] };
  log().error(`batch item failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return { code: 'internal', message: 'the item could not be taken; it is safe to repeat', details: [] };
}

/**
 * Stores in one transaction the items of contracts that have no case yet (the usual first of the
 * month: most contracts are new to collection): their case, first debtor version, claims and
 * payment reference, as recordCase would. Answers the cases it stored by the item's index; every other item (a known
 * contract, a second item of one contract, claims repeating an invoiceRef, an unknown
 * corporation) goes through recordCase itself. When the bulk write fails, nothing of it stays
 * and every item goes the single way, which finds each one's own fault.
 */
async function recordFreshCases(db: Kysely<Database>, chunk: readonly { index: number; request: CaseIntake }[], changedBy: string): Promise<Map<number, RecordedCase>> {
  const firstOfContract = new Map<string, { index: number; request: CaseIntake }>();
  for (const item of chunk) {
    const key = `${item.request.corporationId}\u0000${item.request.contractRef}`;
    const invoiceRefs = new Set(item.request.claims.map((c) => c.invoiceRef));
    if (!firstOfContract.has(key) && invoiceRefs.size === item.request.claims.length) firstOfContract.set(key, item);
  }
  const candidates = [...firstOfContract.values()];
  if (candidates.length === 0) return new Map();
  try {
    return await db.transaction().execute(async (trx) => {
      const corporations = new Set(
        (await trx.selectFrom('corporation').select('corporation_id').where('corporation_id', 'in', [...new Set(candidates.map((c) => c.request.corporationId))]).execute()).map((r) => r.corporation_id),
      );
      const known = candidates.filter((c) => corporations.has(c.request.corporationId));
      if (known.length === 0) return new Map();
      const inserted = await trx
        .insertInto('collection_case')
        .values(
          known.map(({ request }) => ({
            case_id: randomUUID(),
            corporation_id: request.corporationId,
            contract_ref: request.contractRef,
            workflow_id: trackWorkflowId(request.corporationId, request.contractRef),
            proposed_segment: request.segment,
          })),
        )
        .onConflict((oc) => oc.columns(['corporation_id', 'contract_ref']).doNothing())
        .returning(['case_id', 'corporation_id', 'contract_ref', 'workflow_id', nextPaymentReferenceNumber.as('reference_number')])
        .execute();
      if (inserted.length === 0) return new Map();
      const byContract = new Map(known.map((c) => [`${c.request.corporationId}\u0000${c.request.contractRef}`, c]));
      const stored = inserted.map((row) => ({ row, item: byContract.get(`${row.corporation_id}\u0000${row.contract_ref}`)! }));
      // A new case's debtor is its first version (storeDebtorVersion on a case without one).
      const debtors = stored.map(({ row, item }) => ({ case_id: row.case_id, ...debtorDetails(item.request.debtor) }));
      await trx.insertInto('debtor_version').values(debtors.map((d) => ({ ...d, version: 1, changed_by: changedBy }))).execute();
      await trx.insertInto('debtor').values(debtors.map((d) => ({ ...d, version: 1 }))).execute();
      const claims = stored.flatMap(({ row, item }) =>
        item.request.claims.map((claim) => ({ case_id: row.case_id, invoice_ref: claim.invoiceRef, description: claim.description, amount: claim.amount, due_date: claim.dueDate })),
      );
      // Postgres takes at most 65,535 parameters a statement: 5 a claim.
      for (let from = 0; from < claims.length; from += 10_000) await trx.insertInto('claim').values(claims.slice(from, from + 10_000)).execute();
      // Each new case's betalingskenmerk, as recordCase issues it: its track then opens without asking the bank service.
      const references = stored.map(({ row }) => ({ case_id: row.case_id, reference: paymentReferenceNumbered(row.reference_number) }));
      await trx.insertInto('payment_reference').values(references).execute();
      return new Map(stored.map(({ row, item }, i) => [item.index, { caseId: row.case_id, workflowId: row.workflow_id, paymentReference: references[i]!.reference }]));
    });
  } catch (error) {
    log().warn(`bulk storing of ${candidates.length} new cases failed, each goes the single way: ${error instanceof Error ? error.message : String(error)}`);
    return new Map();
  }
}

/**
 * A batch that took nothing is an error, with every item's answer in its details: the caller
 * learns it in the status, and nothing is recorded as done. When the engine or the database was
 * away for every item, it is theirs (503, safe to repeat unchanged), not the items'.
 */
export function requireSomethingTaken(answer: BatchAnswer): void {
  if (answer.counts.created + answer.counts.existing > 0) return;
  const items = answer.items;
  const codes = new Set(items.map((item) => item.error?.code));
  if (codes.size === 1 && (codes.has('engine_unavailable') || codes.has('database_unavailable'))) {
    const away = serviceUnavailable([...codes][0]!, `none of the ${items.length} cases was taken: ${items[0]!.error!.message}`, 5);
    throw new HttpError(away.status, away.code, away.message, [...items], away.headers);
  }
  throw new HttpError(422, 'no_case_taken', `none of the ${items.length} cases was taken; each item's answer is in details`, [...items]);
}

/** Runs `work` over `groups`, at most `concurrency` at a time. */
async function inLanes<T>(groups: readonly T[], concurrency: number, work: (group: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < groups.length) await work(groups[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, groups.length)) }, lane));
}
