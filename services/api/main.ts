import { createDatabase } from '../../infra/db/connection.js';
import { connectClient } from '../../infra/temporal/connect.js';
import { configureProcessLogger } from '../../infra/observability/logger.js';
import { loadConfigOrExit } from '../../shared/config.js';
import { closeOnSignal, listen } from '../http/serve.js';
import { createApiApp } from './api-app.js';
import { localUiOrigins } from './routes/codec.js';
import { paymentProviderFromConfig } from '../payment-links/payment-link-service.js';

const config = loadConfigOrExit();
// Links need the provider's key and its webhook secret; without them the API's links answer 503 and letters print none.
const paymentProvider = paymentProviderFromConfig(config);
const log = configureProcessLogger('api');
if (!config.DATABASE_URL) {
  log.fatal('DATABASE_URL is required for the API');
  process.exit(2);
}
const db = createDatabase(config.DATABASE_URL);
const { connection, client } = await connectClient(config);
const app = createApiApp({
  db,
  connection,
  client,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  simulation: config.SIMULATION,
  serviceUrls: { letters: config.lettersUrl, bank: config.bankUrl, municipality: config.municipalityUrl },
  engineTimeoutMs: config.ENGINE_TIMEOUT_MS,
  healthTimeoutMs: config.HEALTH_TIMEOUT_MS,
  codecCorsOrigins: config.CODEC_CORS_ORIGINS ?? localUiOrigins(config.TEMPORAL_UI_PORT),
  rateLimitPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
  ...(paymentProvider ? { paymentProvider } : {}),
  temporalUiUrl: config.TEMPORAL_UI_URL ?? `http://localhost:${config.TEMPORAL_UI_PORT}`,
  ...(config.TRUST_PROXY !== undefined ? { trustProxy: config.TRUST_PROXY } : {}),
});
const server = await listen(app, config.PORT, '0.0.0.0');
log.info({ metrics: `http://127.0.0.1:${config.PORT}/metrics` }, `API listening on port ${config.PORT}${config.SIMULATION ? ' (simulation)' : ''}`);
closeOnSignal(async () => {
  await server.close();
  await connection.close();
  await db.destroy();
});
