import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { advanceAccountWorkflowId, collectionRunsWorkflowId } from '../../../shared/direct-debit/debit-outcome.js';

/** The collection service's workflows (per creditor, per occupancy): the simulated clock waits for them too. */
export async function directDebitWorkflowIds(db: Kysely<Database>): Promise<string[]> {
  const creditors = await db.selectFrom('creditor').select('creditor_id').execute();
  const occupancies = await db.selectFrom('occupancy').select(['corporation_id', 'occupancy_id']).execute();
  return [...creditors.map((c) => collectionRunsWorkflowId(c.creditor_id)), ...occupancies.map((o) => advanceAccountWorkflowId(o.corporation_id, o.occupancy_id))];
}
