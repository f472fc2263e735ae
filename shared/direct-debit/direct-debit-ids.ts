/**
 * The ids a collection run writes into its pain.008. Each must be at most 35 characters of the
 * SEPA character set, unique, and the same when an activity is retried (so a rebuilt file or a
 * re-planned debit is the same one). The creditor's and occupancy's own ids are free text of up
 * to 80 characters, so they enter as a 64-bit FNV-1a hash in base 36 (13 characters).
 */

const fnvOffset = 0xcbf29ce484222325n;
const fnvPrime = 0x100000001b3n;
const mask64 = (1n << 64n) - 1n;

export function shortHash(text: string): string {
  let hash = fnvOffset;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * fnvPrime) & mask64;
  }
  return hash.toString(36).toUpperCase().padStart(13, '0');
}

const compactMonth = (month: string) => month.replace('-', '');

/** `<creditorId>.<YYYY-MM>.<sequence>`: readable in the API and the drop folder. */
export function directDebitRunId(creditorId: string, month: string, sequence: number): string {
  return `${creditorId}.${month}.${sequence}`;
}

/** `GrpHdr/MsgId`: `VS<yyyymm>R<sequence>-<creditor hash>` (24 characters). */
export function runMessageId(creditorId: string, month: string, sequence: number): string {
  return `VS${compactMonth(month)}R${sequence}-${shortHash(creditorId)}`;
}

/**
 * `EndToEndId`: `VS<yyyymm>A<attempt>-<hash of creditor/occupancy>` (24 characters). The month and
 * attempt are readable on the occupant's statement and in every R-message; the hash names the
 * occupancy without personal data.
 */
export function debitEndToEndId(creditorId: string, occupancyId: string, month: string, attempt: number): string {
  return `VS${compactMonth(month)}A${attempt}-${shortHash(`${creditorId}/${occupancyId}`)}`;
}
