import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { notFound } from '../../http/errors.js';
import { collectionKpis } from '../kpis.js';
import { kpiContracts } from '../requests/kpis.js';
import { mountRoute } from './mount-route.js';

/** GET /v1/kpis (api.md): the reference process's KPIs for a corporation over a period. */
export function kpiRoutes(db: Kysely<Database>): Router {
  const router = Router();
  mountRoute(router, kpiContracts.kpis, async ({ query: { corporationId, from, to } }, res) => {
    const kpis = await collectionKpis(db, corporationId, from, to);
    if (!kpis) throw notFound(`no corporation ${corporationId}`);
    res.json(kpis);
  });
  return router;
}
