import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { latestPolicy, policyVersion, storePolicy } from '../../../infra/db/collection-policy-store.js';
import { bailiffOfficeExists, upsertCorporation } from '../../../infra/db/corporation-store.js';
import { invalidInput, notFound, unprocessable } from '../../http/errors.js';
import { logoPrintProblem } from '../../letters/templates/letter-pdf.js';
import { callerOf } from '../auth.js';
import { corporationContracts as contracts } from '../requests/corporations.js';
import { mountRoute } from './mount-route.js';

async function requireCorporation(db: Kysely<Database>, corporationId: string): Promise<void> {
  const row = await db.selectFrom('corporation').select('corporation_id').where('corporation_id', '=', corporationId).executeTakeFirst();
  if (!row) throw notFound(`no corporation ${corporationId}`);
}

export function corporationRoutes(db: Kysely<Database>): Router {
  const router = Router();

  /** A new version of the corporation's collection policy; running tracks adopt it at their next safe point. */
  mountRoute(router, contracts.putPolicy, async ({ params: { corporationId }, body: policy }, res) => {
    const result = await storePolicy(db, corporationId, policy, callerOf(res.locals).actor);
    if (!result) throw notFound(`no corporation ${corporationId}`);
    res.status(result.stored ? 201 : 200).json(result.policy);
  });

  mountRoute(router, contracts.getPolicy, async ({ params: { corporationId } }, res) => {
    await requireCorporation(db, corporationId);
    res.json(await latestPolicy(db, corporationId));
  });

  mountRoute(router, contracts.getPolicyVersion, async ({ params: { corporationId, version } }, res) => {
    await requireCorporation(db, corporationId);
    const stored = await policyVersion(db, corporationId, version);
    if (!stored) throw notFound(`corporation ${corporationId} has no policy version ${version}`);
    res.json(stored);
  });

  mountRoute(router, contracts.putCorporation, async ({ params: { corporationId }, body: settings }, res) => {
    if (settings.bailiffOfficeId !== null && !(await bailiffOfficeExists(db, settings.bailiffOfficeId))) {
      throw unprocessable('unknown_bailiff_office', `bailiff office ${settings.bailiffOfficeId} is not configured`);
    }
    // A good signature on a damaged image would fail every letter later: it is printed once here.
    const problem = settings.logo ? await logoPrintProblem(settings.logo) : null;
    if (problem) throw invalidInput('corporation', [{ path: ['logo'], code: 'custom', message: `the logo cannot be printed: ${problem}` }]);
    await upsertCorporation(db, corporationId, settings);
    const { logo, ...rest } = settings;
    res.json({ corporationId, ...rest, logo: logo ? { type: logo.type, bytes: logo.data.length } : null });
  });
  return router;
}
