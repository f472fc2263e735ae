import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { bankInboxFiles } from '../../../infra/observability/metrics.js';
import { DropFolder, type DropOutcome } from '../../http/drop-folder.js';
import { importBankFile } from '../import/import-bank-file.js';
import type { ImportAnswer, PaymentTracks } from '../import/statement-import.js';

/**
 * The bank's drop folder: the bank's download channel (SFTP, EBICS, a bank's connector) delivers
 * each corporation's files into `<root>/<corporationId>/`. Each file is imported once through the
 * same import as `POST /v1/bank/statements` (same matching, same dedup of lines), then moved to
 * `processed/` (beside it `<name>.import.json`, the import's answer) or to `failed/` with
 * `<name>.reason.txt` saying why.
 *
 * How a file is waited for, claimed, retried and settled is the drop folder's
 * (services/http/drop-folder.ts); two watchers never import one file at once, and the import
 * itself would find the lines seen anyway.
 */
export interface BankInboxOptions {
  readonly db: Kysely<Database>;
  readonly tracks: PaymentTracks;
  /** `data/inbox/bank` under HUURINCASSO_DATA_DIR. */
  readonly root: string;
  /** How long a file must have stood unchanged before it is read. */
  readonly quietMs?: number;
  readonly intervalMs?: number;
  /** Tries for a file whose import failed for a passing reason (the engine away) before it goes to failed/. */
  readonly maxAttempts?: number;
  readonly log?: (line: string) => void;
}

export type InboxOutcome = DropOutcome<ImportAnswer>;

/** The same bound as an upload (services/api/requests/bank.ts statementLimitMb). */
const maxFileBytes = 20 * 1024 * 1024;

export class BankInbox extends DropFolder<ImportAnswer> {
  constructor({ db, tracks, ...folder }: BankInboxOptions) {
    super({
      db,
      ...folder,
      maxFileBytes,
      resultSuffix: '.import.json',
      invalidCode: 'invalid_statement',
      handle: ({ corporationId, text }) => importBankFile(db, tracks, text, { corporationId, actor: 'bank-inbox', importId: randomUUID() }),
      summary: (answer) => `import ${answer.importId}: ${answer.new} new, ${answer.matched} matched, ${answer.unmatched} unmatched, ${answer.duplicates} duplicates, ${answer.reversals} reversals`,
    });
  }

  /** Every pass's files counted by outcome for /metrics (their lines count themselves in the import). */
  override async scanOnce(): Promise<InboxOutcome[]> {
    const outcomes = await super.scanOnce();
    for (const { outcome } of outcomes) bankInboxFiles.inc({ outcome });
    return outcomes;
  }
}
