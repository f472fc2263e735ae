import type { Kysely } from 'kysely';
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from './database.js';

/** One role per API key (api.md): what the key's holder may do. A `mailhouse` key reports deliveries of its corporations' registered letters. */
export const roles = ['billing', 'bailiff', 'operator', 'approver', 'admin', 'mailhouse'] as const;
export type Role = (typeof roles)[number];

/** Only the hash of a key is stored, so a database dump does not hand out access. */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');
export const newApiKey = (role: Role) => `hi_${role}_${randomBytes(24).toString('base64url')}`;

/** "Jan  de Vries" and "jan de vries" are one person, whichever key they use. */
const normalizedPerson = (person: string) => person.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * How a person is named where personal data may not go (workflow history, the tracks' timelines,
 * created_by columns): a pseudonym derived from the person's name, the same for every key of that
 * person, so four-eyes compares people. The audit trail and the key list name the person.
 */
export const personActor = (person: string) => `person:${createHash('sha256').update(normalizedPerson(person)).digest('hex').slice(0, 16)}`;

/** Whom a key belongs to and what it may reach. */
export interface KeyBinding {
  readonly role: Role;
  readonly person: string;
  /** Empty: a platform admin key (role admin), or a bailiff key (its office is its scope). */
  readonly corporationIds: readonly string[];
  readonly bailiffOfficeId: string | null;
  /** Names the key in `npm run admin -- key list`; the person when not given. */
  readonly label?: string;
}

/** Stores the key's hash with its binding (again: the binding is replaced); its public key id. */
export async function storeApiKey(db: Kysely<Database>, key: string, binding: KeyBinding): Promise<{ keyId: string }> {
  const values = {
    role: binding.role,
    label: binding.label ?? binding.person,
    person: binding.person,
    corporation_ids: [...binding.corporationIds],
    bailiff_office_id: binding.bailiffOfficeId,
  };
  const row = await db
    .insertInto('api_key')
    .values({ key_hash: hashApiKey(key), ...values })
    .onConflict((oc) => oc.column('key_hash').doUpdateSet(values))
    .returning('key_id')
    .executeTakeFirstOrThrow();
  return { keyId: row.key_id };
}

/** A key as listed: never its secret, nor its hash beyond the prefix the admin CLI shows. */
export interface ListedApiKey {
  readonly keyId: string;
  readonly role: Role;
  readonly person: string;
  /** As the key's decisions name the person in the tracks (personActor). */
  readonly actor: string;
  readonly label: string;
  readonly corporationIds: string[];
  readonly bailiffOfficeId: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

export const listedApiKey = (row: {
  key_id: string;
  role: string;
  person: string;
  label: string;
  corporation_ids: string[];
  bailiff_office_id: string | null;
  created_at: Date;
  revoked_at: Date | null;
}): ListedApiKey => ({
  keyId: row.key_id,
  role: row.role as Role,
  person: row.person,
  actor: personActor(row.person),
  label: row.label,
  corporationIds: row.corporation_ids,
  bailiffOfficeId: row.bailiff_office_id,
  createdAt: row.created_at.toISOString(),
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

export const apiKeyColumns = ['key_id', 'role', 'person', 'label', 'corporation_ids', 'bailiff_office_id', 'created_at', 'revoked_at'] as const;

/** The key stops working at once; its row stays, so the audit trail can still name it. False when it was revoked before. */
export async function revokeApiKey(db: Kysely<Database>, keyHash: string): Promise<boolean> {
  const revoked = await db.updateTable('api_key').set({ revoked_at: new Date() }).where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
  return revoked.numUpdatedRows > 0n;
}
