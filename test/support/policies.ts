import type { Kysely } from 'kysely';
import { storePolicy } from '../../infra/db/collection-policy-store.js';
import type { Database } from '../../infra/db/database.js';
import { collectionPolicySchema, defaultCollectionPolicy, type CollectionPolicy, type SegmentPolicy } from '../../shared/policy/collection-policy.js';

/** One letter reminder five days after default, the 14-day letter two weeks later; no tasks. */
export const simpleSegmentPolicy: SegmentPolicy = {
  prenotice: null,
  reminders: [{ afterDefaultDays: 5, channel: 'post' }],
  callRound: null,
  homeVisit: null,
  wikLetterAfterLastReminderDays: 14,
  wikMinimumArrears: '0.01',
  handoverNeedsApproval: true,
};

export const simplePolicy: CollectionPolicy = { ...defaultCollectionPolicy, defaultSegment: simpleSegmentPolicy };

export function policyWith(overrides: Partial<SegmentPolicy>, rest: Partial<Omit<CollectionPolicy, 'defaultSegment'>> = {}): CollectionPolicy {
  return collectionPolicySchema.parse({ ...simplePolicy, ...rest, defaultSegment: { ...simpleSegmentPolicy, ...overrides } });
}

/** Stores the next version of a corporation's policy, as PUT /v1/corporations/:id/policy does. */
export async function storeTestPolicy(db: Kysely<Database>, corporationId: string, policy: CollectionPolicy): Promise<number> {
  const result = await storePolicy(db, corporationId, policy, 'test');
  if (!result) throw new Error(`no corporation ${corporationId}`);
  return result.policy.version;
}
