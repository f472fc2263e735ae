import type { Client, Connection } from '@temporalio/client';
import express from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { defaultEngineTimeoutMs, defaultHealthTimeoutMs, defaultRateLimitPerMinute } from '../../shared/config.js';
import { observeHttp } from '../../infra/observability/http-observability.js';
import { errorHandler, notFoundHandler } from '../http/errors.js';
import { acceptBodiesOf } from '../http/json-bodies.js';
import { authenticate } from './auth.js';
import { boundEngineCalls } from '../track-client/engine-deadline.js';
import type { ServiceUrls } from './health-checks.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { auditRoutes } from './routes/audit.js';
import { letterRoutes } from './routes/letters.js';
import { letterChannelRoutes } from './routes/letter-channels.js';
import { bankRoutes } from './routes/bank.js';
import { paymentLinkRoutes, paymentProviderWebhookRoutes } from './routes/payment-links.js';
import type { PaymentProviderSettings } from '../payment-links/payment-link-service.js';
import { apiRouteContracts } from './requests/api-routes.js';
import { calculationRoutes } from './routes/calculations.js';
import { caseDebtorRoutes } from './routes/case-debtor.js';
import { caseDecisionRoutes } from './routes/case-decisions.js';
import { personalDataRoutes } from './routes/personal-data.js';
import { rateLimitPerKey } from './rate-limit.js';
import { caseSearchRoutes } from './routes/case-search.js';
import { codecRoutes, localUiOrigins, type CodecDependencies } from './routes/codec.js';
import { caseRoutes } from './routes/cases.js';
import { caseBatchBodies, caseBatchBodyTypes, caseBatchRoutes } from './routes/case-batch.js';
import { corporationRoutes } from './routes/corporations.js';
import { directDebitRoutes } from './routes/direct-debit.js';
import { directDebitWorkflowIds } from './direct-debit/workflow-ids.js';
import { holdRoutes } from './routes/holds.js';
import { kpiRoutes } from './routes/kpis.js';
import { metricsRoute } from './routes/metrics.js';
import { healthRoute, openApiRoute, simulationRoutes } from './routes/operations.js';
import { taskRoutes } from './routes/tasks.js';
import { SimulationClock } from './simulation-clock.js';
import { TrackClient } from '../track-client/track-client.js';
import { opsRoutes } from './ops/ops-routes.js';
import { keyOrSession, sessionCaller } from './ops/session-auth.js';

export interface ApiDependencies {
  readonly db: Kysely<Database>;
  readonly connection: Connection;
  readonly client: Client;
  readonly taskQueue: string;
  readonly simulation: boolean;
  /** Where /healthz finds the letter, bank and municipality services. */
  readonly serviceUrls: ServiceUrls;
  /** How long a request waits for the engine before a 503 (ENGINE_TIMEOUT_MS). */
  readonly engineTimeoutMs?: number;
  /** How long /healthz waits for each check (HEALTH_TIMEOUT_MS). */
  readonly healthTimeoutMs?: number;
  /** Requests per key per minute before a 429 (API_RATE_LIMIT_PER_MINUTE). */
  readonly rateLimitPerMinute?: number;
  /** Browser origins that may call the codec endpoint (CODEC_CORS_ORIGINS): the Temporal UI's; default the local one's. */
  readonly codecCorsOrigins?: readonly string[];
  /** The operations page's session for the codec endpoint, once there is one (routes/codec.ts). */
  readonly codecSession?: CodecDependencies['session'];
  /** The payment provider payment links are made at (interfaces.md §2); without one they answer 503. */
  readonly paymentProvider?: PaymentProviderSettings;
  /** The Temporal Web UI the operations page links tracks to (TEMPORAL_UI_URL). */
  readonly temporalUiUrl?: string;
  /** Express's trust proxy setting (TRUST_PROXY): behind a TLS proxy, req.secure and the Secure cookie follow X-Forwarded-Proto. */
  readonly trustProxy?: boolean | number | string;
}

