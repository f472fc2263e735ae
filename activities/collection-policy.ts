import type { Kysely } from 'kysely';
import { latestPolicy } from '../infra/db/collection-policy-store.js';
import type { Database } from '../infra/db/database.js';
import type { VersionedPolicy } from '../shared/policy/collection-policy.js';

export function createCollectionPolicyActivities(db: Kysely<Database>) {
  return {
    /**
     * The policy version in force for a corporation. Read through an activity so the version a
     * track acted on is in its history; the track asks only at a safe point (a cycle's start).
     */
    async loadCollectionPolicy(corporationId: string): Promise<VersionedPolicy> {
      const { version, policy } = await latestPolicy(db, corporationId);
      return { corporationId, version, policy };
    },
  };
}
