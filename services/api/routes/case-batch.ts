import express, { Router, type RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { openCases, requireSomethingTaken, withinScope, type OpenCasesOptions } from '../../case-intake/open-cases.js';
import type { TrackOpener } from '../../track-client/track-opener.js';
import { noteAudit } from '../audit-trail.js';
import { callerOf, holdsCorporation } from '../auth.js';
import { batchLimitMb, batchMediaTypes, caseBatchContracts, caseBatchPath, ndjsonItems } from '../requests/case-batch.js';
import { mountRoute } from './mount-route.js';

/**
 * Reads a batch's body before the API's JSON parser (1 MB) would refuse it: JSON up to the
 * batch's limit, or NDJSON as one item per non-empty line, a line that is not JSON refused in its
 * place (requests/case-batch.ts). Mounted ahead of express.json() in api-app.ts.
 */
export function caseBatchBodies(): RequestHandler {
  const json = express.json({ limit: `${batchLimitMb}mb` });
  const ndjson = express.text({ type: 'application/x-ndjson', limit: `${batchLimitMb}mb` });
  return (req, res, next) => {
    if (req.method !== 'POST' || req.path !== caseBatchPath) return next();
    if (!req.is('application/x-ndjson')) return json(req, res, next);
    ndjson(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (typeof req.body === 'string') req.body = { cases: ndjsonItems(req.body) };
      next();
    });
  };
}

/** The media types the batch's path takes, for acceptBodiesOf. */
export const caseBatchBodyTypes: Readonly<Record<string, readonly string[]>> = { [caseBatchPath]: batchMediaTypes };

export interface CaseBatchDeps {
  readonly db: Kysely<Database>;
  readonly tracks: Pick<TrackOpener, 'openOrExtend'>;
  /** Tracks opened at once (BATCH_CONCURRENCY); see open-cases.ts. */
  readonly concurrency?: OpenCasesOptions['concurrency'];
}

export function caseBatchRoutes({ db, tracks, concurrency }: CaseBatchDeps): Router {
  const router = Router();
  mountRoute(router, caseBatchContracts.openCaseBatch, async ({ body }, res) => {
    const caller = callerOf(res.locals);
    // A corporation the key does not hold answers as one that does not exist (key-scope.ts), in the item's place.
    const items = withinScope(body.cases, (corporationId) => holdsCorporation(caller, corporationId));
    const answer = await openCases(db, tracks, items, { changedBy: caller.actor, ...(concurrency ? { concurrency } : {}) });
    requireSomethingTaken(answer);
    noteAudit(res, { detail: { ...answer.counts } });
    res.status(200).json(answer);
  });
  return router;
}

