import { join } from 'node:path';
import { createDatabase } from '../infra/db/connection.js';
import { dataDir } from '../infra/paths.js';
import { connectClient, connectWorker, payloadKeysOrExit } from '../infra/temporal/connect.js';
import { loadConfigOrExit } from '../shared/config.js';
import { createWorker } from './create-worker.js';
import { ensureRetentionSchedule } from './retention-schedule.js';

const config = loadConfigOrExit();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL is required for the worker');
  process.exit(2);
}
const missingSecrets = (['LETTERS_SERVICE_SECRET', 'BANK_SERVICE_SECRET', 'MUNICIPALITY_SERVICE_SECRET'] as const).filter((name) => !config[name]);
if (missingSecrets.length > 0) {
  console.error(`${missingSecrets.join(', ')} required: the worker presents each service's secret when it calls it`);
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
});
// The daily retention job (AVG) is a Schedule the server keeps; the time-skipping server of
// simulation has no schedules, so a failure here is told, not fatal to collection.
const scheduling = await connectClient(config);
try {
  console.log(`retention schedule ${await ensureRetentionSchedule(scheduling.client, config.TEMPORAL_TASK_QUEUE)}`);
} catch (error) {
  console.warn(`retention schedule not set up, personal data of closed cases is not being anonymised: ${(error as Error).message}`);
} finally {
  await scheduling.connection.close();
}
console.log(`worker polling task queue ${config.TEMPORAL_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS}`);
// The SDK installs its own SIGINT/SIGTERM handlers that shut the worker down gracefully.
try {
  await worker.run();
} finally {
  await connection.close();
  await db.destroy();
}
