import type { Kysely } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import { batchLimitMb, caseBatchRequestSchema, ndjsonItems } from '../api/requests/case-batch.js';
import { DropFolder } from '../http/drop-folder.js';
import { badRequest, parseInput } from '../http/errors.js';
import { openCases, requireSomethingTaken, withinScope, type BatchAnswer, type OpenCasesOptions } from '../case-intake/open-cases.js';
import type { TrackOpener } from '../track-client/track-opener.js';

/**
 * Billing's drop folder: a billing system that exports rather than calls drops each
 * corporation's unpaid terms into `<root>/<corporationId>/` as a JSON array of cases or NDJSON
 * (one case a line), each case as `POST /v1/cases` takes it. The file is taken as
 * `POST /v1/cases:batch` takes a batch (the same per-item answers, the same idempotency, so a
 * file dropped twice opens nothing twice) and moved to `processed/` with `<name>.result.json`
 * (the answer per item), or to `failed/` with `<name>.reason.txt`: not a batch, or no item taken
 * (each item's answer in the reason). The folder's name is the corporation: an item of another is
 * refused in its place, as for a key that holds only that one.
 */
export interface BillingInboxOptions {
  readonly db: Kysely<Database>;
  readonly tracks: Pick<TrackOpener, 'openOrExtend'>;
  /** `data/inbox/billing` under HUURINCASSO_DATA_DIR. */
  readonly root: string;
  readonly quietMs?: number;
  readonly intervalMs?: number;
  readonly maxAttempts?: number;
  readonly concurrency?: OpenCasesOptions['concurrency'];
  readonly log?: (line: string) => void;
}

/** A JSON array, or NDJSON; an object `{ cases: [...] }` as the API's JSON body is taken too. */
export function batchFileItems(text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    try {
      return { cases: JSON.parse(text) as unknown };
    } catch {
      throw badRequest('the file starts as a JSON array but is not JSON (send a JSON array of cases, or NDJSON: one case a line)');
    }
  }
  const items = ndjsonItems(text);
  const whole = items.length > 1 ? null : (items[0] as { cases?: unknown } | undefined);
  return whole && typeof whole === 'object' && 'cases' in whole ? whole : { cases: items };
}

export class BillingInbox extends DropFolder<BatchAnswer> {
  constructor({ db, tracks, concurrency, ...folder }: BillingInboxOptions) {
    super({
      db,
      ...folder,
      maxFileBytes: batchLimitMb * 1024 * 1024,
      resultSuffix: '.result.json',
      handle: async ({ corporationId, text }) => {
        const batch = parseInput(caseBatchRequestSchema, batchFileItems(text), 'batch file');
        const items = withinScope(batch.cases, (id) => id === corporationId);
        const answer = await openCases(db, tracks, items, { changedBy: 'billing-inbox', ...(concurrency ? { concurrency } : {}) });
        requireSomethingTaken(answer);
        return answer;
      },
      summary: ({ counts }) => `${counts.created} created, ${counts.existing} existing, ${counts.rejected} rejected`,
    });
  }
}
