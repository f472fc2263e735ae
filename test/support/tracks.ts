import type { Kysely } from 'kysely';
import { upsertCorporation } from '../../infra/db/corporation-store.js';
import { recordCase } from '../../services/case-intake/record-case.js';
import type { OpenCaseRequest } from '../../services/api/requests/cases.js';
import type { Database } from '../../infra/db/database.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import type { CollectionPolicy } from '../../shared/policy/collection-policy.js';
import { simplePolicy, storeTestPolicy } from './policies.js';

let counter = 0;

/** A case request for a fresh contract, with a debtor whose details are obviously made up. */
export function caseRequest(overrides: Partial<OpenCaseRequest> & { claims: OpenCaseRequest['claims'] }): OpenCaseRequest {
  counter++;
  return {
    corporationId: 'test-corp',
    contractRef: `HC-${process.pid}-${Date.now().toString(36)}-${counter}`,
    debtor: {
      name: 'T. Testhuurder',
      address: { street: 'Proefstraat 1', postalCode: '1234 AB', city: 'Teststad' },
      email: 'huurder@example.org',
    },
    segment: 'unknown',
    tenantDeparted: false,
    ...overrides,
  };
}

export function rentClaim(invoiceRef: string, amount: string, dueDate: string) {
  return { invoiceRef, description: `Huur ${dueDate.slice(0, 7)}`, amount, dueDate };
}

/**
 * A corporation for tests, with the simple policy (one reminder, the 14-day letter two weeks later)
 * unless the test brings its own: the tests of the WIK term keep their dates whatever the built-in
 * default ladder becomes.
 */
export async function ensureTestCorporation(
  db: Kysely<Database>,
  options: { vatSurcharge?: boolean; corporationId?: string; bailiffOfficeId?: string | null; policy?: CollectionPolicy } = {},
) {
  if (options.bailiffOfficeId) {
    await db.insertInto('bailiff_office').values({ office_id: options.bailiffOfficeId, name: `Office ${options.bailiffOfficeId}` }).onConflict((oc) => oc.doNothing()).execute();
  }
  const corporationId = options.corporationId ?? 'test-corp';
  await upsertCorporation(db, corporationId, { name: 'Testcorporatie', vatSurcharge: options.vatSurcharge ?? false, bailiffOfficeId: options.bailiffOfficeId ?? null });
  await storeTestPolicy(db, corporationId, options.policy ?? simplePolicy);
}

/** Stores a case the way POST /v1/cases does, without the HTTP layer. */
export function seedCase(db: Kysely<Database>, request: OpenCaseRequest) {
  return recordCase(db, request);
}

export const daysBefore = (date: string, days: number) => addDays(date, -days);
