import type { Client, Connection } from '@temporalio/client';
import express from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { errorHandler, notFoundHandler } from '../http/errors.js';
import { authenticate } from './auth.js';
import { openApiDocument } from './openapi.js';
import { calculationRoutes } from './routes/calculations.js';
import { caseDecisionRoutes } from './routes/case-decisions.js';
import { caseRoutes } from './routes/cases.js';
import { corporationRoutes } from './routes/corporations.js';
import { holdRoutes } from './routes/holds.js';
import { kpiRoutes } from './routes/kpis.js';
import { healthRoute, simulationRoutes } from './routes/operations.js';
import { taskRoutes } from './routes/tasks.js';
import { SimulationClock } from './simulation-clock.js';
import { TrackClient } from './track-client.js';

export interface ApiDependencies {
  readonly db: Kysely<Database>;
  readonly connection: Connection;
  readonly client: Client;
  readonly taskQueue: string;
  readonly simulation: boolean;
}

/** The billing, bailiff and operations API: an express app without a socket, so tests can mount it. */
export function createApiApp(deps: ApiDependencies) {
  const { db, connection, client } = deps;
  const clock = deps.simulation
    ? new SimulationClock(connection, client, async () =>
        (await db.selectFrom('collection_case').select('workflow_id').execute()).map((r) => r.workflow_id),
      )
    : undefined;
  const today = clock ? async () => (await clock.now()).today : async () => amsterdamDate(Date.now());
  const tracks = new TrackClient(client, deps.taskQueue, today);

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.use(healthRoute(db, connection));
  app.get('/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  app.use('/v1', authenticate(db));
  app.use(caseRoutes({ db, tracks }));
  app.use(caseDecisionRoutes({ db, tracks, today }));
  app.use(taskRoutes({ db, tracks, today }));
  app.use(holdRoutes({ db, client, today }));
  app.use(corporationRoutes(db));
  app.use(kpiRoutes(db));
  app.use(calculationRoutes());
  app.use(simulationRoutes(clock));
  app.use(notFoundHandler);
  app.use(errorHandler());
  return app;
}
