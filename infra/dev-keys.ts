import type { Kysely } from 'kysely';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { hashApiKey, newApiKey, storeApiKey, type KeyBinding } from './db/api-key-store.js';
import { corporationExists, upsertCorporation } from './db/corporation-store.js';
import type { Database } from './db/database.js';

export const devBailiffOffice = { officeId: 'gdw-noord', name: 'Gerechtsdeurwaarders Noord (dev)' };
export const devCorporation = { corporationId: 'woonstad-zuid', name: 'Woonstad Zuid (dev)', vatSurcharge: false };

const devKeysSchema = z.object({
  billing: z.string(),
  bailiff: z.string(),
  bailiffOffice: z.string(),
  operator: z.string(),
  approver: z.string(),
  /** The platform admin (no corporation): manages corporations and every key. */
  admin: z.string(),
  /** The demo corporation's own admin: its policy, its keys. Absent from files written before it. */
  corporationAdmin: z.string().optional(),
  /** The demo corporation's mail house: reports registered letters delivered. Absent from files written before it. */
  mailhouse: z.string().optional(),
});
export type DevApiKeys = z.infer<typeof devKeysSchema> & { corporationAdmin: string; mailhouse: string };

type DevKeyName = 'billing' | 'bailiff' | 'operator' | 'approver' | 'admin' | 'corporationAdmin' | 'mailhouse';

/** Whom each dev key belongs to; all but the platform admin and the bailiff are the demo corporation's. */
const devBindings = (bailiffOffice: string): Record<DevKeyName, KeyBinding> => {
  const demo = [devCorporation.corporationId];
  return {
    billing: { role: 'billing', person: 'dev billing', corporationIds: demo, bailiffOfficeId: null },
    operator: { role: 'operator', person: 'dev operator', corporationIds: demo, bailiffOfficeId: null },
    approver: { role: 'approver', person: 'dev approver', corporationIds: demo, bailiffOfficeId: null },
    admin: { role: 'admin', person: 'dev platform admin', corporationIds: [], bailiffOfficeId: null },
    corporationAdmin: { role: 'admin', person: 'dev corporation admin', corporationIds: demo, bailiffOfficeId: null },
    bailiff: { role: 'bailiff', person: 'dev bailiff', corporationIds: [], bailiffOfficeId: bailiffOffice },
    mailhouse: { role: 'mailhouse', person: 'dev mail house', corporationIds: demo, bailiffOfficeId: null },
  };
};

/**
 * One key per role for local use, written to data/dev-api-keys.json in api.md's shape, each bound
 * to a person ("dev operator") and to the demo corporation. Kept across restarts so scripts and
 * bookmarks keep working; a key revoked meanwhile is replaced. Stored in the database as hashes.
 */
export async function ensureDevKeys(db: Kysely<Database>, file: string): Promise<DevApiKeys> {
  await db
    .insertInto('bailiff_office')
    .values({ office_id: devBailiffOffice.officeId, name: devBailiffOffice.name })
    .onConflict((oc) => oc.column('office_id').doNothing())
    .execute();
  // The keys are bound to it: it exists before they do.
  await ensureDevCorporation(db);
  const existing = existsSync(file) ? devKeysSchema.safeParse(JSON.parse(readFileSync(file, 'utf8'))) : undefined;
  const stored = existing?.success ? existing.data : undefined;
  const bindings = devBindings(stored?.bailiffOffice ?? devBailiffOffice.officeId);
  const keys = { bailiffOffice: stored?.bailiffOffice ?? devBailiffOffice.officeId } as DevApiKeys;
  for (const name of Object.keys(bindings) as DevKeyName[]) {
    const binding = bindings[name];
    const previous = stored?.[name];
    const revoked = previous
      ? await db.selectFrom('api_key').select('key_hash').where('key_hash', '=', hashApiKey(previous)).where('revoked_at', 'is not', null).executeTakeFirst()
      : undefined;
    keys[name] = previous && !revoked ? previous : newApiKey(binding.role);
    await storeApiKey(db, keys[name], binding);
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

/** A demo corporation so a fresh system accepts a case at once. */
export async function ensureDevCorporation(db: Kysely<Database>): Promise<void> {
  if (!(await corporationExists(db, devCorporation.corporationId))) await upsertCorporation(db, devCorporation.corporationId, devCorporation);
}
