import type { Kysely } from 'kysely';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { newApiKey, storeApiKey } from '../services/api/auth.js';
import { upsertCorporation } from '../services/api/routes/corporations.js';
import type { Database } from './db/database.js';

export const devBailiffOffice = { officeId: 'gdw-noord', name: 'Gerechtsdeurwaarders Noord (dev)' };
export const devCorporation = { corporationId: 'woonstad-zuid', name: 'Woonstad Zuid (dev)', vatSurcharge: false };

const devKeysSchema = z.object({
  billing: z.string(),
  bailiff: z.string(),
  bailiffOffice: z.string(),
  operator: z.string(),
  approver: z.string(),
  admin: z.string(),
});
export type DevApiKeys = z.infer<typeof devKeysSchema>;

/**
 * One key per role for local use, written to data/dev-api-keys.json in api.md's shape. Kept
 * across restarts so scripts and bookmarks keep working; stored in the database as hashes.
 */
export async function ensureDevKeys(db: Kysely<Database>, file: string): Promise<DevApiKeys> {
  await db
    .insertInto('bailiff_office')
    .values({ office_id: devBailiffOffice.officeId, name: devBailiffOffice.name })
    .onConflict((oc) => oc.column('office_id').doNothing())
    .execute();
  const existing = existsSync(file) ? devKeysSchema.safeParse(JSON.parse(readFileSync(file, 'utf8'))) : undefined;
  const keys: DevApiKeys = existing?.success
    ? existing.data
    : {
        billing: newApiKey('billing'),
        bailiff: newApiKey('bailiff'),
        bailiffOffice: devBailiffOffice.officeId,
        operator: newApiKey('operator'),
        approver: newApiKey('approver'),
        admin: newApiKey('admin'),
      };
  for (const role of ['billing', 'operator', 'approver', 'admin'] as const) {
    await storeApiKey(db, keys[role], role, `dev ${role}`);
  }
  await storeApiKey(db, keys.bailiff, 'bailiff', 'dev bailiff', keys.bailiffOffice);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

/** A demo corporation so a fresh system accepts a case at once. */
export async function ensureDevCorporation(db: Kysely<Database>): Promise<void> {
  const known = await db.selectFrom('corporation').select('corporation_id').where('corporation_id', '=', devCorporation.corporationId).executeTakeFirst();
  if (!known) await upsertCorporation(db, devCorporation.corporationId, devCorporation);
}
