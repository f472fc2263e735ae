import { Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../infra/db/database.js';
import { idPartPattern } from '../../../shared/track/workflow-id.js';
import { parseInput } from '../../http/errors.js';
import { allow } from '../auth.js';
import { corporationRequestSchema } from '../case-requests.js';

export async function upsertCorporation(
  db: Kysely<Database>,
  corporationId: string,
  settings: { name: string; vatSurcharge: boolean; bailiffOfficeId?: string | null },
): Promise<void> {
  const values = { name: settings.name, vat_surcharge: settings.vatSurcharge, bailiff_office_id: settings.bailiffOfficeId ?? null };
  await db
    .insertInto('corporation')
    .values({ corporation_id: corporationId, ...values })
    .onConflict((oc) => oc.column('corporation_id').doUpdateSet(values))
    .execute();
}

export function corporationRoutes(db: Kysely<Database>): Router {
  const router = Router();
  router.put('/v1/corporations/:corporationId', allow('admin'), async (req, res) => {
    const { corporationId } = parseInput(z.object({ corporationId: z.string().regex(idPartPattern) }), req.params, 'path');
    const settings = parseInput(corporationRequestSchema, req.body, 'corporation');
    await upsertCorporation(db, corporationId, settings);
    res.json({ corporationId, ...settings });
  });
  return router;
}
