import type { Kysely } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import { notFound } from '../http/errors.js';
import { holdsCorporation, type Caller } from './auth.js';
import type { Reach } from './reach.js';

type Input = { readonly params?: unknown; readonly query?: unknown; readonly body?: unknown };
const field = (part: unknown, name: string) => (part as Record<string, unknown> | undefined)?.[name] as string;

/**
 * The direct-debit scopes (key-scope.ts): an occupancy, a creditor or a run belongs to its client
 * corporation; one the key does not hold answers as one that does not exist.
 */
export async function directDebitScope(
  db: Kysely<Database>,
  caller: Caller,
  scope: 'occupancy' | 'creditor-in-query' | 'direct-debit-run',
  input: Input,
): Promise<Reach> {
  const found =
    scope === 'occupancy'
      ? await db.selectFrom('occupancy').select('corporation_id').where('occupancy_id', '=', field(input.params, 'occupancyId')).executeTakeFirst()
      : scope === 'creditor-in-query'
        ? await db.selectFrom('creditor').select('corporation_id').where('creditor_id', '=', field(input.query, 'creditorId')).executeTakeFirst()
        : await db.selectFrom('direct_debit_run').select('corporation_id').where('run_id', '=', field(input.params, 'runId')).executeTakeFirst();
  if (!found || !holdsCorporation(caller, found.corporation_id)) {
    const what = scope === 'occupancy' ? `occupancy ${field(input.params, 'occupancyId')}` : scope === 'creditor-in-query' ? `creditor ${field(input.query, 'creditorId')}` : `run ${field(input.params, 'runId')}`;
    throw notFound(`no ${what}`);
  }
  return { corporationIds: [found.corporation_id], caseId: null };
}