/** The billing, bailiff and operations API: an express app without a socket, so tests can mount it. */
export function createApiApp(deps: ApiDependencies) {
  const { db, connection, client } = deps;
  const clock = deps.simulation
    ? new SimulationClock(connection, client, async () =>
        [...(await db.selectFrom('collection_case').select('workflow_id').execute()).map((r) => r.workflow_id), ...(await directDebitWorkflowIds(db))],
      )
    : undefined;
  const today = clock ? async () => (await clock.now()).today : async () => amsterdamDate(Date.now());
  // Every call to the engine is bounded: without a worker an update waits for ever.
  const tracks = boundEngineCalls(new TrackClient(client, deps.taskQueue, today), connection, deps.engineTimeoutMs ?? defaultEngineTimeoutMs);

  const app = express();
  app.disable('x-powered-by');
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);
  // First: every later line of a request carries its id, and every answer is counted (GET /metrics).
  observeHttp(app, { service: 'api', metricsRoute: false });
  // The operations page (HTML, its own form bodies) before the JSON API's body rules.
  app.use('/ops', opsRoutes({ db, today, ui: { url: deps.temporalUiUrl ?? 'http://localhost:8233', namespace: client.options.namespace } }));
  // A body of another type would reach the routes as no body at all: 415 says why. A route whose
  // contract declares another media type (a bank file) takes that one, as text, up to its limit.
  const otherBodies = apiRouteContracts.filter((c) => c.body?.mediaType);
  app.use(acceptBodiesOf(['application/json'], { ...Object.fromEntries(otherBodies.map((c) => [c.path, [c.body!.mediaType!]])), ...caseBatchBodyTypes }));
  for (const contract of otherBodies) {
    const readText = express.text({ type: contract.body!.mediaType!, limit: `${contract.body!.limitMb ?? 1}mb` });
    // A middleware, not a route: the router's routes stay those the contracts mount.
    app.use((req, res, next) => (req.path === contract.path && req.method === contract.method.toUpperCase() ? readText(req, res, next) : next()));
  }
  // Before the JSON parser: its signature is checked over the body's bytes as sent.
  app.use(paymentProviderWebhookRoutes({ db, tracks, provider: deps.paymentProvider }));
  // A batch of cases is larger than 1 MB, or NDJSON.
  app.use(caseBatchBodies());
  app.use(express.json({ limit: '1mb' }));
  app.use(
    healthRoute({
      db,
      connection,
      namespace: client.options.namespace,
      taskQueue: deps.taskQueue,
      serviceUrls: deps.serviceUrls,
      timeoutMs: deps.healthTimeoutMs ?? defaultHealthTimeoutMs,
    }),
  );
  app.use(openApiRoute());
  app.use(metricsRoute());
  // Outside /v1: the Temporal UI and CLI call it as {endpoint}/decode; it authenticates on its own, after CORS.
  app.use(codecRoutes({ db, client, corsOrigins: deps.codecCorsOrigins ?? localUiOrigins(8233), session: deps.codecSession ?? sessionCaller(db, { requireCsrf: false }) }));
  // A key, or the operations page's session with its CSRF header (ops/session-auth.ts).
  app.use('/v1', keyOrSession(db, authenticate(db)));
  app.use('/v1', rateLimitPerKey(deps.rateLimitPerMinute ?? defaultRateLimitPerMinute));
  app.use(caseSearchRoutes(db));
  app.use(caseRoutes({ db, tracks, today }));
  app.use(caseBatchRoutes({ db, tracks }));
  app.use(caseDebtorRoutes(db));
  app.use(personalDataRoutes(db));
  app.use(caseDecisionRoutes({ db, tracks, today }));
  app.use(taskRoutes({ db, tracks, today }));
  app.use(holdRoutes({ db, client, today, bound: (target) => boundEngineCalls(target, connection, deps.engineTimeoutMs ?? defaultEngineTimeoutMs) }));
  app.use(corporationRoutes(db));
  app.use(kpiRoutes(db));
  app.use(calculationRoutes());
  app.use(apiKeyRoutes(db));
  app.use(auditRoutes(db));
  app.use(letterRoutes(db));
  app.use(letterChannelRoutes({ db, tracks, today }));
  app.use(bankRoutes({ db, tracks }));
  app.use(paymentLinkRoutes({ db, tracks, provider: deps.paymentProvider }));
  app.use(directDebitRoutes({ db, client, taskQueue: deps.taskQueue, today, tracks }));
  app.use(simulationRoutes(clock));
  app.use(notFoundHandler);
  app.use(errorHandler());
  return app;
}
