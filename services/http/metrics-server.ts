import express from 'express';
import { observeHttp } from '../../infra/observability/http-observability.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { listen, type ListeningServer } from './serve.js';

/**
 * GET /metrics (and /healthz) for a process that has no HTTP doors of its own, such as a drop
 * folder's watcher: Prometheus scrapes it as it scrapes the API and the services
 * (infra/compose/prometheus.yml). Only counts, never data; on SERVICE_BIND_HOST, loopback unless set.
 */
export function serveMetrics({ service, port, host }: { service: string; port: number; host?: string }): Promise<ListeningServer> {
  const app = express();
  app.disable('x-powered-by');
  observeHttp(app, { service });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(notFoundHandler);
  app.use(errorHandler());
  return listen(app, port, host);
}
