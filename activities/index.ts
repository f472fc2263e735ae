import type { Kysely } from 'kysely';
import type { Database } from '../infra/db/database.js';
import { createBankActivities } from './bank.js';
import { createCorporationActivities } from './corporation-settings.js';
import { createLetterActivities } from './letters.js';

export interface ActivityDependencies {
  readonly db: Kysely<Database>;
  readonly lettersUrl: string;
  readonly bankUrl: string;
  readonly municipalityUrl: string;
}

/** Every activity the worker registers, with its dependencies injected. */
export function createActivities(deps: ActivityDependencies) {
  return {
    ...createLetterActivities(deps.lettersUrl),
    ...createBankActivities(deps.bankUrl),
    ...createCorporationActivities(deps.db),
  };
}

export type Activities = ReturnType<typeof createActivities>;
