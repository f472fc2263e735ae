import express, { type Express, type Router } from 'express';
import { observeHttp } from '../../infra/observability/http-observability.js';
import { log } from '../../infra/observability/logger.js';
import { errorHandler, HttpError, notFoundHandler } from './errors.js';
import { requireServiceCredential } from './service-credential.js';

export interface ServiceAppOptions {
  /** Its label on the HTTP metrics: "letters", "bank", "municipality". */
  readonly service: string;
  /** The largest JSON body the service takes. */
  readonly jsonLimit: string;
  /** Throws when the service cannot work (its database unreachable): GET /healthz then answers 503. */
  readonly checkHealth: () => Promise<unknown>;
  /** The secret every caller presents (shared/config.ts names one per service); only /healthz goes without. */
  readonly secret: string;
}

/**
 * The express app of one of our outside-system services (letters, bank, municipality): request
 * logging with a request id and the HTTP metrics (infra/observability), GET /metrics and GET
 * /healthz, then the credential check before anything else (before the body is parsed, before a
 * route or a 404 tells what exists), JSON in, the service's routes, and api.md's error shape for
 * everything that goes wrong.
 */
export function serviceApp({ service, jsonLimit, checkHealth, secret }: ServiceAppOptions, routes: Router): Express {
  const app = express();
  observeHttp(app, { service });
  // Open to the stack's health checks, so it says whether the service works and nothing more:
  // the database's error (host, user, driver text) goes to the log only.
  app.get('/healthz', async (_req, res) => {
    try {
      await checkHealth();
    } catch (error) {
      log().error({ err: error }, 'health check failed');
      throw new HttpError(503, 'unavailable', 'the service cannot work now', [], { 'retry-after': '5' });
    }
    res.json({ status: 'ok' });
  });
  app.use(requireServiceCredential(secret));
  app.use(express.json({ limit: jsonLimit }));
  app.use(routes);

  app.use(notFoundHandler);
  app.use(errorHandler());
  return app;
}
