import { extractIBAN } from 'ibantools';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import type { DebitAmendment } from '../../../infra/db/direct-debit-tables.js';

interface MandateVersion {
  readonly version: number;
  readonly mandate_id: string;
  readonly iban: string;
}

/** What the debtor's bank last saw of a mandate: its version, and the creditor identifier it came under (null: unknown). */
export interface MandateLastSeen extends MandateVersion {
  readonly creditor_identifier: string | null;
}

const bankOf = (iban: string) => {
  const parts = extractIBAN(iban);
  return `${parts.countryCode ?? ''}:${parts.bankIdentifier ?? iban.slice(4, 8)}`;
};

/**
 * For each occupancy, the mandate version of its last debit that reached the bank (submitted,
 * collected, returned or refunded) in another run: what the debtor's bank last saw. A debit the
 * bank rejected (pain.002) or that was never sent does not count as having told it.
 */
export async function mandatesLastSeenByBank(trx: Transaction<Database>, occupancyIds: readonly string[], runId: string): Promise<Map<string, MandateLastSeen>> {
  if (occupancyIds.length === 0) return new Map();
  const { rows } = await sql<MandateLastSeen & { occupancy_id: string }>`
    select distinct on (d.occupancy_id) d.occupancy_id, m.version, m.mandate_id, m.iban, r.creditor_identifier
    from direct_debit d join occupancy_mandate m on m.occupancy_id = d.occupancy_id and m.version = d.mandate_version
    join direct_debit_run r on r.run_id = d.run_id
    where d.occupancy_id = any(${[...occupancyIds]}::text[]) and d.run_id <> ${runId} and d.status in ('submitted', 'collected', 'returned', 'refunded')
    order by d.occupancy_id, d.collection_date desc, d.attempt desc`.execute(trx);
  return new Map(rows.map((r) => [r.occupancy_id, r]));
}

/**
 * The amendment a debit must carry (AmdmntInd, rulebook): the mandate id, the debtor's account or
 * the creditor identifier changed since the last debit the bank saw. Compared with that debit's
 * mandate version and run, not with the version before the current one, so two changes between
 * debits are reported as one against what the debtor's bank last saw; and a debit that carried the
 * amendment but was rejected before settlement leaves it for the next one.
 */
export function mandateAmendment(previous: MandateLastSeen | undefined, current: MandateVersion, creditorIdentifier: string): DebitAmendment | null {
  if (!previous) return null;
  const amendment: DebitAmendment = {};
  // Unknown (null) is not a change: only an identifier on record differs.
  if (previous.creditor_identifier !== null && previous.creditor_identifier !== creditorIdentifier) amendment.originalCreditorIdentifier = previous.creditor_identifier;
  if (previous.version === current.version) return Object.keys(amendment).length > 0 ? amendment : null;
  if (previous.mandate_id !== current.mandate_id) amendment.originalMandateId = previous.mandate_id;
  if (previous.iban !== current.iban) {
    // Another bank: SMNDA (the debtor's new bank cannot know the old account); the same bank: the old IBAN.
    if (bankOf(previous.iban) !== bankOf(current.iban)) amendment.changedBank = true;
    else amendment.originalDebtorIban = previous.iban;
  }
  return Object.keys(amendment).length > 0 ? amendment : null;
}
