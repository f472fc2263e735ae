import express, { type Express, type Router } from 'express';
import { errorHandler, HttpError, notFoundHandler } from './errors.js';
import { requireServiceCredential } from './service-credential.js';

export interface ServiceAppOptions {
  /** The largest JSON body the service takes. */
  readonly jsonLimit: string;
  /** Throws when the service cannot work (its database unreachable): GET /healthz then answers 503. */
  readonly checkHealth: () => Promise<unknown>;
  /** The secret every caller presents (shared/config.ts names one per service); only /healthz goes without. */
  readonly secret: string;
}

/**
 * The express app of one of our outside-system services (letters, bank, municipality): GET
 * /healthz, then the credential check before anything else (before the body is parsed, before a
 * route or a 404 tells what exists), JSON in, the service's routes, and api.md's error shape for
 * everything that goes wrong.
 */
export function serviceApp({ jsonLimit, checkHealth, secret }: ServiceAppOptions, routes: Router): Express {
  const app = express();
  // Open to the stack's health checks, so it says whether the service works and nothing more:
  // the database's error (host, user, driver text) goes to the log only.
  app.get('/healthz', async (_req, res) => {
    try {
      await checkHealth();
    } catch (error) {
      console.error(`health check failed: ${error instanceof Error ? error.message : String(error)}`);
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
