import { Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../infra/db/database.js';
import { compareIsoDates, daysBetween, isoDateSchema } from '../../../shared/calendar/iso-date.js';
import { idPartPattern } from '../../../shared/track/workflow-id.js';
import { notFound, parseInput } from '../../http/errors.js';
import { allow } from '../auth.js';
import { collectionKpis } from '../kpis.js';

export const kpiQuerySchema = z
  .object({ corporationId: z.string().regex(idPartPattern), from: isoDateSchema, to: isoDateSchema })
  .refine((q) => compareIsoDates(q.from, q.to) <= 0, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => daysBetween(q.from, q.to) <= 5 * 366, { message: 'a period of at most five years', path: ['to'] });

/** GET /v1/kpis (api.md): the reference process's KPIs for a corporation over a period. */
export function kpiRoutes(db: Kysely<Database>): Router {
  const router = Router();
  router.get('/v1/kpis', allow('operator', 'approver', 'admin'), async (req, res) => {
    const { corporationId, from, to } = parseInput(kpiQuerySchema, req.query, 'query');
    const kpis = await collectionKpis(db, corporationId, from, to);
    if (!kpis) throw notFound(`no corporation ${corporationId}`);
    res.json(kpis);
  });
  return router;
}
