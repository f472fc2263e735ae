import { Router, type RequestHandler } from 'express';
import { notFound } from '../../http/errors.js';
import { checkHealth, type HealthDependencies } from '../health-checks.js';
import { openApiDocument } from '../openapi.js';
import { operationContracts as contracts } from '../requests/operations.js';
import type { SimulationClock } from '../simulation-clock.js';
import { mountRoute } from './mount-route.js';

/**
 * 200 only when everything a case needs is there: Temporal, Postgres, a worker polling the task
 * queue and the letter, bank and municipality services; 503 with what is missing otherwise.
 */
export function healthRoute(deps: HealthDependencies): Router {
  const router = Router();
  mountRoute(router, contracts.health, async (_input, res) => {
    const health = await checkHealth(deps);
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });
  return router;
}

/** The OpenAPI document of the whole API, without a key (mounted before authentication). */
export function openApiRoute(): Router {
  const router = Router();
  mountRoute(router, contracts.openApiDocument, (_input, res) => {
    res.json(openApiDocument());
  });
  return router;
}

/** Clock control for SIMULATION=1; outside simulation these routes answer 404 as api.md says. */
export function simulationRoutes(clock: SimulationClock | undefined): Router {
  const router = Router();
  const requireSimulation = () => {
    if (!clock) throw notFound('simulation is off: start with SIMULATION=1');
    return clock;
  };
  // Before the body is parsed: outside simulation the answer is 404, whatever was sent.
  const simulationOn: RequestHandler = (_req, _res, next) => {
    requireSimulation();
    next();
  };
  mountRoute(router, contracts.simulatedNow, async (_input, res) => {
    res.json(await requireSimulation().now());
  });
  mountRoute(router, contracts.advanceSimulation, async ({ body: { days } }, res) => {
    res.json(await requireSimulation().advance(days));
  }, [simulationOn]);
  return router;
}
