import type { Kysely } from 'kysely';
import type { Database } from '../../infra/db/database.js';

/**
 * A creditor, an occupancy with its mandate and advance, and a submitted run of a corporation,
 * written straight to Postgres (no workflows): for the route walks that need something of a
 * corporation's to refuse input for or to hide.
 */
export async function seedDirectDebit(db: Kysely<Database>, corporationId: string, suffix: string) {
  const creditorId = `cred-${suffix}`;
  const occupancyId = `occ-${suffix}`;
  const runId = `${creditorId}.2027-01.1`;
  await db
    .insertInto('creditor')
    .values({
      creditor_id: creditorId,
      corporation_id: corporationId,
      name: 'Incassodienst Walk',
      initiating_party_name: 'Incassodienst Walk',
      creditor_identifier: 'NL69ZZZ123456780000',
      iban: 'NL91ABNA0417164300',
      account_mode: 'provider_account',
      pain_version: 'pain.008.001.08',
      collection_day: 1,
      max_per_debit: '500.00',
      max_run_total: '10000.00',
      runs_per_month: 2,
    })
    .execute();
  await db
    .insertInto('occupancy')
    .values({
      occupancy_id: occupancyId,
      creditor_id: creditorId,
      corporation_id: corporationId,
      contract_ref: `HC-${suffix}`,
      unit_ref: 'Unit 1',
      occupant_name: 'W. Bewoner',
      occupant_street: 'Laan 1',
      occupant_postal_code: '1234 AB',
      occupant_city: 'Utrecht',
      moved_in_on: '2026-10-01',
    })
    .execute();
  await db
    .insertInto('occupancy_mandate')
    .values({ occupancy_id: occupancyId, version: 1, mandate_id: `MND-${suffix}`, signed_on: '2026-09-15', iban: 'NL02ABNA0123456789', valid_from: '2026-10-01', amended: null, recorded_by: 'seed' })
    .execute();
  await db.insertInto('occupancy_advance').values({ occupancy_id: occupancyId, from_month: '2026-11', amount: '85.00', requested_by: 'client', recorded_by: 'seed' }).execute();
  await db
    .insertInto('direct_debit_run')
    .values({ run_id: runId, creditor_id: creditorId, corporation_id: corporationId, month: '2027-01', sequence: 1, collection_date: '2027-01-04', status: 'submitted', message_id: `MSG-${suffix}`, xml: '<Document/>' })
    .execute();
  return { creditorId, occupancyId, runId };
}
