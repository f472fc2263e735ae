import type { Kysely } from 'kysely';
import { corporationExists } from '../../infra/db/corporation-store.js';
import type { Database } from '../../infra/db/database.js';
import { unprocessable } from '../http/errors.js';

/** A request that names a corporation the installation does not know is refused with a 422, changing nothing. */
export async function requireConfiguredCorporation(db: Kysely<Database>, corporationId: string): Promise<void> {
  if (!(await corporationExists(db, corporationId))) throw unprocessable('unknown_corporation', `corporation ${corporationId} is not configured`);
}
