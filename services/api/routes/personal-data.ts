import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { personalDataOf } from '../personal-data-export.js';
import { personalDataContracts } from '../requests/personal-data.js';
import { mountRoute } from './mount-route.js';

/**
 * The tenant's right of access (AVG art. 15): what we hold about the debtor of one case. The
 * contract's scope answers 404 for a case of another corporation, and its audit writes who read it.
 */
export function personalDataRoutes(db: Kysely<Database>): Router {
  const router = Router();
  mountRoute(router, personalDataContracts.exportPersonalData, async ({ params: { caseId } }, res) => {
    res.json(await personalDataOf(db, caseId));
  });
  return router;
}
