import type { Kysely } from 'kysely';
import { collectionPolicySchema, defaultCollectionPolicy, type CollectionPolicy, type VersionedPolicy } from '../../shared/policy/collection-policy.js';
import type { Database } from './database.js';

export interface StoredPolicy extends VersionedPolicy {
  /** Null for version 0, the built-in default that no one stored. */
  readonly createdAt: string | null;
  readonly createdBy: string | null;
}

const builtIn = (corporationId: string): StoredPolicy => ({ corporationId, version: 0, policy: defaultCollectionPolicy, createdAt: null, createdBy: null });

function toStored(row: { corporation_id: string; version: number; policy: unknown; created_by: string; created_at: Date }): StoredPolicy {
  // Parsed on the way out too: a row that no longer fits the schema fails loudly, it is never guessed at.
  return { corporationId: row.corporation_id, version: row.version, policy: collectionPolicySchema.parse(row.policy), createdAt: row.created_at.toISOString(), createdBy: row.created_by };
}

/** The version in force: the latest stored, or the built-in default (version 0). */
export async function latestPolicy(db: Kysely<Database>, corporationId: string): Promise<StoredPolicy> {
  const row = await db.selectFrom('collection_policy').selectAll().where('corporation_id', '=', corporationId).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? toStored(row) : builtIn(corporationId);
}

export async function policyVersion(db: Kysely<Database>, corporationId: string, version: number): Promise<StoredPolicy | null> {
  if (version === 0) return builtIn(corporationId);
  const row = await db.selectFrom('collection_policy').selectAll().where('corporation_id', '=', corporationId).where('version', '=', version).executeTakeFirst();
  return row ? toStored(row) : null;
}

/**
 * Stores a policy as the next version. The corporation's row is locked for the transaction, so two
 * concurrent changes get consecutive versions instead of one failing on the key. Storing what is
 * already in force stores nothing and answers that version (a repeated PUT is harmless).
 */
export async function storePolicy(
  db: Kysely<Database>,
  corporationId: string,
  policy: CollectionPolicy,
  createdBy: string,
): Promise<{ stored: boolean; policy: StoredPolicy } | null> {
  const parsed = collectionPolicySchema.parse(policy);
  return db.transaction().execute(async (trx) => {
    const corporation = await trx.selectFrom('corporation').select('corporation_id').where('corporation_id', '=', corporationId).forUpdate().executeTakeFirst();
    if (!corporation) return null;
    const latest = await latestPolicy(trx, corporationId);
    if (latest.version > 0 && sameJson(latest.policy, parsed)) return { stored: false, policy: latest };
    const row = await trx
      .insertInto('collection_policy')
      .values({ corporation_id: corporationId, version: latest.version + 1, policy: JSON.stringify(parsed), created_by: createdBy })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { stored: true, policy: toStored(row) };
  });
}

/** Equal as data: jsonb does not keep key order, so compare with sorted keys. */
function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => [k, canonical(v)]))
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
