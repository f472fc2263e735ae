import { join } from 'node:path';
import { createDatabase } from '../infra/db/connection.js';
import { dataDir } from '../infra/paths.js';
import { connectClient, connectWorker, payloadKeysOrExit } from '../infra/temporal/connect.js';
import { loadConfigOrExit } from '../shared/config.js';
import { configureProcessLogger } from '../infra/observability/logger.js';
import { createWorker } from './create-worker.js';
import { ensureRetentionSchedule } from './retention-schedule.js';
import { installWorkerRuntime } from './runtime-telemetry.js';

const config = loadConfigOrExit();
const log = configureProcessLogger('worker');
if (!config.DATABASE_URL) {
  log.fatal('DATABASE_URL is required for the worker');
  process.exit(2);
}
const missingSecrets = (['LETTERS_SERVICE_SECRET', 'BANK_SERVICE_SECRET', 'MUNICIPALITY_SERVICE_SECRET'] as const).filter((name) => !config[name]);
if (missingSecrets.length > 0) {
  log.fatal(`${missingSecrets.join(', ')} required: the worker presents each service's secret when it calls it`);
  process.exit(2);
}
// Before the first connection: the SDK's runtime is made once per process.
const metricsAddress = config.WORKER_METRICS_PORT > 0 ? `${config.SERVICE_BIND_HOST}:${config.WORKER_METRICS_PORT}` : undefined;
try {
  installWorkerRuntime({ logger: log, metricsAddress });
} catch (error) {
  // A second worker on one machine finds the port taken: it says which variable to change.
  log.fatal(`the worker's metrics cannot be served on ${metricsAddress}: ${(error as Error).message}; set WORKER_METRICS_PORT to another port, or 0 for none`);
  process.exit(2);
}
const db = createDatabase(config.DATABASE_URL);
const connection = await connectWorker(config);
const worker = await createWorker({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  db,
  letters: { url: config.lettersUrl, secret: config.LETTERS_SERVICE_SECRET! },
  bank: { url: config.bankUrl, secret: config.BANK_SERVICE_SECRET! },
  municipality: { url: config.municipalityUrl, secret: config.MUNICIPALITY_SERVICE_SECRET! },
  bailiffOutboxDir: join(dataDir, 'outbox', 'bailiff'),
  payloadKeys: payloadKeysOrExit(config),
  // A bundle built once (the drills restart workers many times): no ~7 s of bundling per start.
  ...(config.WORKFLOW_BUNDLE ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE } } : {}),
});
// The daily retention job (AVG) is a Schedule the server keeps; the time-skipping server of
// simulation has no schedules, so a failure here is told, not fatal to collection.
const scheduling = await connectClient(config);
try {
  log.info(`retention schedule ${await ensureRetentionSchedule(scheduling.client, config.TEMPORAL_TASK_QUEUE)}`);
} catch (error) {
  log.warn(`retention schedule not set up, personal data of closed cases is not being anonymised: ${(error as Error).message}`);
} finally {
  await scheduling.connection.close();
}
log.info({ metrics: metricsAddress ? `http://${metricsAddress}/metrics` : null }, `worker polling task queue ${config.TEMPORAL_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS}`);
// The SDK installs its own SIGINT/SIGTERM handlers that shut the worker down gracefully.
try {
  await worker.run();
} finally {
  await connection.close();
  await db.destroy();
}
