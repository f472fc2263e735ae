import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { HttpError, unprocessable } from '../../http/errors.js';
import { parseStatement } from '../statements/parse-statement.js';
import { BankFileRefused } from '../xml/bank-file-refused.js';
import { type ParsedStatement } from '../statements/statement-entry.js';
import { importStatement, type ImportAnswer, type PaymentTracks } from './statement-import.js';
import { importStatusReport, type StatusReportAnswer } from '../direct-debit-outcomes/status-report-import.js';
import { parsePain002 } from '../status-reports/parse-pain002.js';
import { paymentStatusReportFormat } from '../status-reports/recognise-pain002.js';

/**
 * A bank file in, by whichever door it came (`POST /v1/bank/statements`, the drop folder): read
 * whole, checked to be of the corporation's own account, then imported. Refusals are HttpErrors in
 * the api.md shape, which the route answers and the drop folder writes into its reason file.
 */
export async function importBankFile(
  db: Kysely<Database>,
  tracks: PaymentTracks,
  xml: string,
  who: { corporationId: string; actor: string; importId: string },
): Promise<ImportAnswer | StatusReportAnswer> {
  // A status report of our own direct debits (pain.002) names no account: its debits say whose it is.
  if (paymentStatusReportFormat(xml)) return importStatusReport(db, tracks, reading(() => parsePain002(xml)), who);
  // Read whole before anything is stored: a file that does not parse changes nothing.
  const statement = readStatement(xml);
  // An account another corporation gave as its own is not this one's: a file sent under the wrong corporation.
  const owner = await db.selectFrom('corporation').select('corporation_id').where('iban', 'in', statement.accountIbans).where('corporation_id', '!=', who.corporationId).executeTakeFirst();
  if (owner) throw unprocessable('account_of_another_corporation', `the file's account ${statement.accountIbans.join(', ')} is another corporation's`);
  return importStatement(db, tracks, statement, who);
}

export function readStatement(xml: string): ParsedStatement {
  return reading(() => parseStatement(xml));
}

function reading<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof BankFileRefused)) throw error;
    if (error.kind === 'unsupported') throw new HttpError(415, 'unsupported_statement', error.message);
    throw new HttpError(400, 'invalid_statement', error.message, [{ ...error.where }]);
  }
}
