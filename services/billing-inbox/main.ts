import { join } from 'node:path';
import { createDatabase } from '../../infra/db/connection.js';
import { configureProcessLogger } from '../../infra/observability/logger.js';
import { dataDir } from '../../infra/paths.js';
import { connectClient } from '../../infra/temporal/connect.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { loadConfigOrExit } from '../../shared/config.js';
import { boundEngineCalls } from '../track-client/engine-deadline.js';
import { TrackClient } from '../track-client/track-client.js';
import { closeOnSignal } from '../http/serve.js';
import { BillingInbox } from './billing-inbox.js';

/**
 * Billing's drop folder as a process of its own (`npm start` and docker-compose run one): it
 * opens tracks, so it holds a Temporal client and the PAYLOAD_KEYS as the API does, and none of
 * the API's doors. Its lines are JSON with personal data scrubbed, as the bank inbox's: a
 * rejected item's answer can quote what billing sent.
 */
const config = loadConfigOrExit();
const log = configureProcessLogger('billing inbox');
if (!config.DATABASE_URL) {
  log.fatal('DATABASE_URL is required for the billing inbox');
  process.exit(2);
}
// A chunk of a batch is stored in one transaction while its tracks open: a few connections do.
const db = createDatabase(config.DATABASE_URL, { max: 4 });
const { connection, client } = await connectClient(config);
const tracks = boundEngineCalls(new TrackClient(client, config.TEMPORAL_TASK_QUEUE, async () => amsterdamDate(Date.now())), connection, config.ENGINE_TIMEOUT_MS);
const root = join(dataDir, 'inbox', 'billing');
const inbox = new BillingInbox({ db, tracks, root, log: (line) => (/: failed: |failed, again next pass|scan failed/.test(line) ? log.warn(line) : log.info(line)) });
await inbox.start();
log.info(`billing inbox watching ${root}/<corporationId>/`);
closeOnSignal(async () => {
  await inbox.stop();
  await connection.close();
  await db.destroy();
});
