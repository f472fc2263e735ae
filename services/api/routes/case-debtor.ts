import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { notFound } from '../../http/errors.js';
import { callerOf } from '../auth.js';
import { debtorDetails, storeDebtorVersion } from '../../case-intake/debtor-versions.js';
import { caseContracts } from '../requests/cases.js';
import { mountRoute } from './mount-route.js';

/**
 * The one way to change the debtor of a case (a repeated POST /v1/cases may not): each change is a
 * new version with who made it, and letters record the version they were addressed with. Postgres
 * only: the track holds no personal data, so it need not know.
 */
export function caseDebtorRoutes(db: Kysely<Database>): Router {
  const router = Router();

  mountRoute(router, caseContracts.changeDebtor, async ({ params: { caseId }, body: debtor }, res) => {
    const actor = callerOf(res.locals).actor;
    const change = await db.transaction().execute(async (trx) => {
      // The case row's lock, as POST /v1/cases takes it: one change of a case at a time.
      const row = await trx.selectFrom('collection_case').select('case_id').where('case_id', '=', caseId).forUpdate().executeTakeFirst();
      if (!row) throw notFound(`no case ${caseId}`);
      return storeDebtorVersion(trx, caseId, debtorDetails(debtor), actor);
    });
    res.json({ caseId, debtorVersion: change.debtorVersion, changed: change.changed });
  });

  return router;
}
