import { join } from 'node:path';
import { createDatabase } from '../../infra/db/connection.js';
import { dataDir } from '../../infra/paths.js';
import { connectWorker } from '../../infra/temporal/connect.js';
import { loadConfigOrExit } from '../../shared/config.js';
import { createWorker } from './create-worker.js';

const config = loadConfigOrExit();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL is required for the worker');
  process.exit(2);
}
const db = createDatabase(config.DATABASE_URL);
const connection = await connectWorker(config);
const worker = await createWorker({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  db,
  lettersUrl: config.lettersUrl,
  bankUrl: config.bankUrl,
  municipalityUrl: config.municipalityUrl,
  bailiffOutboxDir: join(dataDir, 'outbox', 'bailiff'),
});
console.log(`worker polling task queue ${config.TEMPORAL_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS}`);
// The SDK installs its own SIGINT/SIGTERM handlers that shut the worker down gracefully.
try {
  await worker.run();
} finally {
  await connection.close();
  await db.destroy();
}
