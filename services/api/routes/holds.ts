import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { callerOf } from '../auth.js';
import { ofHeldCorporations } from '../key-scope.js';
import { HoldService } from '../holds/hold-service.js';
import { holdContracts } from '../requests/holds.js';
import { mountRoute } from './mount-route.js';

export interface HoldRoutesDeps {
  readonly db: Kysely<Database>;
  readonly client: Client;
  /** Today's Amsterdam date: the real clock, or the simulation's. */
  readonly today: () => Promise<string>;
  /** Bounds calls to Temporal by the API's engine deadline. */
  readonly bound?: <T extends object>(target: T) => T;
}

/**
 * Segment-wide holds: an operator pauses every running track of a corporation (one segment, or
 * the tracks an extra query picks) with one batch signal, and releases them again; the tracks
 * add the days of the hold to their terms.
 */
export function holdRoutes({ db, client, today, bound }: HoldRoutesDeps): Router {
  const router = Router();
  const holds = new HoldService(db, client, today, bound);

  mountRoute(router, holdContracts.createHold, async ({ body: request }, res) => {
    const { created, hold } = await holds.create(request, callerOf(res.locals).actor);
    res.status(created ? 201 : 200).json(hold);
  });

  mountRoute(router, holdContracts.listHolds, async ({ query: filter }, res) => {
    res.json({ holds: await holds.list(filter, ofHeldCorporations(callerOf(res.locals), 'corporation_id')) });
  });

  mountRoute(router, holdContracts.getHold, async ({ params: { holdId } }, res) => {
    res.json(await holds.get(holdId));
  });

  mountRoute(router, holdContracts.releaseHold, async ({ params: { holdId } }, res) => {
    res.json(await holds.release(holdId, callerOf(res.locals).actor));
  });

  return router;
}
