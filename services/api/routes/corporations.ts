import { Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../infra/db/database.js';
import { idPartPattern } from '../../../shared/track/workflow-id.js';
import { latestPolicy, policyVersion, storePolicy } from '../../../infra/db/collection-policy-store.js';
import { collectionPolicySchema } from '../../../shared/policy/collection-policy.js';
import { notFound, parseInput } from '../../http/errors.js';
import { allow, callerOf } from '../auth.js';
import { corporationRequestSchema } from '../case-requests.js';
import { integerQuery } from '../../http/query-params.js';

async function requireCorporation(db: Kysely<Database>, corporationId: string): Promise<void> {
  const row = await db.selectFrom('corporation').select('corporation_id').where('corporation_id', '=', corporationId).executeTakeFirst();
  if (!row) throw notFound(`no corporation ${corporationId}`);
}

export async function upsertCorporation(
  db: Kysely<Database>,
  corporationId: string,
  settings: { name: string; vatSurcharge: boolean; bailiffOfficeId?: string | null; rentedUnits?: number | null },
): Promise<void> {
  const values = { name: settings.name, vat_surcharge: settings.vatSurcharge, bailiff_office_id: settings.bailiffOfficeId ?? null, rented_units: settings.rentedUnits ?? null };
  await db
    .insertInto('corporation')
    .values({ corporation_id: corporationId, ...values })
    .onConflict((oc) => oc.column('corporation_id').doUpdateSet(values))
    .execute();
}

const corporationParams = z.object({ corporationId: z.string().regex(idPartPattern) });
const versionParams = corporationParams.extend({ version: integerQuery(0, 1_000_000) });

export function corporationRoutes(db: Kysely<Database>): Router {
  const router = Router();

  /** A new version of the corporation's collection policy; running tracks adopt it at their next safe point. */
  router.put('/v1/corporations/:corporationId/policy', allow('admin'), async (req, res) => {
    const { corporationId } = parseInput(corporationParams, req.params, 'path');
    const policy = parseInput(collectionPolicySchema, req.body, 'policy');
    const result = await storePolicy(db, corporationId, policy, callerOf(res.locals).actor);
    if (!result) throw notFound(`no corporation ${corporationId}`);
    res.status(result.stored ? 201 : 200).json(result.policy);
  });

  router.get('/v1/corporations/:corporationId/policy', allow('operator', 'approver', 'admin'), async (req, res) => {
    const { corporationId } = parseInput(corporationParams, req.params, 'path');
    await requireCorporation(db, corporationId);
    res.json(await latestPolicy(db, corporationId));
  });

  router.get('/v1/corporations/:corporationId/policy/versions/:version', allow('operator', 'approver', 'admin'), async (req, res) => {
    const { corporationId, version } = parseInput(versionParams, req.params, 'path');
    await requireCorporation(db, corporationId);
    const stored = await policyVersion(db, corporationId, version);
    if (!stored) throw notFound(`corporation ${corporationId} has no policy version ${version}`);
    res.json(stored);
  });

  router.put('/v1/corporations/:corporationId', allow('admin'), async (req, res) => {
    const { corporationId } = parseInput(corporationParams, req.params, 'path');
    const settings = parseInput(corporationRequestSchema, req.body, 'corporation');
    await upsertCorporation(db, corporationId, settings);
    res.json({ corporationId, ...settings });
  });
  return router;
}
