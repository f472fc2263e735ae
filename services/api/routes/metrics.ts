import { Router } from 'express';
import { metricsRegistry } from '../../../infra/observability/metrics.js';
import { metricsContracts as contracts } from '../requests/metrics.js';
import { mountRoute } from './mount-route.js';

/** The process's metrics for Prometheus, before authentication (the services serve theirs through http-observability.ts). */
export function metricsRoute(): Router {
  const router = Router();
  mountRoute(router, contracts.metrics, async (_input, res) => {
    res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
  return router;
}
