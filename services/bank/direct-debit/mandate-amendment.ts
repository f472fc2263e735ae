import { extractIBAN } from 'ibantools';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import type { DebitAmendment } from '../../../infra/db/direct-debit-tables.js';

interface MandateVersion {
  readonly version: number;
  readonly mandate_id: string;
  readonly iban: string;
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
export async function mandatesLastSeenByBank(trx: Transaction<Database>, occupancyIds: readonly string[], runId: string): Promise<Map<string, MandateVersion>> {
  if (occupancyIds.length === 0) return new Map();
  const { rows } = await sql<MandateVersion & { occupancy_id: string }>`
    select distinct on (d.occupancy_id) d.occupancy_id, m.version, m.mandate_id, m.iban
    from direct_debit d join occupancy_mandate m on m.occupancy_id = d.occupancy_id and m.version = d.mandate_version
    where d.occupancy_id = any(${[...occupancyIds]}::text[]) and d.run_id <> ${runId} and d.status in ('submitted', 'collected', 'returned', 'refunded')
    order by d.occupancy_id, d.collection_date desc, d.attempt desc`.execute(trx);
  return new Map(rows.map((r) => [r.occupancy_id, r]));
}

/**
 * The amendment a debit must carry (AmdmntInd, rulebook): the mandate id or the debtor's account
 * changed since the last debit the bank saw. Compared with that debit's mandate version, not with
 * the version before the current one, so two changes between debits are reported as one against
 * what the debtor's bank last saw.
 */
export function mandateAmendment(previous: MandateVersion | undefined, current: MandateVersion): DebitAmendment | null {
  if (!previous || previous.version === current.version) return null;
  const amendment: DebitAmendment = {};
  if (previous.mandate_id !== current.mandate_id) amendment.originalMandateId = previous.mandate_id;
  if (previous.iban !== current.iban) {
    // Another bank: SMNDA (the debtor's new bank cannot know the old account); the same bank: the old IBAN.
    if (bankOf(previous.iban) !== bankOf(current.iban)) amendment.changedBank = true;
    else amendment.originalDebtorIban = previous.iban;
  }
  return Object.keys(amendment).length > 0 ? amendment : null;
}
