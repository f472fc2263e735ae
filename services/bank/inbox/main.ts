import { join } from 'node:path';
import { createDatabase } from '../../../infra/db/connection.js';
import { configureProcessLogger } from '../../../infra/observability/logger.js';
import { dataDir } from '../../../infra/paths.js';
import { connectClient } from '../../../infra/temporal/connect.js';
import { amsterdamDate } from '../../../shared/calendar/amsterdam-clock.js';
import { loadConfigOrExit } from '../../../shared/config.js';
import { boundEngineCalls } from '../../track-client/engine-deadline.js';
import { TrackClient } from '../../track-client/track-client.js';
import { serveMetrics } from '../../http/metrics-server.js';
import { closeOnSignal, type ListeningServer } from '../../http/serve.js';
import { BankInbox } from './bank-inbox.js';

/**
 * The drop-folder watcher as a process of its own (`npm start` and docker-compose run one): it
 * books payments on the tracks, so it holds a Temporal client and the PAYLOAD_KEYS as the API
 * does, and none of the API's doors. Its lines are JSON with personal data scrubbed, and its
 * counts (files by outcome, lines by fate) are served at /metrics on BANK_INBOX_METRICS_PORT.
 */
const config = loadConfigOrExit();
const log = configureProcessLogger('bank inbox');
if (!config.DATABASE_URL) {
  log.fatal('DATABASE_URL is required for the bank inbox');
  process.exit(2);
}
let metrics: ListeningServer | null;
try {
  metrics = config.BANK_INBOX_METRICS_PORT > 0 ? await serveMetrics({ service: 'bank-inbox', port: config.BANK_INBOX_METRICS_PORT, host: config.SERVICE_BIND_HOST }) : null;
} catch (error) {
  // A second watcher on one machine finds the port taken: it says which variable to change.
  log.fatal(`the bank inbox's metrics cannot be served on port ${config.BANK_INBOX_METRICS_PORT}: ${(error as Error).message}; set BANK_INBOX_METRICS_PORT to another port, or 0 for none`);
  process.exit(2);
}
const db = createDatabase(config.DATABASE_URL, { max: 2 });
const { connection, client } = await connectClient(config);
// The track's clock is asked only for status queries, which the import does not make.
const tracks = boundEngineCalls(new TrackClient(client, config.TEMPORAL_TASK_QUEUE, async () => amsterdamDate(Date.now())), connection, config.ENGINE_TIMEOUT_MS);
const root = join(dataDir, 'inbox', 'bank');
// A file that failed or was put back is a warning: someone may have to look at it.
const inbox = new BankInbox({ db, tracks, root, log: (line) => (/: failed: |failed, again next pass|scan failed/.test(line) ? log.warn(line) : log.info(line)) });
await inbox.start();
log.info({ metrics: metrics ? `${metrics.url}/metrics` : null }, `bank inbox watching ${root}/<corporationId>/`);
closeOnSignal(async () => {
  await inbox.stop();
  await metrics?.close();
  await connection.close();
  await db.destroy();
});
