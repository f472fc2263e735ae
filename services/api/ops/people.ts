import { sql, type Kysely, type SqlBool } from 'kysely';
import { personActor } from '../../../infra/db/api-key-store.js';
import type { Database } from '../../../infra/db/database.js';
import { isPlatformAdmin, type Caller } from '../auth.js';

/**
 * The names behind the pseudonyms decisions carry (person:…): the people holding keys of the
 * corporations the signed-in key holds. The tracks keep the pseudonym; the desk shows the name.
 */
export async function peopleByActor(db: Kysely<Database>, caller: Caller): Promise<(actor: string | null) => string> {
  const rows = await db
    .selectFrom('api_key')
    .select('person')
    .distinct()
    .$if(!isPlatformAdmin(caller), (qb) => qb.where((eb) => eb.or([sql<SqlBool>`corporation_ids && ${[...caller.corporationIds]}::text[]`, eb('key_id', '=', caller.keyId)])))
    .execute();
  const names = new Map(rows.map((r) => [personActor(r.person), r.person]));
  return (actor) => (actor === null ? '' : actor === 'track' ? 'the track' : actor === caller.actor ? `you (${caller.person})` : (names.get(actor) ?? actor));
}

/** A decision as people say it. */
export const decisionLabel = (decision: string) => ({ handover: 'hand-over', eviction: 'eviction', write_off: 'write-off' })[decision] ?? decision;
