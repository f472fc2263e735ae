import { createDatabase } from '../../infra/db/connection.js';
import { connectClient } from '../../infra/temporal/connect.js';
import { loadConfigOrExit } from '../../shared/config.js';
import { closeOnSignal, listen } from '../http/serve.js';
import { createApiApp } from './api-app.js';
import { localUiOrigins } from './routes/codec.js';

const config = loadConfigOrExit();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL is required for the API');
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
});
const server = await listen(app, config.PORT, '0.0.0.0');
console.log(`API listening on port ${config.PORT}${config.SIMULATION ? ' (simulation)' : ''}`);
closeOnSignal(async () => {
  await server.close();
  await connection.close();
  await db.destroy();
});
