import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { dirname, join } from 'node:path';
import type { Database } from '../infra/db/database.js';
import { createBailiffActivities } from './bailiff.js';
import { createBankActivities } from './bank.js';
import { createCaseEventActivities } from './case-events.js';
import { createClaimFilingActivities } from './claim-filing.js';
import { createCollectionPolicyActivities } from './collection-policy.js';
import { createCorporationActivities } from './corporation-settings.js';
import { createDirectDebitActivities } from './direct-debit.js';
import { createLetterActivities } from './letters.js';
import { createMunicipalityActivities } from './municipality.js';
import { createTaskActivities } from './tasks.js';
import { createEarlyWarningActivities } from './early-warning.js';
import { createHoldActivities } from './holds.js';
import { createRetentionActivities } from './retention.js';
import type { ServiceEndpoint } from './service-client.js';
import type { TrackOpener } from '../services/track-client/track-opener.js';
import { createUnpaidAdvanceActivities } from './unpaid-advances.js';

export interface ActivityDependencies {
  readonly db: Kysely<Database>;
  /** The letter, bank and municipality services, each with the credential it asks of the worker. */
  readonly letters: ServiceEndpoint;
  readonly bank: ServiceEndpoint;
  readonly municipality: ServiceEndpoint;
  /** The bailiff offices' drop folders (one subfolder per office). */
  readonly bailiffOutboxDir: string;
  /** Claims filed with WSNP administrators and bankruptcy trustees; next to the bailiff outbox unless set. */
  readonly claimFilingOutboxDir?: string;
  /** Opens or extends a contract's track: an unpaid advance becomes a claim on it (the worker's own Temporal client). */
  readonly trackOpener: TrackOpener;
  /** The worker's own Temporal client: a collection run's debits are told to their advance accounts from an activity. */
  readonly client?: Client;
}

/** Every activity the worker registers, with its dependencies injected. */
export function createActivities(deps: ActivityDependencies) {
  const corporation = createCorporationActivities(deps.db);
  const policy = createCollectionPolicyActivities(deps.db);
  const holds = createHoldActivities(deps.db);
  return {
    /**
     * What a new track needs before its first step, in one round trip instead of three: each
     * activity is a workflow task and a history event or two, and track starts are the API's
     * hot path (npm run bench).
     */
    async loadTrackSetup(corporationId: string, segment: string) {
      const [settings, versionedPolicy, activeHolds] = await Promise.all([
        corporation.loadCorporationSettings(corporationId),
        policy.loadCollectionPolicy(corporationId),
        holds.activeHolds(corporationId, segment),
      ]);
      return { settings, policy: versionedPolicy, activeHolds };
    },
    ...createLetterActivities(deps.letters),
    ...createBankActivities(deps.bank),
    ...corporation,
    ...policy,
    ...createMunicipalityActivities(deps.municipality),
    ...createBailiffActivities(deps.db, deps.bailiffOutboxDir),
    ...createClaimFilingActivities(deps.db, deps.claimFilingOutboxDir ?? join(dirname(deps.bailiffOutboxDir), 'claim-filings')),
    ...createTaskActivities(deps.db),
    ...createEarlyWarningActivities(deps.db, deps.municipality),
    ...holds,
    ...createCaseEventActivities(deps.db),
    ...createRetentionActivities(deps.db),
    ...createDirectDebitActivities(deps.db, deps.letters, deps.bank, deps.client),
    ...createUnpaidAdvanceActivities(deps.db, deps.trackOpener),
  };
}

export type Activities = ReturnType<typeof createActivities>;
