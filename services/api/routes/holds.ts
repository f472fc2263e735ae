import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { parseInput } from '../../http/errors.js';
import { allow, callerOf } from '../auth.js';
import { createHoldRequestSchema, holdIdParamsSchema, holdListQuerySchema, HoldService } from '../holds.js';

export interface HoldRoutesDeps {
  readonly db: Kysely<Database>;
  readonly client: Client;
  /** Today's Amsterdam date: the real clock, or the simulation's. */
  readonly today: () => Promise<string>;
}

/**
 * Segment-wide holds: an operator pauses every running track of a corporation (one segment, or
 * the tracks an extra query picks) with one batch signal, and releases them again; the tracks
 * add the days of the hold to their terms.
 */
export function holdRoutes({ db, client, today }: HoldRoutesDeps): Router {
  const router = Router();
  const holds = new HoldService(db, client, today);

  router.post('/v1/holds', allow('operator'), async (req, res) => {
    const request = parseInput(createHoldRequestSchema, req.body, 'hold');
    const { created, hold } = await holds.create(request, callerOf(res.locals).actor);
    res.status(created ? 201 : 200).json(hold);
  });

  router.get('/v1/holds', allow('operator', 'approver', 'admin'), async (req, res) => {
    const filter = parseInput(holdListQuerySchema, req.query, 'query');
    res.json({ holds: await holds.list(filter) });
  });

  router.get('/v1/holds/:holdId', allow('operator', 'approver', 'admin'), async (req, res) => {
    const { holdId } = parseInput(holdIdParamsSchema, req.params, 'path');
    res.json(await holds.get(holdId));
  });

  router.delete('/v1/holds/:holdId', allow('operator'), async (req, res) => {
    const { holdId } = parseInput(holdIdParamsSchema, req.params, 'path');
    res.json(await holds.release(holdId, callerOf(res.locals).actor));
  });

  return router;
}
